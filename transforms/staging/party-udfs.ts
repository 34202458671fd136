import {
  BOOLEAN,
  DuckDBScalarFunction,
  STRUCT,
  VARCHAR,
  structValue,
  type DuckDBConnection,
  type DuckDBStructType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { standardiseAddress } from '../standardise/addresses.ts';
import { standardiseEmail } from '../standardise/emails.ts';
import { canonicalGivenName } from '../standardise/nicknames.ts';
import { standardiseName } from '../standardise/names.ts';
import { isPhoneCountry, standardisePhone } from '../standardise/phones.ts';
import { nameKey } from '../standardise/transliterate.ts';

type Arg = string | null;
/** Arguments by position; a missing one reads as NULL. */
type Args = readonly (Arg | undefined)[];
type Out = Record<string, DuckDBValue>;

interface StructUdf {
  readonly name: string;
  readonly parameters: number;
  readonly returns: DuckDBStructType;
  apply(args: Args): Out;
}

const RUSSIAN_ORDER_COUNTRIES = new Set(['RU', 'BY', 'KZ', 'KG', 'UA']);

const keyOf = (text: string | null): string | null =>
  text === null ? null : nameKey(text) || null;

const UDFS: readonly StructUdf[] = [
  {
    // (full_name, title, first_name, middle_name, last_name, country) → split, keyed name
    name: 'cdw_std_name',
    parameters: 6,
    returns: STRUCT({
      first: VARCHAR,
      middle: VARCHAR,
      last: VARCHAR,
      title: VARCHAR,
      first_key: VARCHAR,
      middle_key: VARCHAR,
      last_key: VARCHAR,
      given_key: VARCHAR,
      swapped: BOOLEAN,
      generation: VARCHAR,
    }),
    apply: ([full_name, title, first_name, middle_name, last_name, country]) => {
      const locale = country != null && RUSSIAN_ORDER_COUNTRIES.has(country) ? 'ru' : 'en';
      const n = standardiseName(
        { full_name, title, first_name, middle_name, last_name },
        { locale },
      );
      return {
        first: n.first,
        middle: n.middle,
        last: n.last,
        title: n.title,
        first_key: n.first_key,
        middle_key: keyOf(n.middle),
        last_key: n.last_key,
        given_key: n.first_key === null ? null : canonicalGivenName(n.first_key),
        swapped: n.swapped_suspect,
        generation: n.generation,
      };
    },
  },
  {
    name: 'cdw_std_email',
    parameters: 1,
    returns: STRUCT({
      norm: VARCHAR,
      key: VARCHAR,
      valid: BOOLEAN,
      is_free: BOOLEAN,
      is_role: BOOLEAN,
    }),
    apply: ([raw]) => {
      const e = standardiseEmail(raw);
      return e.email === null
        ? { norm: null, key: null, valid: null, is_free: null, is_role: null }
        : {
            norm: e.email,
            key: e.key,
            valid: e.valid,
            is_free: e.is_free_mail,
            is_role: e.is_role,
          };
    },
  },
  {
    // (raw, country) → E.164 (NULL when invalid), line type, valid (NULL when no number given)
    name: 'cdw_std_phone',
    parameters: 2,
    returns: STRUCT({ e164: VARCHAR, type: VARCHAR, valid: BOOLEAN }),
    apply: ([raw, country]) => {
      if (raw == null || raw.trim() === '') return { e164: null, type: null, valid: null };
      const code = country?.trim().toUpperCase();
      const p = standardisePhone(raw, code !== undefined && isPhoneCountry(code) ? code : null);
      return { e164: p.e164, type: p.type, valid: p.valid };
    },
  },
  {
    // (address, postcode, city, country, default_country) → normalised parts and household key
    name: 'cdw_std_address',
    parameters: 5,
    returns: STRUCT({
      line: VARCHAR,
      postcode: VARCHAR,
      city: VARCHAR,
      country_code: VARCHAR,
      key: VARCHAR,
    }),
    apply: ([address, postcode, city, country, defaultCountry]) => {
      const a = standardiseAddress({ address, postcode, city, country }, defaultCountry);
      return {
        line: a.line,
        postcode: a.postcode,
        city: a.city,
        country_code: a.country,
        key: a.key,
      };
    },
  },
];

function asArg(v: DuckDBValue | null | undefined): Arg {
  return typeof v === 'string' ? v : null;
}

function scalarFunction(spec: StructUdf): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: spec.name,
    returnType: spec.returns,
    parameterTypes: Array.from({ length: spec.parameters }, () => VARCHAR),
    specialHandling: true,
    mainFunction: (info, input, output) => {
      try {
        const columns = Array.from({ length: spec.parameters }, (_, i) => input.getColumnVector(i));
        const args: Arg[] = new Array<Arg>(spec.parameters);
        for (let row = 0; row < input.rowCount; row++) {
          for (let i = 0; i < columns.length; i++) args[i] = asArg(columns[i]!.getItem(row));
          output.setItem(row, structValue(spec.apply(args)));
        }
        output.flush();
      } catch {
        // A native message could quote the row; say only which function failed.
        info.setError(`${spec.name} failed`);
      }
    },
  });
}

/**
 * Registers the struct-valued standardisers the party model calls (one JavaScript call per
 * row gives every standardised part of a name, e-mail, phone or address). Idempotent: names
 * already known to the database are left as they are.
 *
 * - `cdw_std_name(full_name, title, first, middle, last, country)` →
 *   STRUCT(first, middle, last, title, first_key, middle_key, last_key, given_key, swapped)
 * - `cdw_std_email(raw)` → STRUCT(norm, key, valid, is_free, is_role); all NULL when empty
 * - `cdw_std_phone(raw, country)` → STRUCT(e164, type, valid); all NULL when empty
 * - `cdw_std_address(address, postcode, city, country, default_country)` →
 *   STRUCT(line, postcode, city, country_code, key)
 */
export function registerPartyUdfs(conn: DuckDBConnection, known: ReadonlySet<string>): void {
  for (const spec of UDFS)
    if (!known.has(spec.name)) conn.registerScalarFunction(scalarFunction(spec));
}
