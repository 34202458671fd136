import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';
import { SourceError } from '../../jobs/errors.ts';

// Config shape of the jsonl kind. Extraction is built in connectors/jsonl/ (issue: source connectors).
export const jsonlKind: ConnectorKind = {
  kind: 'jsonl',
  description: 'jsonl files',
  capabilities: { incremental: true, streaming: true, detectDeletes: false, files: true, rereads: false },
  connection: z.strictObject({ dir: z.string().min(1).optional() }),
  table: z.strictObject({
    path: z.string().min(1),
  }),
  describe: (source) => `jsonl files in ${String(source.connection.dir ?? '.')}`,
  check: async () => ({ ok: false, detail: 'the jsonl connector is not built yet' }),
  // eslint-disable-next-line require-yield
  async *extract(job) {
    throw new SourceError(job.source.name, 'the jsonl connector is being built');
  },
};
