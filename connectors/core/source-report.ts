import type { CdwConfig, ResolvedSource } from '../../foundation/config-types.ts';
import type { Queryable } from '../../foundation/duckdb-client.ts';
import { qualified } from '../../foundation/sql.ts';

/** What `cdw sources` shows for one configured table. */
export interface SourceTableState {
  readonly source: string;
  readonly table: string;
  readonly kind: string;
  readonly where: string;
  readonly enabled: boolean;
  readonly mode: 'incremental' | 'full';
  readonly cursorColumn: string | null;
  readonly rawTable: string;
  /** Upper cursor value of the last committed load. */
  readonly lastCursor: string | null;
  /** Files on record (file kinds). */
  readonly files: number | null;
  readonly lastLoadAt: Date | null;
  readonly lastLoadStatus: string | null;
  readonly lastLoadRows: number | null;
  readonly lastLoadRejected: number | null;
  readonly lastLoadError: string | null;
  /** Rows in the raw table (every version and tombstone). */
  readonly rawRows: number | null;
}

type LoadRow = {
  source: string;
  source_table: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  rows_landed: number | null;
  rows_rejected: number | null;
  error: string | null;
};

/** The state of every configured table, from the config and (when there is one) the warehouse. */
export async function sourceTableStates(
  config: CdwConfig,
  wh: Queryable | undefined,
  describe: (s: ResolvedSource) => string,
): Promise<SourceTableState[]> {
  const state = new Map<string, { cursor_value: string | null; files: number | null }>();
  const loads = new Map<string, LoadRow>();
  if (wh !== undefined && (await wh.tableExists('meta', 'source_state'))) {
    const rows = await wh.all<{
      source: string;
      source_table: string;
      cursor_value: string | null;
      files: number | null;
    }>(
      `SELECT source, source_table, cursor_value, len(json_keys(state -> '$.files')) AS files FROM meta.source_state`,
    );
    for (const r of rows) state.set(`${r.source}.${r.source_table}`, r);
    const last = await wh.all<LoadRow>(
      `SELECT source, source_table, status, started_at, finished_at, rows_landed, rows_rejected, error FROM meta.loads
       QUALIFY row_number() OVER (PARTITION BY source, source_table ORDER BY started_at DESC) = 1`,
    );
    for (const r of last) loads.set(`${r.source}.${r.source_table}`, r);
  }
  const out: SourceTableState[] = [];
  for (const s of config.sources) {
    for (const t of s.tables) {
      const key = `${s.name}.${t.name}`;
      const st = state.get(key);
      const l = loads.get(key);
      const rawRows =
        wh !== undefined && (await wh.tableExists('raw', t.rawTable))
          ? Number(await wh.scalar(`SELECT count(*) FROM ${qualified('raw', t.rawTable)}`))
          : null;
      out.push({
        source: s.name,
        table: t.name,
        kind: s.kind,
        where: describe(s),
        enabled: s.enabled && t.enabled,
        mode: t.mode,
        cursorColumn: t.cursor?.column ?? null,
        rawTable: `raw.${t.rawTable}`,
        lastCursor: st?.cursor_value ?? null,
        files: st?.files ?? null,
        lastLoadAt: l?.finished_at ?? l?.started_at ?? null,
        lastLoadStatus: l?.status ?? null,
        lastLoadRows: l?.rows_landed ?? null,
        lastLoadRejected: l?.rows_rejected ?? null,
        lastLoadError: l?.error ?? null,
        rawRows,
      });
    }
  }
  return out;
}
