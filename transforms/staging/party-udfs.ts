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
import { addressParts, emailParts, nameParts, phoneParts } from './party-std-parts.ts';

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
    apply: ([full_name, title, first_name, middle_name, last_name, country]) => ({
      ...nameParts(
        full_name ?? null,
        title ?? null,
        first_name ?? null,
        middle_name ?? null,
        last_name ?? null,
        country ?? null,
      ),
    }),
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
    apply: ([raw]) => ({ ...emailParts(raw ?? null) }),
  },
  {
    // (raw, country) → E.164 (NULL when invalid), line type, valid (NULL when no number given)
    name: 'cdw_std_phone',
    parameters: 2,
    returns: STRUCT({ e164: VARCHAR, type: VARCHAR, valid: BOOLEAN }),
    apply: ([raw, country]) => ({ ...phoneParts(raw ?? null, country ?? null) }),
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
    apply: ([address, postcode, city, country, defaultCountry]) => ({
      ...addressParts(
        address ?? null,
        postcode ?? null,
        city ?? null,
        country ?? null,
        defaultCountry ?? null,
      ),
    }),
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

/** The STRUCT type a `cdw_std_*` function returns (the party cache stores these). */
export function partyStructType(name: string): DuckDBStructType {
  const spec = UDFS.find((u) => u.name === name);
  if (spec === undefined) throw new Error(`no party standardiser named ${name}`);
  return spec.returns;
}
