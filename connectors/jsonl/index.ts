import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';
import { checkFiles, describeFiles, fileTableColumns } from '../core/files/file-source.ts';
import { jsonlColumns } from './columns.ts';
import { jsonlFileColumns } from './file-columns.ts';
import { extractLineFiles } from '../core/files/line-files.ts';
import { JsonLineParser } from './parse-json-line.ts';
import { SNAPSHOT } from '../csv/options.ts';

/** Keys of a `jsonl` table entry (beside the common ones). */
export const jsonlTableShape = z.strictObject({
  /** A file or a glob (`exports/calls_*.jsonl`), relative to `connection.dir` or the config's folder. */
  path: z.string().min(1),
  snapshot: SNAPSHOT,
});

/** JSON lines files (one object per line): new files, and lines appended to known ones. */
export const jsonlKind: ConnectorKind = {
  kind: 'jsonl',
  description:
    'JSON lines files (a file or a glob): one object per line, a column per top-level key',
  capabilities: {
    incremental: true,
    streaming: true,
    detectDeletes: false,
    snapshots: true,
    files: true,
    rereads: false,
  },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: jsonlTableShape,
  describe: (source) => describeFiles('jsonl', source),
  check: (source, ctx) => checkFiles(source, ctx, jsonlColumns),
  columns: (source, table, ctx) => fileTableColumns(source, table, ctx, jsonlColumns),
  discovery: { filePattern: /\.(jsonl|ndjson)$/i, fileColumns: jsonlFileColumns },
  extract: (job) => extractLineFiles(job, 'utf-8', new JsonLineParser(), { warnEmpty: true }),
};
