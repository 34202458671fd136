import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';

// Config shape of the weblog kind. Extraction is built in connectors/weblog/ (issue: source connectors).
export const weblogKind: ConnectorKind = {
  kind: 'weblog',
  description: 'weblog files',
  capabilities: { incremental: true, streaming: true, detectDeletes: false, files: true },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: z.strictObject({
    path: z.string().min(1),
  }),
  describe: (source) => `weblog files in ${String(source.connection.dir ?? '.')}`,
  check: async () => ({ ok: false, detail: 'the weblog connector is not built yet' }),
};
