import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';
import { checkFiles, describeFiles, fileTableColumns } from '../core/files/file-source.ts';
import { csvColumns } from './columns.ts';
import { csvFileColumns } from './file-columns.ts';
import { csvTableShape } from './options.ts';
import { extractCsv } from './extract.ts';

/** CSV files: new files, and rows appended to known ones; any encoding iconv-lite knows. */
export const csvKind: ConnectorKind = {
  kind: 'csv',
  description:
    'CSV files (a file or a glob): delimiter, quote, header, encoding incl. windows-1251, BOM, skipped lines',
  capabilities: {
    incremental: true,
    streaming: true,
    detectDeletes: false,
    snapshots: true,
    files: true,
    rereads: false,
  },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: csvTableShape,
  describe: (source) => describeFiles('csv', source),
  check: (source, ctx) => checkFiles(source, ctx, csvColumns),
  columns: (source, table, ctx) => fileTableColumns(source, table, ctx, csvColumns),
  discovery: { filePattern: /\.(csv|tsv)$/i, fileColumns: csvFileColumns },
  extract: extractCsv,
};
