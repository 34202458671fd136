import type { Logger } from '../foundation/logger.ts';
import { silentProgress, type Progress } from '../foundation/progress.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { acceptLinks } from './accept-links.ts';
import { assignIds } from './assign-ids.ts';
import { runBlockingRules } from './blocking.ts';
import { parseBlockingRules } from './blocking-rules.ts';
import {
  buildComparisonRecords,
  buildPairGammas,
  keepPairLevels,
  pairLevelsScoredBy,
  pairLevelsVersion,
} from './candidate-pairs.ts';
import { clusterRecords } from './cluster.ts';
import { matchContacts } from './contact-matches.ts';
import { certainConflictSql, type Comparison } from './comparisons.ts';
import { buildDeterministicPairs } from './deterministic.ts';
import { prepareRecords } from './prepare-records.ts';
import { buildHouseholds } from './households.ts';
import type { Model } from './model.ts';
import {
  buildOutputRows,
  buildRecordCustomers,
  publish,
  touchedFigures,
  type BlockingStat,
  type RunFigures,
} from './publish.ts';
import { levelColumns } from './comparison-sql.ts';
import { quoteIdent } from '../foundation/sql.ts';
import { scorePairs } from './score-pairs.ts';
import type { IdentitySettings } from './settings.ts';
import { trainModel } from './train-model.ts';
import { buildPatternTables } from './train-m.ts';
import {
  keepModel,
  levelShares,
  loadKeptModel,
  matchingHash,
  openModelState,
  retrainReason,
} from './model-state.ts';
import { IdentityError } from './errors.ts';
import { applyKeptTf, hasKeptTf, keepTf, tfValueColumns } from './term-frequencies.ts';

const TEMP_TABLES = [
  'id_records',
  'kept_pairs',
  'scored_pairs',
  'det_pairs',
  'cmp_records',
  'rec_hash',
  'cand',
  'cand_levels',
  'pair_gammas',
  'random_gammas',
  'pattern_counts',
  'pattern_levels',
  'pattern_weights',
  'em_comparisons',
  'em_sessions',
  'em_fixed',
  'em_obs',
  'em_long',
  'em_params',
  'em_next',
  'em_post',
  'model_levels',
  'tf_u',
  'accepted',
  'final_clusters',
  'sig_conflicts',
  'cannot_in',
  'affected',
  'guard_result',
  'kept_links',
  'prev',
  'old_home',
  'cluster_ids',
  'id_merges',
  'id_splits',
  'rec_customer',
  'households',
  'contact_matches',
  'new_xref',
  'new_links',
  'new_households',
];

/** Runs one stage and logs its time at debug level. */
async function stage<T>(log: Logger, name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const out = await fn();
  log.debug(`identity: ${name} in ${((performance.now() - t0) / 1000).toFixed(2)}s`);
  return out;
}

export interface IdentityRunResult extends RunFigures {
  readonly sharedValues: number;
  readonly deterministicCandidates: number;
  readonly guardedClusters: number;
  readonly blocking: readonly BlockingStat[];
  readonly model: Model;
  /** Records new, changed (in what the comparisons read) or gone since the last run. */
  readonly changedRecords: number;
  /** Candidate pairs compared tonight (the others' levels were kept). */
  readonly comparedPairs: number;
  /** Candidate pairs scored tonight (the others' weights were kept: same levels, model and term frequencies). */
  readonly scoredPairs: number;
  /** Why the model was trained tonight; undefined when the kept one scored. */
  readonly trained: string | undefined;
  /** Records whose customer or link changed (new and gone ones included), and their customers. */
  readonly touchedRecords: number;
  readonly touchedCustomers: number;
}

/**
 * One identity run over staging.party_records: prepare records, block, add deterministic
 * candidates, compare, estimate u (random pairs) and m (EM), score, accept links, cluster
 * under the guards, assign persistent ids, group households, and publish everything at once.
 */
export async function resolveIdentities(
  wh: Warehouse,
  settings: IdentitySettings,
  opts: {
    runId: string;
    logger: Logger;
    progress?: Progress;
    comparisons?: readonly Comparison[];
    /** Compare every candidate pair again (`cdw run --full-refresh`); the model stays kept. */
    fullRefresh?: boolean;
  },
): Promise<IdentityRunResult> {
  const started = performance.now();
  const comparisons = opts.comparisons ?? settings.comparisons;
  const progress = opts.progress ?? silentProgress;
  const log = opts.logger;
  if (!(await wh.tableExists('staging', 'party_records'))) {
    throw new IdentityError(
      'not_ready',
      'identity: staging.party_records does not exist yet; the transform step builds it',
    );
  }
  const rules = parseBlockingRules(settings.blockingRules, comparisons);
  await openModelState(wh);
  await wh.run('DELETE FROM identity.shared_identifiers WHERE run_id = $1', [opts.runId]);
  await wh.run('DELETE FROM identity.cluster_splits WHERE run_id = $1', [opts.runId]);

  progress.start('identity: records');
  const records = await stage(log, 'records', () =>
    prepareRecords(wh, settings.customComparisons, settings.birthDatePlaceholderFactor),
  );
  progress.done(`${records} records`);
  const placeholders = await placeholderBirthDates(wh);
  if (placeholders.records > 0)
    log.info(
      `identity: ${placeholders.dates} birth date value(s) on ${placeholders.records} records look like a placeholder (identity.birth_date_placeholder_factor); kept out of matching`,
    );

  progress.start('identity: candidate pairs');
  const outcomes = await stage(log, 'blocking', () =>
    runBlockingRules(
      wh,
      rules,
      {
        maxPairs: settings.maxPairsPerRule,
        maxBlockSize: settings.maxBlockSize,
        maxPairsPerRecord: settings.maxPairsPerRecord,
      },
      log,
    ),
  );
  const det = await stage(log, 'deterministic', () =>
    buildDeterministicPairs(wh, settings, opts.runId),
  );
  await buildComparisonRecords(wh, comparisons);
  const changedRecords = await countChangedRecords(wh, comparisons);
  const levelsVersion = await pairLevelsVersion(wh, comparisons);
  const levelsScoredBy = await pairLevelsScoredBy(wh, levelsVersion);
  const reuse = opts.fullRefresh !== true && levelsScoredBy !== undefined;
  const gammas = await stage(log, 'comparisons', () =>
    buildPairGammas(wh, comparisons, {
      reuse,
      hashColumns: tfValueColumns(settings.customComparisons),
    }),
  );
  const candidatePairs = gammas.pairs;
  const firstRules = await wh.all<{ first_rule: number; n: number }>(
    'SELECT first_rule::INTEGER AS first_rule, count(*) AS n FROM pair_gammas WHERE first_rule IS NOT NULL GROUP BY 1',
  );
  const blocking: BlockingStat[] = outcomes.map((o) => ({
    ...o,
    pairsNew: Number(firstRules.find((f) => f.first_rule === o.rule.no)?.n ?? 0),
  }));
  progress.done(`${candidatePairs} pairs`);
  log.info(
    `identity: ${records} records (${changedRecords} new, changed or gone); ${gammas.compared} of ${candidatePairs} candidate pairs compared (the others kept their levels), ${det.sharedValues} shared identifier values skipped`,
  );

  progress.start('identity: model');
  const hash = matchingHash(settings, comparisons);
  const kept = await loadKeptModel(wh);
  const retrain = await retrainReason(wh, kept, {
    settings,
    matchingHash: hash,
    records,
    keptTf: await hasKeptTf(wh),
    shares: () => levelShares(wh, comparisons),
  });
  let model: Model;
  let randomPairs = 0;
  let scoredBy = opts.runId;
  if (retrain === undefined && kept !== undefined) {
    model = kept.model;
    scoredBy = kept.trainedRun;
    await buildPatternTables(wh, comparisons);
    // the kept model scores with the term frequencies kept with it (term-frequencies.ts)
    await stage(log, 'kept term frequencies', async () => {
      await applyKeptTf(wh, settings.customComparisons);
      await buildComparisonRecords(wh, comparisons);
    });
    log.info(`identity: kept model (trained in run ${kept.trainedRun}) scores tonight's pairs`);
  } else {
    log.info(`identity: model trained: ${retrain ?? 'no model'}`);
    const trained = await stage(log, 'training', () =>
      trainModel(wh, settings, comparisons, rules, outcomes, records, log),
    );
    model = trained.model;
    randomPairs = trained.randomPairs;
  }
  // pairs that kept their levels keep their weights too when the same model and frequencies
  // scored them; only the others are scored
  const keepScores = reuse && retrain === undefined && levelsScoredBy === scoredBy;
  const scoredPairs = await stage(log, 'scoring', () =>
    scorePairs(wh, comparisons, model, { keepScores }),
  );
  log.info(
    `identity: ${scoredPairs} of ${candidatePairs} candidate pairs scored (the others kept their weights)`,
  );
  progress.done(
    retrain === undefined
      ? 'kept model'
      : `trained: prior ${model.prior.toExponential(2)}, EM ${model.emConverged ? 'converged in' : 'stopped (not converged) after'} ${model.emIterations} iterations`,
  );

  progress.start('identity: clusters');
  const certainConflict = certainConflictSql(comparisons, settings.certainConflicts);
  const acceptedLinks = await stage(log, 'links', () => acceptLinks(wh, settings, certainConflict));
  const clusters = await stage(log, 'clusters', () =>
    clusterRecords(
      wh,
      { comparisons, model, certainConflict },
      {
        maxClusterSize: settings.maxClusterSize,
        conflictWeight: settings.clusterConflictWeight,
        linkWeight: Math.log2(settings.matchThreshold / (1 - settings.matchThreshold)),
        strongDisagreement: settings.strongDisagreementBits,
        runId: opts.runId,
      },
    ),
  );
  if (clusters.guarded > 0)
    log.info(
      `identity: ${clusters.guarded} clusters split by the guards (see identity.cluster_splits)`,
    );
  const ids = await stage(log, 'ids', () => assignIds(wh));
  await buildRecordCustomers(wh);
  const contacts = await stage(log, 'contacts', () =>
    matchContacts(wh, comparisons, model, settings.matchThreshold),
  );
  if (contacts > 0)
    log.info(`identity: ${contacts} interactions without a party record matched to a customer`);
  const households = await stage(log, 'households', () =>
    buildHouseholds(wh, settings.maxHouseholdSize),
  );
  progress.done(`${ids.customers} customers`);

  const figures: RunFigures = {
    records,
    candidatePairs,
    randomPairs,
    matchThreshold: settings.matchThreshold,
    acceptedLinks,
    customers: ids.customers,
    newCustomers: ids.newCustomers,
    merges: ids.merges,
    splits: ids.splits,
    households,
    seconds: (performance.now() - started) / 1000,
  };
  await buildOutputRows(wh, opts.runId);
  const touched = await touchedFigures(wh);
  await stage(log, 'publish', () =>
    publish(wh, {
      runId: opts.runId,
      model,
      blocking,
      figures,
      keep: async () => {
        await keepPairLevels(wh, comparisons, levelsVersion, scoredBy);
        log.debug('identity: pair levels kept (publishing)');
        if (retrain !== undefined) await keepTf(wh, settings.customComparisons);
        if (retrain !== undefined)
          await keepModel(wh, {
            runId: opts.runId,
            reason: retrain,
            matchingHash: hash,
            records,
            candidatePairs,
            model,
            shares: await levelShares(wh, comparisons),
          });
      },
    }),
  );
  await wh.run(TEMP_TABLES.map((t) => `DROP TABLE IF EXISTS temp.main.${t};`).join(' '));
  log.info(
    `identity: ${ids.customers} customers (${ids.newCustomers} new, ${ids.merges} merges, ${ids.splits} splits), ${households} households; ${touched.records} records of ${touched.customers} customers changed customer or link`,
  );
  return {
    ...figures,
    changedRecords,
    comparedPairs: gammas.compared,
    scoredPairs,
    trained: retrain,
    touchedRecords: touched.records,
    touchedCustomers: touched.customers,
    sharedValues: det.sharedValues,
    deterministicCandidates: det.pairs,
    guardedClusters: clusters.guarded,
    blocking,
    model,
  };
}

/** Birth dates prepare-records.sql kept out of matching as placeholders: distinct values, records. */
async function placeholderBirthDates(wh: Warehouse): Promise<{ dates: number; records: number }> {
  const row = await wh.one<{ dates: number; records: number }>(
    `SELECT count(DISTINCT p.birth_date)::INTEGER AS dates, count(*)::INTEGER AS records
     FROM staging.party_records p JOIN id_records r USING (party_uid)
     WHERE p.birth_date IS NOT NULL AND r.birth_date IS NULL`,
  );
  return { dates: Number(row?.dates ?? 0), records: Number(row?.records ?? 0) };
}

/**
 * Records new, gone, or changed in a column the comparisons read, against the records of the
 * last run (identity.records): what tonight brings to matching. Every record when there is no
 * last run or it lacks a column.
 */
async function countChangedRecords(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<number> {
  const all = async () => Number(await wh.scalar('SELECT count(*) FROM id_records'));
  if (!(await wh.tableExists('identity', 'records'))) return all();
  const have = new Set(
    (
      await wh.all<{ name: string }>(
        `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'identity' AND table_name = 'records'`,
      )
    ).map((r) => r.name),
  );
  const cols = levelColumns(comparisons);
  if (cols.some((c) => !have.has(c))) return all();
  const differs = cols.map((c) => `n.${quoteIdent(c)} IS DISTINCT FROM o.${quoteIdent(c)}`);
  return Number(
    await wh.scalar(
      `SELECT count(*) FROM id_records n FULL JOIN identity.records o USING (party_uid)
       WHERE n.party_uid IS NULL OR o.party_uid IS NULL${differs.length > 0 ? ` OR ${differs.join(' OR ')}` : ''}`,
    ),
  );
}
