import {
  BOOLEAN,
  DuckDBScalarFunction,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { standardiseAddress } from './addresses.ts';
import { standardiseEmail } from './emails.ts';
import { canonicalGivenName } from './nicknames.ts';
import { isPhoneCountry, standardisePhone } from './phones.ts';
import { nameKey, transliterate } from './transliterate.ts';
import { isBot } from './user-agents.ts';
import { countryCode } from './countries.ts';

type Arg = string | null;

interface UdfSpec {
  name: string;
  parameters: number;
  returnType: DuckDBType;
  apply: (a: Arg, b: Arg, c: Arg, d: Arg) => string | boolean | null;
}

function phoneCountry(code: Arg): Parameters<typeof standardisePhone>[1] {
  if (code === null) return null;
  const upper = code.trim().toUpperCase();
  return isPhoneCountry(upper) ? upper : null;
}

function keyOrNull(text: Arg): string | null {
  if (text === null) return null;
  const key = nameKey(text);
  return key.length === 0 ? null : key;
}

const UDFS: readonly UdfSpec[] = [
  {
    name: 'cdw_phone_e164',
    parameters: 2,
    returnType: VARCHAR,
    apply: (raw, country) =>
      raw === null ? null : standardisePhone(raw, phoneCountry(country)).e164,
  },
  {
    name: 'cdw_phone_type',
    parameters: 2,
    returnType: VARCHAR,
    apply: (raw, country) =>
      raw === null ? null : standardisePhone(raw, phoneCountry(country)).type,
  },
  { name: 'cdw_name_key', parameters: 1, returnType: VARCHAR, apply: keyOrNull },
  {
    name: 'cdw_given_name_key',
    parameters: 1,
    returnType: VARCHAR,
    apply: (name) => {
      const key = keyOrNull(name);
      return key === null ? null : canonicalGivenName(key);
    },
  },
  {
    name: 'cdw_translit',
    parameters: 1,
    returnType: VARCHAR,
    apply: (text) => (text === null ? null : transliterate(text)),
  },
  {
    name: 'cdw_email_key',
    parameters: 1,
    returnType: VARCHAR,
    apply: (raw) => standardiseEmail(raw).key,
  },
  {
    name: 'cdw_address_key',
    parameters: 4,
    returnType: VARCHAR,
    apply: (address, postcode, city, country) =>
      standardiseAddress({ address, postcode, city, country }).key,
  },
  { name: 'cdw_is_bot', parameters: 1, returnType: BOOLEAN, apply: (ua) => isBot(ua) },
  {
    // a country written as an ISO code or a name, in English or Russian → ISO 3166 alpha-2
    name: 'cdw_country_code',
    parameters: 1,
    returnType: VARCHAR,
    apply: (text) => countryCode(text),
  },
];

function asArg(value: DuckDBValue | null | undefined): Arg {
  return typeof value === 'string' ? value : null;
}

function scalarFunction(spec: UdfSpec): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: spec.name,
    returnType: spec.returnType,
    parameterTypes: Array.from({ length: spec.parameters }, () => VARCHAR),
    // Without special handling DuckDB folds a literal NULL argument to a NULL
    // result but calls the function for NULLs in a column; with it, NULLs
    // always reach `apply`, so `cdw_phone_e164(x, NULL)` and `cdw_is_bot(NULL)`
    // mean the same whether the NULL is a literal or data.
    specialHandling: true,
    mainFunction: (info, input, output) => {
      try {
        const columns = Array.from({ length: spec.parameters }, (_, i) => input.getColumnVector(i));
        const [c0, c1, c2, c3] = columns;
        for (let row = 0; row < input.rowCount; row++) {
          output.setItem(
            row,
            spec.apply(
              asArg(c0?.getItem(row)),
              asArg(c1?.getItem(row)),
              asArg(c2?.getItem(row)),
              asArg(c3?.getItem(row)),
            ),
          );
        }
        output.flush();
      } catch {
        // The native error could quote the row; report only which function failed.
        info.setError(`${spec.name} failed`);
      }
    },
  });
}

/**
 * Registers the standardisation functions as DuckDB scalar UDFs so staging
 * SQL can call them; they are visible to every connection of the database.
 * All arguments are VARCHAR; SQL NULL in gives NULL out (except
 * `cdw_is_bot`, where a missing user agent counts as a bot).
 *
 * - `cdw_phone_e164(raw, country) → VARCHAR` E.164 or NULL when invalid
 * - `cdw_phone_type(raw, country) → VARCHAR` mobile, fixed_line, … or NULL
 * - `cdw_name_key(name) → VARCHAR` transliterated lower-case ASCII letters
 * - `cdw_given_name_key(name) → VARCHAR` name key → nickname group key
 * - `cdw_translit(text) → VARCHAR` Cyrillic → Latin, diacritics folded
 * - `cdw_email_key(email) → VARCHAR` mailbox key or NULL when invalid
 * - `cdw_address_key(line, postcode, city, country) → VARCHAR` household key
 * - `cdw_is_bot(user_agent) → BOOLEAN`
 *
 * The functions run on the JavaScript thread, so queries that call them
 * must be run with the asynchronous API (`run`, `runAndReadAll`).
 * Returns the names registered.
 */
export function registerStandardiseUdfs(connection: DuckDBConnection): readonly string[] {
  for (const spec of UDFS) connection.registerScalarFunction(scalarFunction(spec));
  return UDFS.map((spec) => spec.name);
}
