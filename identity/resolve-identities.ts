import type { Logger } from '../foundation/logger.ts';
import { silentProgress, type Progress } from '../foundation/progress.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import { acceptLinks } from './accept-links.ts';
import { assignIds } from './assign-ids.ts';
import { runBlockingRules } from './blocking.ts';
import { parseBlockingRules } from './blocking-rules.ts';
import { buildComparisonRecords, buildPairGammas, buildRandomGammas } from './candidate-pairs.ts';
import { clusterRecords } from './cluster.ts';
import { matchContacts } from './contact-matches.ts';
import { certainConflictSql, type Comparison } from './comparisons.ts';
import { tfLevels } from './comparison-sql.ts';
import { buildDeterministicPairs } from './deterministic.ts';
import { prepareRecords } from './prepare-records.ts';
import { estimateU } from './estimate-u.ts';
import { buildHouseholds } from './households.ts';
import type { Model } from './model.ts';
import { buildRecordCustomers, publish, type BlockingStat, type RunFigures } from './publish.ts';
import { scorePairs } from './score-pairs.ts';
import type { IdentitySettings } from './settings.ts';
import { trainM } from './train-m.ts';
import { IdentityError } from './errors.ts';

/** Rounds of re-estimating u from the random pairs weighed by the trained model. */
const U_ROUNDS = 2;

const TEMP_TABLES = [
  'id_records',
  'scored_pairs',
  'det_pairs',
  'cmp_records',
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
}

/**
 * One identity run over staging.party_records: prepare records, block, add deterministic
 * candidates, compare, estimate u (random pairs) and m (EM), score, accept links, cluster
 * under the guards, assign persistent ids, group households, and publish everything at once.
 */
export async function resolveIdentities(
  wh: Warehouse,
  settings: IdentitySettings,
  opts: { runId: string; logger: Logger; progress?: Progress; comparisons?: readonly Comparison[] },
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
      { maxPairs: settings.maxPairsPerRule, maxBlockSize: settings.maxBlockSize },
      log,
    ),
  );
  const det = await stage(log, 'deterministic', () =>
    buildDeterministicPairs(wh, settings, opts.runId),
  );
  await buildComparisonRecords(wh, comparisons);
  const candidatePairs = await stage(log, 'comparisons', () => buildPairGammas(wh, comparisons));
  const firstRules = await wh.all<{ first_rule: number; n: number }>(
    'SELECT first_rule::INTEGER AS first_rule, count(*) AS n FROM pair_gammas WHERE first_rule IS NOT NULL GROUP BY 1',
  );
  const blocking: BlockingStat[] = outcomes.map((o) => ({
    ...o,
    pairsNew: Number(firstRules.find((f) => f.first_rule === o.rule.no)?.n ?? 0),
  }));
  progress.done(`${candidatePairs} pairs`);
  log.info(
    `identity: ${records} records, ${candidatePairs} candidate pairs, ${det.sharedValues} shared identifier values skipped`,
  );

  progress.start('identity: model');
  const randomPairs = await stage(log, 'random pairs', () =>
    buildRandomGammas(wh, comparisons, settings.randomPairs),
  );
  const built = rules.filter((r) => outcomes.find((o) => o.rule.no === r.no)?.status === 'built');
  let u = await estimateU(wh, comparisons);
  let trained = await stage(log, 'EM', () =>
    trainM(wh, comparisons, built, u, { iterations: settings.emIterations, records, logger: log }),
  );
  // u again, now counting each random pair as a non-match only as far as the model believes
  // it is one (estimate-u.ts), and m again against that u
  for (let round = 0; round < U_ROUNDS; round++) {
    const m = new Map(
      [...trained.m].map(([c, levels]) => [c, new Map([...levels].map(([l, v]) => [l, v.m]))]),
    );
    u = await estimateU(wh, comparisons, { prior: trained.prior, m, u });
    trained = await stage(log, 'EM', () =>
      trainM(wh, comparisons, built, u, {
        iterations: settings.emIterations,
        records,
        logger: log,
      }),
    );
  }
  // agreements related people share: u no lower than among the candidates' non-matches
  u = new Map(
    comparisons.map((c) => [
      c.name,
      new Map(
        c.levels.map((lv) => {
          const random = u.get(c.name)?.get(lv.level) ?? 0.5;
          const related = trained.sessionU.get(c.name)?.get(lv.level);
          return [
            lv.level,
            lv.related && related !== undefined ? Math.max(random, related) : random,
          ];
        }),
      ),
    ]),
  );
  const model: Model = {
    prior: trained.prior,
    emIterations: trained.iterations,
    emConverged: trained.converged,
    params: comparisons.flatMap((c) =>
      c.levels.map((lv) => {
        const m = trained.m.get(c.name)?.get(lv.level);
        return {
          comparison: c.name,
          level: lv.level,
          label: lv.label,
          m: m?.m ?? lv.m,
          u: u.get(c.name)?.get(lv.level) ?? 0.5,
          mSource: m?.source ?? 'prior',
          tfAdjusted: tfLevels(c).some((t) => t.level === lv.level),
        };
      }),
    ),
  };
  await stage(log, 'scoring', () => scorePairs(wh, comparisons, model));
  progress.done(
    `prior ${model.prior.toExponential(2)}, EM ${trained.converged ? 'converged in' : 'stopped (not converged) after'} ${trained.iterations} iterations`,
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
  await stage(log, 'publish', () => publish(wh, { runId: opts.runId, model, blocking, figures }));
  await wh.run(TEMP_TABLES.map((t) => `DROP TABLE IF EXISTS temp.main.${t};`).join(' '));
  log.info(
    `identity: ${ids.customers} customers (${ids.newCustomers} new, ${ids.merges} merges, ${ids.splits} splits), ${households} households`,
  );
  return {
    ...figures,
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
