import type { EntityName } from '../../foundation/entities.ts';
import type {
  CdwConfig,
  QualityCheckConfig,
  ResolvedSource,
  ResolvedTable,
} from '../../foundation/config-types.ts';
import { parseConfigText } from '../../jobs/config/load.ts';
import { memoryLogger } from '../../foundation/logger.ts';
import { runPipeline, type RunSummary } from '../../jobs/pipeline.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { transformStep } from '../../transforms/transform-step.ts';

/** A resolved table for tests; raw rows are created by hand in `raw.<source>__<name>`. */
export function table(
  source: string,
  name: string,
  entity: EntityName,
  mapping: Record<string, string>,
  more: Partial<ResolvedTable> = {},
): ResolvedTable {
  return {
    name,
    entity,
    mapping,
    primaryKey: [],
    cursor: undefined,
    mode: 'incremental',
    detectDeletes: false,
    onSchemaChange: 'fail',
    dateFormats: undefined,
    timezone: 'UTC',
    enabled: true,
    options: {},
    rawTable: `${source}__${name}`,
    ...more,
  };
}

export function source(
  name: string,
  tables: ResolvedTable[],
  more: Partial<ResolvedSource> = {},
): ResolvedSource {
  return {
    name,
    system: name,
    kind: 'csv',
    preset: undefined,
    timezone: 'UTC',
    defaultCountry: 'US',
    enabled: true,
    connection: {},
    tables,
    ...more,
  };
}

/** The config defaults with the given sources and checks. */
export function configWith(
  sources: ResolvedSource[],
  opts: { checks?: QualityCheckConfig[]; transforms?: Partial<CdwConfig['transforms']> } = {},
): CdwConfig {
  const base = parseConfigText('{}', '/tmp/cdw-transform-test/cdw.yaml');
  return {
    ...base,
    sources,
    transforms: { ...base.transforms, ...opts.transforms },
    quality: { checks: opts.checks ?? [] },
  };
}

/** Runs only the transform step through the real pipeline and ledger (`fullRefresh`: from raw). */
export async function runTransform(
  wh: Warehouse,
  config: CdwConfig,
  opts: { fullRefresh?: boolean } = {},
): Promise<RunSummary & { log: string[] }> {
  const logger = memoryLogger();
  const summary = await runPipeline(config, {
    trigger: 'cli',
    fullRefresh: opts.fullRefresh,
    logger,
    steps: [transformStep],
    warehouse: wh,
  });
  return { ...summary, log: logger.lines };
}

/** Creates `raw.<name>` with VARCHAR source columns plus the load columns, and inserts rows (`append`: into the existing table). */
export async function rawTable(
  wh: Warehouse,
  name: string,
  columns: string[],
  rows: { load: string; at: string; values: (string | null)[]; deleted?: boolean }[],
  opts: { append?: boolean } = {},
): Promise<void> {
  const cols = columns.map((c) => `"${c}" VARCHAR`).join(', ');
  if (opts.append !== true)
    await wh.run(
      `CREATE TABLE raw."${name}" (${cols}, _load_id VARCHAR, _loaded_at TIMESTAMPTZ, _row_hash VARCHAR, _deleted BOOLEAN)`,
    );
  for (const r of rows) {
    const params = [...r.values, r.load, r.at, r.deleted ?? false];
    const holes = params.map((_v, i) => `$${i + 1}`).join(', ');
    await wh.run(
      `INSERT INTO raw."${name}" (${columns.map((c) => `"${c}"`).join(', ')}, _load_id, _loaded_at, _deleted) VALUES (${holes})`,
      params,
    );
  }
}
