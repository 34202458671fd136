import { listValue } from '@duckdb/node-api';
import type { Logger } from '../foundation/logger.ts';
import type { Warehouse } from '../foundation/duckdb-client.ts';
import type { BlockingRule } from './blocking-rules.ts';
import { type Comparison } from './comparisons.ts';
import { PATTERN_BITS, patternKeySql } from './comparison-sql.ts';
import type { UTable } from './estimate-u.ts';

/** Pseudo-count of matches at the starting m values: keeps rarely seen levels near their prior. */
export const PRIOR_MATCHES = 50;
/**
 * EM has converged when no m moves more than TOLERANCE in an iteration, or the log-likelihood of
 * the observed level patterns improves by less than LL_TOLERANCE of itself. A level seen almost
 * only among non-matches (two different generational suffixes) drifts towards m = 0 by a few per
 * cent an iteration for ever (its maximum is on the boundary); the likelihood, and the pairs'
 * probabilities, no longer move.
 */
const TOLERANCE = 1e-4;
const LL_TOLERANCE = 1e-6;

export interface TrainedM {
  /** comparison → level → m, and whether EM saw enough of the level to own it */
  readonly m: ReadonlyMap<string, ReadonlyMap<number, { m: number; source: 'em' | 'prior' }>>;
  /**
   * comparison → level → u among the non-matches of the candidate pairs (EM's in-session u,
   * averaged over sessions by their expected non-matches): how often related non-matches
   * (households) agree, which random pairs cannot show.
   */
  readonly sessionU: ReadonlyMap<string, ReadonlyMap<number, number>>;
  /** Probability that two random records match. */
  readonly prior: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * `pattern_counts` (level pattern, rules, first rule, pairs) and `pattern_levels` (pattern →
 * each comparison's level) over tonight's `pair_gammas`: what EM trains on, and what scoring
 * looks level weights up by, also with a kept model.
 */
export async function buildPatternTables(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<void> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE pattern_counts AS
    SELECT ${patternKeySql(comparisons)} AS pattern, rule_mask, first_rule, count(*)::BIGINT AS cnt FROM pair_gammas GROUP BY ALL`);
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE em_comparisons AS SELECT unnest($1::VARCHAR[]) AS comparison, unnest($2::INTEGER[]) AS shift`,
    [
      listValue(comparisons.map((c) => c.name)),
      listValue(comparisons.map((_, i) => i * PATTERN_BITS)),
    ],
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE pattern_levels AS
    SELECT p.pattern, c.comparison, (((p.pattern >> c.shift) & 7) - 1)::TINYINT AS level
    FROM (SELECT DISTINCT pattern FROM pattern_counts) p CROSS JOIN em_comparisons c`);
}

/**
 * Expectation–maximisation for m, one session per blocking rule (as Splink does): the pairs of
 * a rule all agree on the fields the rule blocks on, so those comparisons sit out its session,
 * while the others are estimated with their own in-session u. A comparison's m is the average
 * over the sessions it took part in, weighted by each session's expected matches.
 * Runs on counts of level patterns, so an iteration costs the same for 1k or 100M pairs.
 */
export async function trainM(
  wh: Warehouse,
  comparisons: readonly Comparison[],
  rulesIn: readonly BlockingRule[],
  u: UTable,
  opts: { iterations: number; records: number; logger: Logger },
): Promise<TrainedM> {
  await buildPatternTables(wh, comparisons);

  const rules = rulesIn;
  const sessions = rules.map((r) => r.no);
  const fixedS: number[] = [];
  const fixedC: string[] = [];
  for (const r of rules)
    for (const f of r.fixes) {
      fixedS.push(r.no);
      fixedC.push(f);
    }
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE em_sessions AS SELECT unnest($1::INTEGER[]) AS session',
    [listValue(sessions)],
  );
  // an empty list has no item type: a session that does not exist stands in
  if (fixedS.length === 0) {
    fixedS.push(-1);
    fixedC.push('');
  }
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE em_fixed AS SELECT unnest($1::INTEGER[]) AS session, unnest($2::VARCHAR[]) AS comparison',
    [listValue(fixedS), listValue(fixedC)],
  );
  await wh.run(`CREATE OR REPLACE TEMP TABLE em_obs AS
    SELECT s.session, pc.pattern, sum(pc.cnt)::DOUBLE AS cnt
    FROM pattern_counts pc JOIN em_sessions s ON ((pc.rule_mask >> s.session) & 1) = 1 GROUP BY ALL`);
  await wh.run(`CREATE OR REPLACE TEMP TABLE em_long AS
    SELECT o.session, o.pattern, pl.comparison, pl.level
    FROM em_obs o JOIN pattern_levels pl USING (pattern)
    WHERE pl.level >= 0 AND NOT EXISTS (SELECT 1 FROM em_fixed f WHERE f.session = o.session AND f.comparison = pl.comparison)`);

  const init = {
    s: [] as number[],
    c: [] as string[],
    l: [] as number[],
    m: [] as number[],
    u: [] as number[],
  };
  for (const r of rules) {
    for (const c of comparisons) {
      if (r.fixes.includes(c.name)) continue;
      for (const lv of c.levels) {
        init.s.push(r.no);
        init.c.push(c.name);
        init.l.push(lv.level);
        init.m.push(lv.m);
        init.u.push(u.get(c.name)?.get(lv.level) ?? 0.5);
      }
    }
  }
  // the session's lambda rides along in em_params as comparison '_lambda'
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE em_params AS
     SELECT unnest($1::INTEGER[]) AS session, unnest($2::VARCHAR[]) AS comparison, unnest($3::TINYINT[]) AS level,
            unnest($4::DOUBLE[]) AS m, unnest($5::DOUBLE[]) AS u
     UNION ALL SELECT session, '${LAMBDA}', 0, 0.1, 0 FROM em_sessions`,
    [listValue(init.s), listValue(init.c), listValue(init.l), listValue(init.m), listValue(init.u)],
  );

  await wh.run(
    "CREATE OR REPLACE TEMP TABLE em_u0 AS SELECT session, comparison, level, u FROM em_params WHERE comparison <> '_lambda'",
  );
  let lastLl = await logLikelihood(wh);
  let iterations = 0;
  let converged = false;
  while (iterations < opts.iterations) {
    iterations++;
    await wh.run(`CREATE OR REPLACE TEMP TABLE em_next AS
      WITH ${POSTERIOR_CTES},
      counts AS (
        SELECT g.session, g.comparison, g.level, sum(p.p * p.cnt) AS mc, sum((1 - p.p) * p.cnt) AS uc
        FROM em_long g JOIN post p USING (session, pattern) GROUP BY ALL)
      SELECT session, comparison, level,
        greatest(coalesce(mc / nullif(sum(mc) OVER (PARTITION BY session, comparison), 0), 0), 1e-9) AS m,
        (coalesce(uc, 0) + ${U_PRIOR_PAIRS} * u0.u) / (sum(coalesce(uc, 0)) OVER (PARTITION BY session, comparison) + ${U_PRIOR_PAIRS}) AS u
      FROM counts JOIN em_u0 u0 USING (session, comparison, level)
      UNION ALL
      SELECT session, '${LAMBDA}', 0, least(greatest(sum(p * cnt) / nullif(sum(cnt), 0), 1e-6), 1 - 1e-6), 0 FROM post GROUP BY session`);
    const delta = Number(
      (await wh.scalar(
        'SELECT coalesce(max(abs(n.m - o.m)), 0) FROM em_next n JOIN em_params o USING (session, comparison, level)',
      )) ?? 0,
    );
    await wh.run('DROP TABLE em_params; ALTER TABLE em_next RENAME TO em_params');
    const ll = await logLikelihood(wh);
    const gain = Math.abs(ll - lastLl) / Math.max(Math.abs(ll), 1);
    lastLl = ll;
    if (delta < TOLERANCE || gain < LL_TOLERANCE) {
      converged = true;
      break;
    }
  }
  await wh.run(`CREATE OR REPLACE TEMP TABLE em_post AS WITH ${POSTERIOR_CTES} SELECT * FROM post`);
  const said = `identity: EM ${converged ? 'converged' : 'did not converge'} after ${iterations} iterations over ${sessions.length} sessions`;
  if (converged) opts.logger.info(said);
  else opts.logger.warn(`${said} (identity.em_iterations); the model may be unsettled`);
  return {
    ...(await combineSessions(wh, comparisons)),
    prior: await estimatePrior(wh, opts.records),
    iterations,
    converged,
  };
}

const LAMBDA = '_lambda';
/**
 * In-session u is pulled towards the random-pair u by this many pseudo-pairs: a session with few
 * non-matches (a clean source) keeps u near the random pairs', while a session full of related
 * non-matches (households sharing an address, a landline, a surname) learns how often they agree.
 */
const U_PRIOR_PAIRS = 100;

/** E-step as CTEs: `post(session, pattern, cnt, p)`, each session's match probability of each pattern. */
const POSTERIOR_CTES = `
  w AS (SELECT g.session, g.pattern, sum(log2(pr.m / pr.u)) AS w
        FROM em_long g JOIN em_params pr USING (session, comparison, level) GROUP BY ALL),
  post AS (
    SELECT o.session, o.pattern, o.cnt, 1 / (1 + pow(2, -(log2(la.m / (1 - la.m)) + coalesce(w.w, 0)))) AS p
    FROM em_obs o JOIN em_params la ON la.session = o.session AND la.comparison = '${LAMBDA}'
    LEFT JOIN w ON w.session = o.session AND w.pattern = o.pattern)`;

async function combineSessions(
  wh: Warehouse,
  comparisons: readonly Comparison[],
): Promise<Pick<TrainedM, 'm' | 'sessionU'>> {
  const rows = await wh.all<{
    comparison: string;
    level: number;
    wm: number;
    we: number;
    wu: number;
    wn: number;
  }>(`
    WITH expected AS (SELECT session, sum(p * cnt) AS e, sum((1 - p) * cnt) AS n FROM em_post GROUP BY session),
    took_part AS (
      SELECT c.comparison, sum(e.e) AS we, sum(e.n) AS wn FROM em_comparisons c CROSS JOIN expected e
      WHERE NOT EXISTS (SELECT 1 FROM em_fixed f WHERE f.session = e.session AND f.comparison = c.comparison)
      GROUP BY c.comparison)
    SELECT pr.comparison, pr.level::INTEGER AS level, sum(pr.m * e.e) AS wm, any_value(t.we) AS we,
           sum(pr.u * e.n) AS wu, any_value(t.wn) AS wn
    FROM em_params pr JOIN expected e USING (session) JOIN took_part t USING (comparison)
    WHERE pr.comparison <> '${LAMBDA}'
    GROUP BY pr.comparison, pr.level`);
  const m = new Map<string, Map<number, { m: number; source: 'em' | 'prior' }>>();
  const sessionU = new Map<string, Map<number, number>>();
  for (const c of comparisons) {
    const levels = new Map<number, { m: number; source: 'em' | 'prior' }>();
    const us = new Map<number, number>();
    const mine = rows.filter((r) => r.comparison === c.name);
    const we = Number(mine[0]?.we ?? 0);
    const wn = Number(mine[0]?.wn ?? 0);
    for (const lv of c.levels) {
      const row = mine.find((r) => r.level === lv.level);
      const wm = Number(row?.wm ?? 0);
      levels.set(lv.level, {
        m: (wm + PRIOR_MATCHES * lv.m) / (we + PRIOR_MATCHES),
        source: wm >= 5 ? 'em' : 'prior',
      });
      if (wn > 0 && row !== undefined) us.set(lv.level, Number(row.wu) / wn);
    }
    m.set(c.name, levels);
    sessionU.set(c.name, us);
  }
  return { m, sessionU };
}

/**
 * The prior: expected matches among the candidate pairs (each pair scored by the session of
 * the first rule that found it) over all possible pairs of records.
 */
async function estimatePrior(wh: Warehouse, records: number): Promise<number> {
  const expected = Number(
    (await wh.scalar(
      `SELECT coalesce(sum(pc.cnt * p.p), 0) FROM pattern_counts pc JOIN em_post p ON p.session = pc.first_rule AND p.pattern = pc.pattern`,
    )) ?? 0,
  );
  const all = (records * (records - 1)) / 2;
  if (all <= 0) return 1e-6;
  return Math.min(Math.max(expected / all, 1e-12), 0.5);
}

/** Log-likelihood of the observed level patterns under em_params, summed over sessions. */
async function logLikelihood(wh: Warehouse): Promise<number> {
  return Number(
    await wh.scalar(`
      WITH w AS (SELECT g.session, g.pattern, sum(ln(pr.m)) AS lm, sum(ln(pr.u)) AS lu
                 FROM em_long g JOIN em_params pr USING (session, comparison, level) GROUP BY ALL)
      SELECT coalesce(sum(o.cnt * ln(la.m * exp(coalesce(w.lm, 0)) + (1 - la.m) * exp(coalesce(w.lu, 0)))), 0)
      FROM em_obs o JOIN em_params la ON la.session = o.session AND la.comparison = '${LAMBDA}'
      LEFT JOIN w ON w.session = o.session AND w.pattern = o.pattern`),
  );
}
