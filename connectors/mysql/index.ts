import { z } from 'zod';
import type { ConnectorKind } from '../types.ts';
import { SourceError } from '../../jobs/errors.ts';

// Config shape of the mysql kind. Extraction is built in connectors/mysql/ (issue: source connectors).
export const mysqlKind: ConnectorKind = {
  kind: 'mysql',
  description: 'mysql database table or query',
  capabilities: { incremental: true, streaming: true, detectDeletes: true, files: false, rereads: true },
  connection: z.strictObject({
    url: z.string().min(1).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
  }),
  table: z.strictObject({
    table: z.string().min(1).optional(),
    query: z.string().min(1).optional(),
  }),
  describe: (source) => `mysql ${String(source.connection.host ?? '')}${source.connection.port ? ':' + String(source.connection.port) : ''}`,
  check: async () => ({ ok: false, detail: 'the mysql connector is not built yet' }),
  // eslint-disable-next-line require-yield
  async *extract(job) {
    throw new SourceError(job.source.name, 'the mysql connector is being built');
  },
};
