import { createHash } from 'node:crypto';
import { codeVersion } from '../foundation/code-version.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { openModelState } from './model-state.ts';
import type { IdentitySettings } from './settings.ts';

/**
 * A night on which nothing identity reads has changed leaves identity as it is: the same
 * records, interactions, overrides, settings and code give the same links, customers,
 * households and contact matches (the run is a fixed point of its own output), so the step
 * is not run at all. What it reads is hashed whole (`hash` of every row, summed), so any
 * writer of staging is seen, not only the transform. The version is stored after a run has
 * published; a run that did not finish leaves the old one, and the next night runs.
 *
 * It is never skipped on `--full-refresh`, when a retrain is asked for, or when the kept
 * model is due by age (`identity.retrain_every_days`).
 */
export async function identityInputVersion(
  wh: Warehouse,
  settings: IdentitySettings,
): Promise<string> {
  const tableHash = async (table: string) =>
    (await wh.tableExists(...(table.split('.') as [string, string])))
      ? await wh.one(`SELECT count(*) AS n, sum(hash(t)::HUGEINT)::VARCHAR AS h FROM ${table} t`)
      : null;
  const inputs = {
    records: await tableHash('staging.party_records'),
    interactions: await tableHash('staging.interactions'),
    overrides: await tableHash('identity.overrides'),
    settings,
    code: codeVersion(new URL('./', import.meta.url)),
    duckdb: await wh.scalar('SELECT version()'),
  };
  return createHash('md5')
    .update(JSON.stringify(inputs, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)))
    .digest('hex');
}

/** Why identity runs tonight although `version` may equal the last run's; undefined: it need not. */
export async function mustRunReason(
  wh: Warehouse,
  version: string,
  settings: IdentitySettings,
  fullRefresh: boolean,
): Promise<string | undefined> {
  if (fullRefresh) return 'full refresh';
  await openModelState(wh);
  await openInputVersion(wh);
  const last = await wh.scalar<string | null>('SELECT max(version) FROM identity.input_version');
  if (last !== version) return 'its inputs changed';
  if (Number(await wh.scalar('SELECT count(*) FROM identity.retrain_requests')) > 0)
    return 'a retrain was asked for';
  const trained = await wh.scalar<Date | null>('SELECT max(trained_at) FROM identity.kept_model');
  if (trained === null) return 'no model kept';
  const days = (Date.now() - new Date(trained).getTime()) / 86_400_000;
  if (days >= settings.retrain.everyDays) return 'the kept model is due for retraining';
  return undefined;
}

/** After a run has published: what it read, so a night with the same inputs can skip it. */
export async function recordInputVersion(
  wh: Warehouse,
  version: string,
  runId: string,
): Promise<void> {
  await openInputVersion(wh);
  await wh.transaction(async () => {
    await wh.run('DELETE FROM identity.input_version');
    await wh.run('INSERT INTO identity.input_version VALUES ($1, $2)', [version, runId]);
  });
}

async function openInputVersion(wh: Warehouse): Promise<void> {
  await wh.run(
    'CREATE TABLE IF NOT EXISTS identity.input_version (version VARCHAR NOT NULL, run_id VARCHAR NOT NULL)',
  );
}
