import type { Logger } from '../foundation/logger.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import type { BlockingOutcome } from './blocking.ts';
import type { BlockingRule } from './blocking-rules.ts';
import { buildRandomGammas } from './candidate-pairs.ts';
import { tfLevels } from './comparison-sql.ts';
import type { Comparison } from './comparisons.ts';
import { estimateU } from './estimate-u.ts';
import type { Model } from './model.ts';
import type { IdentitySettings } from './settings.ts';
import { trainM } from './train-m.ts';

/** Rounds of re-estimating u from the random pairs weighed by the trained model. */
const U_ROUNDS = 2;

/**
 * Trains the model on tonight's records and candidate pairs (`pair_gammas`): u from a stable
 * random sample of record pairs, m by EM, then u again weighed by the model and m again
 * (U_ROUNDS), and the u of what related people share no lower than among the candidates'
 * non-matches. Runs only when model-state.ts says the kept model is due.
 */
export async function trainModel(
  wh: Warehouse,
  settings: IdentitySettings,
  comparisons: readonly Comparison[],
  rules: readonly BlockingRule[],
  outcomes: readonly BlockingOutcome[],
  records: number,
  log: Logger,
): Promise<{ model: Model; randomPairs: number }> {
  const randomPairs = await buildRandomGammas(wh, comparisons, settings.randomPairs);
  const built = rules.filter((r) => outcomes.find((o) => o.rule.no === r.no)?.status === 'built');
  let u = await estimateU(wh, comparisons);
  let trained = await trainM(wh, comparisons, built, u, {
    iterations: settings.emIterations,
    records,
    logger: log,
  });
  // u again, now counting each random pair as a non-match only as far as the model believes
  // it is one (estimate-u.ts), and m again against that u
  for (let round = 0; round < U_ROUNDS; round++) {
    const m = new Map(
      [...trained.m].map(([c, levels]) => [c, new Map([...levels].map(([l, v]) => [l, v.m]))]),
    );
    u = await estimateU(wh, comparisons, { prior: trained.prior, m, u });
    trained = await trainM(wh, comparisons, built, u, {
      iterations: settings.emIterations,
      records,
      logger: log,
    });
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
  return { model, randomPairs };
}
