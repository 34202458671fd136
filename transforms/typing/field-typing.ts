import type { FieldType } from '../../foundation/entities.ts';
import type { DateTyping } from './date-formats.ts';

/**
 * SQL that types one canonical field from its mapped input, by the field's logical type and
 * the DuckDB type the input arrives in (files land VARCHAR; databases land typed columns).
 *
 * Named parameters the expressions use: `$tz` (the table's time zone) and those of the
 * table's `DateTyping` (date-formats.ts).
 */

/** DuckDB column type of each canonical type in staging. */
export const SQL_TYPE: Readonly<Record<FieldType, string>> = {
  text: 'VARCHAR',
  number: 'DOUBLE',
  integer: 'BIGINT',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMPTZ',
};

type Family = 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'timestamp' | 'timestamptz';

/** Which family a DuckDB type name belongs to; anything unknown is read as text. */
export function typeFamily(duckType: string): Family {
  const t = duckType.toUpperCase();
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(t)) return 'integer';
  if (/^(FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC)/.test(t)) return 'decimal';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t === 'TIMESTAMP WITH TIME ZONE' || t === 'TIMESTAMPTZ') return 'timestamptz';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  return 'text';
}

const TYPERS: Readonly<Record<FieldType, (x: string, f: Family, d: DateTyping) => string>> = {
  text: (x) => `cdw_text(${x})`,
  number: (x, f) =>
    f === 'integer' || f === 'decimal' ? `cdw_finite(CAST(${x} AS DOUBLE))` : `cdw_number(${x})`,
  integer: (x, f) =>
    f === 'integer'
      ? `TRY_CAST(${x} AS BIGINT)`
      : f === 'decimal'
        ? `cdw_whole(cdw_finite(CAST(${x} AS DOUBLE)))`
        : `cdw_integer(${x})`,
  boolean: (x, f) =>
    f === 'boolean' ? x : f === 'integer' || f === 'decimal' ? `(${x} <> 0)` : `cdw_bool(${x})`,
  date: (x, f, d) =>
    f === 'date'
      ? x
      : f === 'timestamp'
        ? `CAST(${x} AS DATE)`
        : f === 'timestamptz'
          ? `CAST(timezone($tz, ${x}) AS DATE)`
          : d.date(`cdw_text(${x})`),
  timestamp: (x, f, d) =>
    f === 'timestamptz'
      ? x
      : f === 'timestamp' || f === 'date'
        ? `timezone($tz, CAST(${x} AS TIMESTAMP))`
        : f === 'integer' || f === 'decimal'
          ? `cdw_epoch(CAST(${x} AS DOUBLE))`
          : d.timestamp(`cdw_text(${x})`),
};

/** The typed value of input column `x` (a SQL reference) arriving as DuckDB type `duckType`. */
export function typedSql(type: FieldType, x: string, duckType: string, dates: DateTyping): string {
  return TYPERS[type](x, typeFamily(duckType), dates);
}

/** Why a present value could not be typed (no value quoted: reasons may be logged). */
export const UNTYPABLE_REASON: Readonly<Record<FieldType, string>> = {
  text: 'not text',
  number: 'not a number',
  integer: 'not a whole number',
  boolean: 'not a yes/no value',
  date: 'not a valid date in the table’s date formats (impossible or unrecognised)',
  timestamp: 'not a valid timestamp in the table’s date formats (impossible or unrecognised)',
};
