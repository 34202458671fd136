import { createHash } from 'node:crypto';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { quoteLiteral } from '../foundation/sql.ts';
import { gammaColumn } from './comparison-sql.ts';
import type { Comparison } from './comparisons.ts';
import type { Model } from './model.ts';
import type { IdentitySettings } from './settings.ts';
import { openKeptTf } from './term-frequencies.ts';

/**
 * The model kept from night to night. Training (random pairs for u, EM for m) is the costliest
 * part of a run and its result barely moves when a night adds a few records, so a run scores
 * with the kept model and trains a new one only when:
 * - there is none, or the matching configuration it was trained for changed (`matchingHash`);
 * - an operator asked (`cdw identity retrain`: a row in `identity.retrain_requests`);
 * - it is `retrain.everyDays` old;
 * - the records changed in number by more than `retrain.growth` of those it was trained on;
 * - some comparison's distribution of levels among tonight's candidate pairs moved more than
 *   `retrain.levelDrift` (total variation distance) from the one it was trained on — new
 *   sources, a changed standardisation or a drifting population show there first.
 *
 * Tables (created here, like the transform's state): `identity.kept_model` (one row: the run
 * that trained it, when, why, the configuration hash, records and pairs at training, prior, how
 * EM ended), `identity.kept_model_params` (m and u per level) and `identity.kept_model_shares`
 * (each level's share of the candidate pairs at training, missing values' level -1 included).
 * All are replaced in the publishing transaction of a run that trains.
 */
export async function openModelState(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE TABLE IF NOT EXISTS identity.kept_model (
    trained_run VARCHAR NOT NULL, trained_at TIMESTAMPTZ NOT NULL, reason VARCHAR NOT NULL,
    matching_hash VARCHAR NOT NULL, records BIGINT NOT NULL, candidate_pairs BIGINT NOT NULL,
    prior DOUBLE NOT NULL, em_iterations INTEGER NOT NULL, em_converged BOOLEAN NOT NULL)`);
  await wh.run(`CREATE TABLE IF NOT EXISTS identity.kept_model_params (
    comparison VARCHAR NOT NULL, level INTEGER NOT NULL, label VARCHAR NOT NULL, m DOUBLE NOT NULL,
    u DOUBLE NOT NULL, m_source VARCHAR NOT NULL, tf_adjusted BOOLEAN NOT NULL)`);
  await wh.run(`CREATE TABLE IF NOT EXISTS identity.kept_model_shares (
    comparison VARCHAR NOT NULL, level INTEGER NOT NULL, share DOUBLE NOT NULL)`);
  await openKeptTf(wh);
  await wh.run(`CREATE TABLE IF NOT EXISTS identity.retrain_requests (
    requested_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, requested_by VARCHAR)`);
}

/** What was kept: the model and what it was trained on. */
export interface KeptModel {
  readonly model: Model;
  readonly trainedRun: string;
  readonly trainedAt: Date;
  readonly matchingHash: string;
  readonly records: number;
  /** comparison → level → share of the candidate pairs at training. */
  readonly shares: ReadonlyMap<string, ReadonlyMap<number, number>>;
}

/**
 * Hash of everything training depends on besides the records: the comparisons (their SQL), the
 * blocking rules (one EM session each), the sample size and iterations, the placeholder rule
 * and the identifier settings that make candidate pairs.
 */
export function matchingHash(
  settings: IdentitySettings,
  comparisons: readonly Comparison[],
): string {
  return createHash('md5')
    .update(
      JSON.stringify({
        comparisons,
        rules: settings.blockingRules,
        randomPairs: settings.randomPairs,
        emIterations: settings.emIterations,
        maxPairsPerRule: settings.maxPairsPerRule,
        maxBlockSize: settings.maxBlockSize,
        maxPairsPerRecord: settings.maxPairsPerRecord,
        placeholder: settings.birthDatePlaceholderFactor,
        deterministic: settings.deterministic,
        limits: settings.sharedIdentifierLimits,
      }),
    )
    .digest('hex');
}

export async function loadKeptModel(wh: Warehouse): Promise<KeptModel | undefined> {
  const head = await wh.one<{
    trained_run: string;
    trained_at: Date;
    matching_hash: string;
    records: number | bigint;
    prior: number;
    em_iterations: number;
    em_converged: boolean;
  }>('SELECT * FROM identity.kept_model LIMIT 1');
  if (head === undefined) return undefined;
  const rows = await wh.all<{
    comparison: string;
    level: number;
    label: string;
    m: number;
    u: number;
    m_source: 'em' | 'prior';
    tf_adjusted: boolean;
  }>('SELECT * FROM identity.kept_model_params ORDER BY comparison, level DESC');
  const shares = new Map<string, Map<number, number>>();
  for (const r of await wh.all<{ comparison: string; level: number; share: number }>(
    'SELECT * FROM identity.kept_model_shares',
  )) {
    const s = shares.get(r.comparison) ?? new Map<number, number>();
    s.set(Number(r.level), Number(r.share));
    shares.set(r.comparison, s);
  }
  return {
    model: {
      prior: Number(head.prior),
      emIterations: Number(head.em_iterations),
      emConverged: Boolean(head.em_converged),
      params: rows.map((r) => ({
        comparison: r.comparison,
        level: Number(r.level),
        label: r.label,
        m: Number(r.m),
        u: Number(r.u),
        mSource: r.m_source,
        tfAdjusted: Boolean(r.tf_adjusted),
      })),
    },
    trainedRun: head.trained_run,
    trainedAt: new Date(head.trained_at),
    matchingHash: head.matching_hash,
    records: Number(head.records),
    shares,
  };
}

/** Share of tonight's candidate pairs (`pair_gammas`) at each level of each comparison. */
export async function levelShares(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<Map<string, Map<number, number>>> {
  const out = new Map<string, Map<number, number>>();
  if (comparisons.length === 0) return out;
  const rows = await wh.all<{ comparison: string; level: number; share: number }>(
    comparisons
      .map(
        (c) =>
          `SELECT ${quoteLiteral(c.name)} AS comparison, ${gammaColumn(c)}::INTEGER AS level, count(*) / (SELECT greatest(count(*), 1) FROM pair_gammas) AS share FROM pair_gammas GROUP BY 2`,
      )
      .join(' UNION ALL '),
  );
  for (const r of rows) {
    const s = out.get(r.comparison) ?? new Map<number, number>();
    s.set(Number(r.level), Number(r.share));
    out.set(r.comparison, s);
  }
  return out;
}

/** The largest total variation distance between two comparisons' level distributions, and where. */
export function levelDrift(
  then: ReadonlyMap<string, ReadonlyMap<number, number>>,
  now: ReadonlyMap<string, ReadonlyMap<number, number>>,
): { comparison: string; distance: number } {
  let worst = { comparison: '', distance: 0 };
  for (const [c, levels] of now) {
    const before = then.get(c) ?? new Map<number, number>();
    const all = new Set([...levels.keys(), ...before.keys()]);
    let d = 0;
    for (const l of all) d += Math.abs((levels.get(l) ?? 0) - (before.get(l) ?? 0));
    if (d / 2 > worst.distance) worst = { comparison: c, distance: d / 2 };
  }
  return worst;
}

/**
 * Why the model is trained tonight, or undefined to score with the kept one. `drift` is read
 * only when nothing cheaper decided (it needs tonight's candidate pairs).
 */
export async function retrainReason(
  wh: Warehouse,
  kept: KeptModel | undefined,
  opts: {
    settings: IdentitySettings;
    matchingHash: string;
    records: number;
    /** Whether term frequencies were kept with the model (`identity.kept_tf`). */
    keptTf: boolean;
    shares: () => Promise<ReadonlyMap<string, ReadonlyMap<number, number>>>;
  },
): Promise<string | undefined> {
  if (kept === undefined) return 'no model trained yet';
  if (kept.matchingHash !== opts.matchingHash) return 'the matching configuration changed';
  if (!opts.keptTf) return 'no term frequencies were kept with the model';
  const asked = Number(await wh.scalar('SELECT count(*) FROM identity.retrain_requests'));
  if (asked > 0) return 'asked for (cdw identity retrain)';
  const policy = opts.settings.retrain;
  const days = (Date.now() - kept.trainedAt.getTime()) / 86_400_000;
  if (days >= policy.everyDays)
    return `trained ${Math.floor(days)} days ago (identity.retrain_every_days ${policy.everyDays})`;
  const change = Math.abs(opts.records - kept.records) / Math.max(kept.records, 1);
  if (change > policy.growth)
    return `records changed by ${(change * 100).toFixed(1)} % since training (identity.retrain_growth ${policy.growth})`;
  const drift = levelDrift(kept.shares, await opts.shares());
  if (drift.distance > policy.levelDrift)
    return `levels of ${drift.comparison} moved ${drift.distance.toFixed(3)} among candidate pairs since training (identity.retrain_level_drift ${policy.levelDrift})`;
  return undefined;
}

/** In the publishing transaction of a run that trained: the model kept from now on. */
export async function keepModel(
  wh: Warehouse,
  run: {
    runId: string;
    reason: string;
    matchingHash: string;
    records: number;
    candidatePairs: number;
    model: Model;
    shares: ReadonlyMap<string, ReadonlyMap<number, number>>;
  },
): Promise<void> {
  const { model } = run;
  await wh.run('DELETE FROM identity.kept_model');
  await wh.run('DELETE FROM identity.kept_model_params');
  await wh.run('DELETE FROM identity.kept_model_shares');
  // requests made up to now are answered by this training
  await wh.run('DELETE FROM identity.retrain_requests');
  await wh.run(
    'INSERT INTO identity.kept_model VALUES ($1, current_timestamp, $2, $3, $4, $5, $6, $7, $8)',
    [
      run.runId,
      run.reason,
      run.matchingHash,
      run.records,
      run.candidatePairs,
      model.prior,
      model.emIterations,
      model.emConverged,
    ],
  );
  // row by row: a few dozen rows, and each value keeps its own type
  for (const p of model.params)
    await wh.run('INSERT INTO identity.kept_model_params VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      p.comparison,
      p.level,
      p.label,
      p.m,
      p.u,
      p.mSource,
      p.tfAdjusted,
    ]);
  for (const [comparison, levels] of run.shares)
    for (const [level, share] of levels)
      await wh.run('INSERT INTO identity.kept_model_shares VALUES ($1, $2, $3)', [
        comparison,
        level,
        share,
      ]);
}

/** `cdw identity retrain`: the next identity run trains the model again. */
export async function requestRetrain(wh: Warehouse, by: string | undefined): Promise<void> {
  await openModelState(wh);
  await wh.run('INSERT INTO identity.retrain_requests (requested_by) VALUES ($1)', [by ?? null]);
}
