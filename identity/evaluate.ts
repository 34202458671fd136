import { errorMessage } from '../foundation/errors.ts';
import type { Queryable } from '../foundation/duckdb-client.ts';
import { quoteLiteral } from '../foundation/sql.ts';
import { IdentityError } from './errors.ts';
import { parseBlockingRules } from './blocking-rules.ts';

export interface PrfScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

/** Quality of core.customer_xref against a truth file; records named by party_uid only (no PII). */
export interface Evaluation {
  readonly records: number;
  readonly pairwise: PrfScores & {
    readonly truePositives: number;
    readonly predictedPairs: number;
    readonly truePairs: number;
  };
  readonly bcubed: PrfScores;
  readonly clusters: { readonly truth: number; readonly predicted: number };
  readonly worstMerges: readonly {
    customer_id: number;
    records: number;
    people: number;
    party_uids: string[];
  }[];
  readonly worstSplits: readonly {
    person: string;
    records: number;
    customers: number;
    party_uids: string[];
  }[];
  /**
   * Each blocking rule of the last run: the pairs it made, and how many true pairs (records of
   * one person) share its keys — what it would find on this truth file; `anyRule` is the share
   * of true pairs some rule pairs (blocking recall). Empty before a run.
   */
  readonly blocking: {
    readonly rules: readonly {
      rule: string;
      status: string;
      pairs: number;
      pairsNew: number;
      truePairsFound: number;
    }[];
    readonly truePairsPaired: number;
    readonly truePairs: number;
  };
  /** Over pairs of people: same household in truth vs in core.dim_household; null without household ids. */
  readonly households:
    (PrfScores & { readonly truePairs: number; readonly predictedPairs: number }) | null;
}

const prf = (tp: number, predicted: number, actual: number): PrfScores => {
  const precision = predicted === 0 ? 1 : tp / predicted;
  const recall = actual === 0 ? 1 : tp / actual;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
};

/**
 * Evaluates the current customer_xref against `truthFile`, a CSV with a header: `party_uid`
 * (or `source`, `source_table`, `record_key`), the true person (`person_id`, `entity_id` or `truth_id`) and optionally `household_id`.
 */
export async function evaluateIdentity(
  wh: Queryable,
  truthFile: string,
  opts: { worst?: number } = {},
): Promise<Evaluation> {
  const worst = opts.worst ?? 5;
  try {
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE truth_raw AS SELECT * FROM read_csv(${quoteLiteral(truthFile)}, header = true, all_varchar = true)`,
    );
  } catch (err) {
    throw new IdentityError(
      'bad_request',
      `cannot read the truth file ${truthFile}: ${errorMessage(err).split('\n')[0]}`,
      { cause: err },
    );
  }
  const cols = (
    await wh.all<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'truth_raw'",
    )
  ).map((c) => c.column_name);
  const person = ['person_id', 'entity_id', 'truth_id'].find((c) => cols.includes(c));
  const uid = cols.includes('party_uid')
    ? 't.party_uid'
    : ['source', 'source_table', 'record_key'].every((c) => cols.includes(c))
      ? "t.source || '.' || t.source_table || ':' || t.record_key"
      : undefined;
  if (!uid || !person) {
    throw new IdentityError(
      'bad_request',
      `truth file ${truthFile} needs party_uid (or source, source_table, record_key) and one of person_id, entity_id, truth_id (has: ${cols.join(', ')})`,
    );
  }
  const household = cols.includes('household_id') ? 't.household_id' : 'NULL';
  await wh.run(`CREATE OR REPLACE TEMP TABLE eval_j AS
    SELECT x.party_uid, x.customer_id AS pred, t.${person} AS person, ${household} AS household
    FROM truth_raw t JOIN core.customer_xref x ON x.party_uid = ${uid}`);
  const c2 = (expr: string) =>
    `(SELECT coalesce(sum(n * (n - 1) / 2), 0)::DOUBLE FROM (SELECT count(*) AS n FROM eval_j GROUP BY ${expr}))`;
  const s = await wh.one<Record<string, number>>(`SELECT
      (SELECT count(*) FROM eval_j) AS records,
      ${c2('pred, person')} AS tp, ${c2('pred')} AS pp, ${c2('person')} AS ap,
      (SELECT count(DISTINCT person) FROM eval_j) AS truth_clusters, (SELECT count(DISTINCT pred) FROM eval_j) AS pred_clusters`);
  const b = await wh.one<{ p: number; r: number }>(`
    WITH both_ AS (SELECT pred, person, count(*) AS n FROM eval_j GROUP BY ALL),
    ps AS (SELECT pred, count(*) AS n FROM eval_j GROUP BY pred),
    ts AS (SELECT person, count(*) AS n FROM eval_j GROUP BY person)
    SELECT sum(b.n * b.n / ps.n) / sum(b.n) AS p, sum(b.n * b.n / ts.n) / sum(b.n) AS r
    FROM both_ b JOIN ps USING (pred) JOIN ts USING (person)`);
  const merges = await wh.all<{
    customer_id: number;
    records: number;
    people: number;
    party_uids: string[];
  }>(`
    SELECT pred AS customer_id, count(*) AS records, count(DISTINCT person) AS people, list(party_uid ORDER BY party_uid)[1:6] AS party_uids
    FROM eval_j GROUP BY pred HAVING count(DISTINCT person) > 1 ORDER BY people DESC, records DESC, pred LIMIT ${worst}`);
  const splits = await wh.all<{
    person: string;
    records: number;
    customers: number;
    party_uids: string[];
  }>(`
    SELECT person, count(*) AS records, count(DISTINCT pred) AS customers, list(party_uid ORDER BY party_uid)[1:6] AS party_uids
    FROM eval_j GROUP BY person HAVING count(DISTINCT pred) > 1 ORDER BY customers DESC, records DESC, person LIMIT ${worst}`);
  const tp = Number(s?.tp ?? 0);
  const pp = Number(s?.pp ?? 0);
  const ap = Number(s?.ap ?? 0);
  const bp = Number(b?.p ?? 1);
  const br = Number(b?.r ?? 1);
  return {
    records: Number(s?.records ?? 0),
    pairwise: { ...prf(tp, pp, ap), truePositives: tp, predictedPairs: pp, truePairs: ap },
    bcubed: { precision: bp, recall: br, f1: bp + br === 0 ? 0 : (2 * bp * br) / (bp + br) },
    clusters: { truth: Number(s?.truth_clusters ?? 0), predicted: Number(s?.pred_clusters ?? 0) },
    worstMerges: merges,
    worstSplits: splits,
    blocking: await blockingRecall(wh, ap),
    households: household === 'NULL' ? null : await householdScores(wh),
  };
}

async function householdScores(wh: Queryable): Promise<Evaluation['households']> {
  const r = await wh.one<{ tp: number; pp: number; ap: number }>(`
    WITH people AS (
      SELECT person, any_value(household) AS household, mode(pred) AS customer_id FROM eval_j GROUP BY person),
    ph AS (
      SELECT p.person, p.household, coalesce(h.household_id, -p.customer_id) AS pred_household
      FROM people p LEFT JOIN core.dim_household h ON h.customer_id = p.customer_id
      WHERE p.household IS NOT NULL)
    SELECT
      (SELECT coalesce(sum(n * (n - 1) / 2), 0)::DOUBLE FROM (SELECT count(*) AS n FROM ph GROUP BY household, pred_household)) AS tp,
      (SELECT coalesce(sum(n * (n - 1) / 2), 0)::DOUBLE FROM (SELECT count(*) AS n FROM ph GROUP BY pred_household)) AS pp,
      (SELECT coalesce(sum(n * (n - 1) / 2), 0)::DOUBLE FROM (SELECT count(*) AS n FROM ph GROUP BY household)) AS ap`);
  const tp = Number(r?.tp ?? 0);
  const pp = Number(r?.pp ?? 0);
  const ap = Number(r?.ap ?? 0);
  return { ...prf(tp, pp, ap), truePairs: ap, predictedPairs: pp };
}

/**
 * Per blocking rule of the last run, the true pairs whose records share its keys, computed over
 * the run's prepared records (identity.records) for the records of the truth file.
 */
async function blockingRecall(wh: Queryable, truePairs: number): Promise<Evaluation['blocking']> {
  const none = { rules: [], truePairsPaired: 0, truePairs };
  if (!(await wh.tableExists('identity', 'records'))) return none;
  const stats = await wh.all<{
    rule_no: number;
    rule: string;
    status: string;
    pairs_counted: number;
    pairs_new: number;
  }>(
    `SELECT rule_no, rule, status, pairs_counted, pairs_new FROM identity.blocking_stats
     WHERE run_id = (SELECT run_id FROM identity.model_runs ORDER BY finished_at DESC LIMIT 1) ORDER BY rule_no`,
  );
  if (stats.length === 0) return none;
  await wh.run(`CREATE OR REPLACE TEMP TABLE eval_recs AS
    SELECT r.*, j.person FROM identity.records r JOIN eval_j j USING (party_uid)`);
  await wh.run('CREATE OR REPLACE TEMP TABLE eval_found (l VARCHAR, r VARCHAR, rule_no INTEGER)');
  const rules = [];
  for (const s of stats) {
    const keys = parseBlockingRules([s.rule])[0]!.keys;
    // keys are computed in a subquery first: a key may be unnest(<list>), which cannot stand in WHERE
    const cols = keys.map((k, i) => `${k} AS k${i}`).join(', ');
    const hashed = keys.map((_, i) => `k${i}`).join(', ');
    const notNull = keys.map((_, i) => `k${i} IS NOT NULL`).join(' AND ');
    try {
      await wh.run(
        `INSERT INTO eval_found
         WITH k AS (SELECT DISTINCT party_uid, person, hash(${hashed}) AS h
                    FROM (SELECT party_uid, person, ${cols} FROM eval_recs) WHERE ${notNull})
         SELECT DISTINCT a.party_uid, b.party_uid, $1 FROM k a JOIN k b ON a.h = b.h AND a.person = b.person AND a.party_uid < b.party_uid`,
        [s.rule_no],
      );
    } catch {
      // a rule that no longer binds (a column the records lack) finds nothing
    }
    rules.push({
      rule: s.rule,
      status: s.status,
      pairs: Number(s.pairs_counted),
      pairsNew: Number(s.pairs_new),
      truePairsFound: Number(
        await wh.scalar('SELECT count(*) FROM eval_found WHERE rule_no = $1', [s.rule_no]),
      ),
    });
  }
  const paired = Number(
    await wh.scalar(
      `SELECT count(*) FROM (SELECT DISTINCT l, r FROM eval_found f
        JOIN identity.blocking_stats b ON b.rule_no = f.rule_no AND b.status = 'built'
        AND b.run_id = (SELECT run_id FROM identity.model_runs ORDER BY finished_at DESC LIMIT 1))`,
    ),
  );
  await wh.run('DROP TABLE eval_recs; DROP TABLE eval_found');
  return { rules, truePairsPaired: paired, truePairs };
}
