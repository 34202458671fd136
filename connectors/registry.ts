import type { ConnectorKind } from './types.ts';
import { postgresKind } from './postgres/index.ts';
import { mysqlKind } from './mysql/index.ts';
import { csvKind } from './csv/index.ts';
import { jsonlKind } from './jsonl/index.ts';
import { weblogKind } from './weblog/index.ts';
import { parquetKind } from './parquet/index.ts';
import { InternalError } from '../foundation/errors.ts';

/** Every connector kind cdw knows — the only list. Config unions and CLI choices derive from it. */
export const CONNECTOR_KINDS: readonly ConnectorKind[] = [
  postgresKind,
  mysqlKind,
  csvKind,
  jsonlKind,
  weblogKind,
  parquetKind,
];

export function connectorKind(kind: string): ConnectorKind {
  const k = CONNECTOR_KINDS.find((c) => c.kind === kind);
  if (!k)
    throw new InternalError(
      `unknown connector kind "${kind}"; known: ${CONNECTOR_KINDS.map((c) => c.kind).join(', ')}`,
    );
  return k;
}
