import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';

// Config shape of the csv kind. Extraction is built in connectors/csv/ (issue: source connectors).
export const csvKind: ConnectorKind = {
  kind: 'csv',
  description: 'csv files',
  capabilities: { incremental: true, streaming: true, detectDeletes: false, files: true },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: z.strictObject({
    path: z.string().min(1),
  }),
  describe: (source) => `csv files in ${String(source.connection.dir ?? '.')}`,
  check: async () => ({ ok: false, detail: 'the csv connector is not built yet' }),
};
