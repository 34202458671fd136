import type { ConnectorKind } from '../types.ts';
import { listMysqlTables } from './list-tables.ts';
import { dbConnectionShape, dbTableShape, endpointText } from '../core/db/db-options.ts';
import { mysqlEndpoint } from './connection.ts';
import { checkMysql, mysqlColumns } from './check.ts';
import { extractMysql } from './extract.ts';

/** MySQL/MariaDB tables or queries through `mysql2`: a streaming query in one snapshot, by cursor. */
export const mysqlKind: ConnectorKind = {
  kind: 'mysql',
  description:
    'MySQL/MariaDB table or query (streaming read in a consistent snapshot; incremental by cursor; deletes by key comparison)',
  capabilities: {
    incremental: true,
    streaming: true,
    detectDeletes: true,
    snapshots: false,
    files: false,
    rereads: true,
  },
  connection: dbConnectionShape(['mysql', 'mariadb']),
  table: dbTableShape,
  describe: (source) => endpointText('mysql', mysqlEndpoint(source)),
  check: checkMysql,
  columns: mysqlColumns,
  discovery: { urlSchemes: ['mysql', 'mariadb'], listTables: listMysqlTables },
  extract: extractMysql,
};
