import type { ConnectorKind } from '../types.ts';
import { listPostgresTables } from './list-tables.ts';
import { dbConnectionShape, dbTableShape, endpointText } from '../core/db/db-options.ts';
import { pgEndpoint } from './connection.ts';
import { checkPostgres, postgresColumns } from './check.ts';
import { extractPostgres } from './extract.ts';

/** PostgreSQL tables or queries through `pg`: COPY … TO STDOUT in one snapshot, by cursor. */
export const postgresKind: ConnectorKind = {
  kind: 'postgres',
  description:
    'PostgreSQL table or query (COPY in a REPEATABLE READ snapshot; incremental by cursor; deletes by key comparison)',
  capabilities: {
    incremental: true,
    streaming: true,
    detectDeletes: true,
    snapshots: false,
    files: false,
    rereads: true,
  },
  connection: dbConnectionShape(['postgres', 'postgresql']),
  table: dbTableShape,
  describe: (source) => endpointText('postgres', pgEndpoint(source)),
  check: checkPostgres,
  columns: postgresColumns,
  discovery: { urlSchemes: ['postgres', 'postgresql'], listTables: listPostgresTables },
  extract: extractPostgres,
};
