import type { CdwConfig, QualityCheckConfig } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified } from '../../foundation/sql.ts';
import { allNamed, textList, type NamedParams } from '../../foundation/run-sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { ENTITY_TABLE, resolveCheckTarget, type CheckTarget } from './check-target.ts';

/** One result of a check (freshness and row_count without a table give one per source/table). */
export interface CheckOutcome {
  readonly target: string;
  readonly failedRows: number;
  /** Why it failed, in counts and names only; null when it passed. */
  readonly detail: string | null;
  /** The check could not run as configured (unknown table or column): counts as failed. */
  readonly broken?: boolean;
  /** What `failedRows` counts when not rows (freshness counts stale tables). */
  readonly unit?: string;
}

export interface CheckEnv {
  readonly wh: Warehouse;
  readonly config: CdwConfig;
}

type CheckKind = (env: CheckEnv, check: QualityCheckConfig) => Promise<CheckOutcome[]>;

const broken = (target: string, why: string): CheckOutcome => ({
  target,
  failedRows: 0,
  detail: `cannot run: ${why}`,
  broken: true,
});

function filterOf(t: CheckTarget): { sql: string; params: NamedParams } {
  if (t.sourceTable !== undefined)
    return {
      sql: 'source = $f_source AND source_table = $f_table',
      params: { f_source: t.source!, f_table: t.sourceTable },
    };
  if (t.source !== undefined) return { sql: 'source = $f_source', params: { f_source: t.source } };
  return { sql: 'true', params: {} };
}

async function hasColumn(wh: Warehouse, table: string, column: string): Promise<boolean> {
  const n = await wh.scalar<number>(
    `SELECT count(*) FROM information_schema.columns WHERE table_schema = 'staging' AND table_name = $1 AND column_name = $2`,
    [table, column],
  );
  return Number(n) > 0;
}

/** A check over one column of one target: the SQL file counts the rows that break it. */
function columnCheck(
  file: string,
  describe: (n: number, check: QualityCheckConfig) => string,
  extra: (c: QualityCheckConfig) => NamedParams = () => ({}),
): CheckKind {
  return async (env, check) => {
    const targets = check.table !== undefined ? [check.table] : [];
    const out: CheckOutcome[] = [];
    for (const name of targets) {
      const t = resolveCheckTarget(env.config, name, check.source);
      const column = check.column ?? 'party_uid';
      if (t === undefined) {
        out.push(
          broken(name, `"${name}" is neither a configured source table nor a staging table`),
        );
        continue;
      }
      if (!(await hasColumn(env.wh, t.table, column))) {
        out.push(broken(t.label, `staging.${t.table} has no column "${column}"`));
        continue;
      }
      const f = filterOf(t);
      const sql = sqlFromFile(import.meta.url, file, {
        ident: { table: ['staging', t.table], column },
        sql: { filter: f.sql },
      });
      const [row] = await allNamed<{ failed: number }>(env.wh.conn, sql, {
        ...f.params,
        ...extra(check),
      });
      const n = Number(row?.failed ?? 0);
      out.push({
        target: `${t.label}.${column}`,
        failedRows: n,
        detail: n === 0 ? null : describe(n, check),
      });
    }
    return out;
  };
}

const references: CheckKind = async (env, check) => {
  const tables =
    check.table !== undefined
      ? [check.table]
      : [ENTITY_TABLE.transaction, ENTITY_TABLE.interaction];
  const run = columnCheck(
    'references.sql',
    (n) => `${n} rows refer to a party record that is not in staging.party_records`,
  );
  const out: CheckOutcome[] = [];
  for (const table of tables) out.push(...(await run(env, { ...check, table })));
  return out;
};

const rowCount: CheckKind = async (env, check) => {
  const min = check.minRows ?? 1;
  const names =
    check.table !== undefined
      ? [check.table]
      : env.config.sources
          .filter((s) => s.enabled && (check.source === undefined || s.name === check.source))
          .flatMap((s) => s.tables.filter((t) => t.enabled).map((t) => `${s.name}.${t.name}`));
  const out: CheckOutcome[] = [];
  for (const name of names) {
    const t = resolveCheckTarget(
      env.config,
      name,
      check.table === undefined ? undefined : check.source,
    );
    if (t === undefined) {
      out.push(broken(name, `"${name}" is neither a configured source table nor a staging table`));
      continue;
    }
    const f = filterOf(t);
    const sql = sqlFromFile(import.meta.url, 'row-count.sql', {
      ident: { table: ['staging', t.table] },
      sql: { filter: f.sql },
    });
    const [row] = await allNamed<{ n: number }>(env.wh.conn, sql, f.params);
    const n = Number(row?.n ?? 0);
    out.push({
      target: t.label,
      unit: 'missing row',
      failedRows: Math.max(0, min - n),
      detail: n >= min ? null : `${n} rows, at least ${min} expected`,
    });
  }
  return out;
};

const freshness: CheckKind = async (env, check) => {
  const maxAge = check.maxAgeSeconds ?? 0;
  const sources = env.config.sources.filter(
    (s) => s.enabled && (check.source === undefined || s.name === check.source),
  );
  const out: CheckOutcome[] = [];
  for (const s of sources) {
    const stale: string[] = [];
    for (const t of s.tables.filter((x) => x.enabled)) {
      const landed = await env.wh.tableExists('raw', t.rawTable);
      const age = landed
        ? await env.wh.scalar<number | null>(
            `SELECT epoch(current_timestamp - max(_loaded_at)) FROM ${qualified('raw', t.rawTable)}`,
          )
        : null;
      if (age === null || age === undefined) stale.push(`${t.name} never loaded`);
      else if (Number(age) > maxAge) stale.push(`${t.name} last loaded ${hours(Number(age))} ago`);
    }
    out.push({
      target: s.name,
      unit: 'stale table',
      failedRows: stale.length,
      detail: stale.length === 0 ? null : `${stale.join(', ')} (max age ${hours(maxAge)})`,
    });
  }
  return out;
};

function hours(seconds: number): string {
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)}h` : `${Math.round(seconds / 60)}m`;
}

/** Every check kind the config accepts (`quality.checks[].check`). */
export const CHECK_KINDS: Readonly<Record<QualityCheckConfig['check'], CheckKind>> = {
  not_null: columnCheck('not-null.sql', (n) => `${n} rows are NULL`),
  unique: columnCheck('unique.sql', (n) => `${n} rows share their value with another row`),
  accepted_values: columnCheck(
    'accepted-values.sql',
    (n, c) => `${n} rows have a value outside the ${c.values?.length ?? 0} accepted`,
    (c) => ({ accepted: textList(c.values ?? []) }),
  ),
  references,
  freshness,
  row_count: rowCount,
};
