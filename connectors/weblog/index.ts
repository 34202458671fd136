import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';
import { SourceError } from '../../jobs/errors.ts';

// Config shape of the weblog kind. Extraction is built in connectors/weblog/ (issue: source connectors).
export const weblogKind: ConnectorKind = {
  kind: 'weblog',
  description: 'weblog files',
  capabilities: { incremental: true, streaming: true, detectDeletes: false, files: true, rereads: false },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: z.strictObject({
    path: z.string().min(1),
  }),
  describe: (source) => `weblog files in ${String(source.connection.dir ?? '.')}`,
  check: async () => ({ ok: false, detail: 'the weblog connector is not built yet' }),
  // eslint-disable-next-line require-yield
  async *extract(job) {
    throw new SourceError(job.source.name, 'the weblog connector is being built');
  },
};
