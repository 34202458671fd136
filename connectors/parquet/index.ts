import { z } from 'zod';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { ConnectorKind } from '../types.ts';
import {
  checkFiles,
  describeFiles,
  fileError,
  fileTableColumns,
} from '../core/files/file-source.ts';
import { SNAPSHOT } from '../csv/options.ts';
import { extractParquet } from './extract.ts';
import { parquetSchemas } from './schema.ts';

/** Keys of a `parquet` table entry (beside the common ones). */
export const parquetTableShape = z.strictObject({
  /** A file or a glob (`exports/customers_*.parquet`), relative to `connection.dir` or the config's folder. */
  path: z.string().min(1),
  snapshot: SNAPSHOT,
});

/** The columns of the newest Parquet file of a table. */
async function parquetColumns(
  source: ResolvedSource,
  table: ResolvedTable,
  files: readonly { file: string; rel: string }[],
): Promise<string[]> {
  const newest = files[0];
  if (newest === undefined) return [];
  try {
    const [columns] = await parquetSchemas([newest.file]);
    return columns!.map((c) => c.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== undefined)
      throw fileError(source.name, table.name, newest.file, err);
    throw new Error(`${newest.rel} is not a Parquet file DuckDB can read (no valid footer)`, {
      cause: err,
    });
  }
}

/** Parquet files (DuckDB's built-in reader): new and changed files, each read whole. */
export const parquetKind: ConnectorKind = {
  kind: 'parquet',
  description:
    'Parquet files (a file or a glob): new and changed files read whole by DuckDB; full snapshots with delete detection',
  capabilities: {
    incremental: true,
    streaming: true,
    detectDeletes: false,
    snapshots: true,
    files: true,
    rereads: false,
  },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: parquetTableShape,
  describe: (source) => describeFiles('parquet', source),
  check: (source, ctx) => checkFiles(source, ctx, parquetColumns),
  columns: (source, table, ctx) => fileTableColumns(source, table, ctx, parquetColumns),
  extract: extractParquet,
};
