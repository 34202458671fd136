import { trackedColumns } from './attributes.ts';

/**
 * SQL for the history row hash: md5 over every tracked attribute and `is_deleted`, with a
 * separator and a NULL marker that cannot be confused with values. Stable across DuckDB
 * versions (unlike `hash()`), because it persists in `core.dim_customer_history.row_hash`.
 */
export function rowHashSql(alias: string, isDeleted: string): string {
  const prefix = alias === '' ? '' : `${alias}.`;
  const parts = trackedColumns().map((c) => `coalesce(CAST(${prefix}${c} AS VARCHAR), chr(1))`);
  return `md5(concat_ws(chr(30), ${[...parts, `CAST(${isDeleted} AS VARCHAR)`].join(', ')}))`;
}
