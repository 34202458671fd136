import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Queryable } from '../../../foundation/duckdb-client.ts';
import { collectOverview } from './overview-data.ts';
import { renderOverview } from './render-overview.ts';

/** Writes the self-contained HTML overview to `file` (whole or not at all); returns its size in bytes. */
export async function writeOverview(
  wh: Queryable,
  file: string,
  now = new Date(),
  opts: { complaintDays?: number } = {},
): Promise<number> {
  const html = renderOverview(await collectOverview(wh, now, opts));
  const target = path.resolve(file);
  mkdirSync(path.dirname(target), { recursive: true });
  const partial = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  writeFileSync(partial, html, 'utf8');
  renameSync(partial, target);
  return Buffer.byteLength(html);
}
