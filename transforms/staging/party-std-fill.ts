import { availableParallelism } from 'node:os';
import type { DuckDBAppender, DuckDBStructType } from '@duckdb/node-api';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { runNamed, type NamedParams } from '../../foundation/run-sql.ts';
import { quoteIdent, quoteLiteral } from '../../foundation/sql.ts';
import { partyStdVersion } from './party-std-cache.ts';
import {
  PARTY_STD_INPUTS,
  partyStdParts,
  type PartyStdInput,
  type PartyStdParts,
} from './party-std-parts.ts';
import type { StepStdPool } from './party-std-pool.ts';
import { partyStructType } from './party-udfs.ts';
import { standardiseInSql } from './party-std-sql.ts';

/** Inputs read from DuckDB and sent to a worker at a time. */
const BATCH_ROWS = 4_000;
/**
 * Fewer new inputs than this are standardised on the main thread: a worker's start-up and JIT
 * warm-up (about 0.3 CPU s each, then cold code for its first thousands of rows) cost more.
 */
const WORKERS_FROM_ROWS = 20_000;

/** Worker threads by default: one per core, at most 4. */
export function defaultStandardiseWorkers(): number {
  return Math.min(4, availableParallelism());
}

/**
 * Standardises the party inputs of `typedTable` the cache has no current entry for, and stores
 * them in `meta.party_std_cache` (replacing entries of an older version), so that
 * `party-std.sql` finds every input there. The parts come from `partyStdParts` — the very
 * functions the `cdw_std_*` SQL functions call, composed as the model composes them — run in
 * the step's worker threads (none, or size 0: on this thread) while this thread reads the next inputs and
 * appends the answers (fewer than `workersFromRows` inputs: on this thread). Returns how many
 * inputs were standardised.
 */
export async function fillPartyStd(
  wh: Warehouse,
  typedTable: string,
  params: NamedParams,
  workers: StepStdPool | undefined,
  workersFromRows = WORKERS_FROM_ROWS,
): Promise<number> {
  const misses = `${typedTable}__std_misses`;
  const sqlParts = `${typedTable}__std_sql`;
  const fresh = `${typedTable}__std_fresh`;
  const version = partyStdVersion();
  try {
    await runNamed(
      wh.conn,
      sqlFromFile(import.meta.url, 'party-std-misses.sql', {
        ident: { misses, typed_table: ['staging', typedTable] },
      }),
      { ...params, std_version: version },
    );
    const n = Number(await wh.scalar<number>(`SELECT count(*) FROM temp.${quoteIdent(misses)}`));
    if (n === 0) return 0;
    // e-mails and the common phone shapes in SQL first: the JavaScript gets only the rest
    await standardiseInSql(wh, misses, sqlParts);
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(fresh)} (k VARCHAR, ${FLAT.map((f) => `${quoteIdent(f.column)} ${f.type}`).join(', ')})`,
    );
    const pool =
      workers !== undefined && workers.size > 0 && n >= workersFromRows ? workers.get() : undefined;
    const appender = await wh.conn.createAppender(fresh, 'main', 'temp');
    try {
      const cols = ['k', '_sql_done', ...PARTY_STD_INPUTS].map(quoteIdent).join(', ');
      // Batches in flight: one per worker plus one being read, so no worker waits for DuckDB.
      const inFlight: Promise<{ keys: string[]; parts: PartyStdParts[] }>[] = [];
      const ahead = pool === undefined ? 0 : (workers?.size ?? 0) + 1;
      for (let from = 0; from < n; from += BATCH_ROWS) {
        // A new table's rowids run 0…n-1: a range is a batch, without re-reading what came before.
        const rows = (
          await wh.conn.runAndReadAll(
            `SELECT ${cols} FROM temp.${quoteIdent(sqlParts)} WHERE rowid >= ${from} AND rowid < ${from + BATCH_ROWS}`,
          )
        ).getRows() as (string | number | null)[][];
        const keys = rows.map((r) => r[0] as string);
        const done = rows.map((r) => Number(r[1]));
        const inputs: PartyStdInput[] = rows.map((r) => r.slice(2) as (string | null)[]);
        inFlight.push(
          pool === undefined
            ? Promise.resolve({ keys, parts: inputs.map((r, i) => partyStdParts(r, done[i])) })
            : pool.run(inputs, done).then((parts) => ({ keys, parts })),
        );
        while (inFlight.length > ahead) append(appender, await inFlight.shift()!);
      }
      while (inFlight.length > 0) append(appender, await inFlight.shift()!);
    } finally {
      appender.closeSync();
    }
    await wh.run(
      `DELETE FROM meta.party_std_cache WHERE k IN (SELECT k FROM temp.${quoteIdent(fresh)})`,
    );
    // The structs are put together here, in the cache's field order and types; a part SQL
    // standardised comes from the SQL's table.
    await wh.run(
      `INSERT INTO meta.party_std_cache
       SELECT f.k, $1, ${PARTS.map((part) => partSql(part)).join(', ')}
       FROM temp.${quoteIdent(fresh)} f JOIN temp.${quoteIdent(sqlParts)} s ON s.k = f.k`,
      [version],
    );
    return n;
  } finally {
    await wh.run(
      [misses, sqlParts, fresh].map((t) => `DROP TABLE IF EXISTS temp.${quoteIdent(t)}`).join('; '),
    );
  }
}

const PARTS = ['addr', 'name', 'email', 'phone', 'mobile'] as const;
type Part = (typeof PARTS)[number];
const FUNCTION_OF: Record<Part, string> = {
  addr: 'cdw_std_address',
  name: 'cdw_std_name',
  email: 'cdw_std_email',
  phone: 'cdw_std_phone',
  mobile: 'cdw_std_phone',
};

/**
 * Every field of every part as a flat column of the work table (`addr__line`, …, typed as the
 * function's struct field): plain values append fast, where a struct value per row costs more
 * than standardising it.
 */
const FLAT: readonly { part: Part; field: string; column: string; type: 'VARCHAR' | 'BOOLEAN' }[] =
  PARTS.flatMap((part) => {
    const t: DuckDBStructType = partyStructType(FUNCTION_OF[part]);
    return t.entryNames.map((field, i) => {
      const type = t.entryTypes[i]!.toString();
      if (type !== 'VARCHAR' && type !== 'BOOLEAN')
        throw new Error(
          `${FUNCTION_OF[part]}.${field} is ${type}: only VARCHAR and BOOLEAN append`,
        );
      return { part, field, column: `${part}__${field}`, type };
    });
  });

/** Column of the SQL parts table holding a part SQL may have standardised. */
const SQL_COLUMN: Partial<Record<Part, string>> = {
  name: '_sql_name',
  email: '_sql_email',
  phone: '_sql_phone',
  mobile: '_sql_mobile',
};

function partSql(part: Part): string {
  const fields = FLAT.filter((f) => f.part === part).map(
    (f) => `${quoteLiteral(f.field)}: f.${quoteIdent(f.column)}`,
  );
  const js = `{${fields.join(', ')}}`;
  const sql = SQL_COLUMN[part];
  return sql === undefined ? js : `CASE WHEN s.${sql} IS NULL THEN ${js} ELSE s.${sql} END`;
}

function append(a: DuckDBAppender, b: { keys: string[]; parts: PartyStdParts[] }): void {
  for (let i = 0; i < b.keys.length; i++) {
    const p = b.parts[i]!;
    a.appendVarchar(b.keys[i]!);
    for (const f of FLAT) {
      // a part SQL standardised is null here: its columns stay NULL
      const v = (p[f.part] as unknown as Record<string, string | boolean | null> | null)?.[f.field];
      if (v === null || v === undefined) a.appendNull();
      else if (f.type === 'BOOLEAN' && typeof v === 'boolean') a.appendBoolean(v);
      else if (f.type === 'VARCHAR' && typeof v === 'string') a.appendVarchar(v);
      else throw new Error(`${FUNCTION_OF[f.part]}.${f.field}: a ${typeof v} for a ${f.type}`);
    }
    a.endRow();
  }
}
