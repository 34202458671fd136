import type { Queryable } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';
import { NAME_AGREEMENT, PERSON_EVIDENCE } from './accept-links.ts';
import { parseBlockingRules } from './blocking-rules.ts';
import { certainConflictSql, singleValued, type Comparison } from './comparisons.ts';
import { comparisonSelectList, gammaColumn, tfColumn } from './comparison-sql.ts';
import { IDENTIFIER_KINDS, XREF_KIND } from './identifier-kinds.ts';
import { priorWeight, probabilityOf } from './model.ts';
import { countHolders } from './name-holders.ts';
import { prepareRecords } from './prepare-records.ts';
import type { IdentitySettings } from './settings.ts';
import { IdentityError } from './errors.ts';

/** One comparison of an explained pair. */
export interface FieldExplanation {
  readonly comparison: string;
  readonly level: number;
  readonly label: string;
  readonly m: number | null;
  readonly u: number | null;
  /** log2(m/u) of the level; 0 when a side is missing. */
  readonly weight: number;
  /** Term-frequency adjustment for a common or rare shared value. */
  readonly tfAdjustment: number;
}

/** Why two records are (not) one customer, computed with the model of the last identity run. */
export interface PairExplanation {
  readonly a: string;
  readonly b: string;
  readonly runId: string;
  readonly priorWeight: number;
  readonly fields: readonly FieldExplanation[];
  readonly totalWeight: number;
  readonly probability: number;
  readonly threshold: number;
  /** Blocking rules that put the two records in one block (none: never scored by the run). */
  readonly blockedBy: readonly string[];
  /** Deterministic identifiers the two share; `usable` false when the value is too widely shared. */
  readonly identifiers: readonly { kind: string; usable: boolean; note: string | null }[];
  readonly override: 'must_link' | 'cannot_link' | null;
  /** The link decision for this pair alone, with its reason. */
  readonly linked: boolean;
  readonly linkedBy: string | null;
  readonly reason: string;
  readonly customerA: number | null;
  readonly customerB: number | null;
}

interface LastRun {
  run_id: string;
  prior: number;
  match_threshold: number;
}

export async function lastIdentityRun(wh: Queryable): Promise<LastRun> {
  const run = await wh.one<LastRun & Record<string, unknown>>(
    'SELECT run_id, prior, match_threshold FROM identity.model_runs ORDER BY finished_at DESC LIMIT 1',
  );
  if (!run) throw new IdentityError('not_ready', 'no identity run yet; run "cdw run" first');
  return run;
}

/** The settings an explanation needs: how the run decides links. */
export type ExplainSettings = Pick<
  IdentitySettings,
  | 'deterministic'
  | 'blockingRules'
  | 'strongDisagreementBits'
  | 'certainConflicts'
  | 'requirePersonalEvidence'
  | 'comparisons'
  | 'customComparisons'
  | 'birthDatePlaceholderFactor'
>;

/**
 * Explains a pair of records (by party_uid) whether or not blocking ever paired them: every
 * comparison's level, m, u, weight and term-frequency adjustment, the total, and the decision
 * the last run's rules give for this pair on its own (links through other records aside).
 * Reads the two records as the last run prepared them (`identity.records`); a warehouse from
 * before that table existed prepares them from staging.
 */
export async function explainPair(
  wh: Queryable,
  a: string,
  b: string,
  settings: ExplainSettings,
  opts: { comparisons?: readonly Comparison[] } = {},
): Promise<PairExplanation> {
  const run = await lastIdentityRun(wh);
  if (await wh.tableExists('identity', 'records')) {
    await wh.run(
      'CREATE OR REPLACE TEMP TABLE id_records AS SELECT * FROM identity.records WHERE party_uid IN ($1, $2)',
      [a, b],
    );
  } else {
    await prepareRecords(wh, settings.customComparisons, settings.birthDatePlaceholderFactor);
  }
  try {
    return await explainPrepared(wh, a, b, run, settings, opts.comparisons ?? settings.comparisons);
  } finally {
    await wh.run('DROP TABLE IF EXISTS temp.main.id_records');
  }
}

async function explainPrepared(
  wh: Queryable,
  a: string,
  b: string,
  run: LastRun,
  settings: ExplainSettings,
  comparisons: readonly Comparison[],
): Promise<PairExplanation> {
  for (const uid of [a, b]) {
    const n = Number(
      await wh.scalar('SELECT count(*) FROM id_records WHERE party_uid = $1', [uid]),
    );
    if (n === 0)
      throw new IdentityError(
        'record_not_found',
        `record ${uid} is not in staging.party_records (records are addressed as source.table:key)`,
      );
  }
  const row = await wh.one<Record<string, number | null>>(
    `WITH g AS (SELECT l.rec_id AS l_id, r.rec_id AS r_id, ${comparisonSelectList(comparisons)}
                FROM id_records l, id_records r WHERE l.party_uid = $1 AND r.party_uid = $2)
     SELECT *, coalesce(${certainConflictSql(comparisons, settings.certainConflicts)}, false) AS certain_conflict,
            coalesce(${NAME_AGREEMENT}, false) AS name_agreement, coalesce(${PERSON_EVIDENCE}, false) AS person_evidence FROM g`,
    [a, b],
  );
  if (!row) throw new IdentityError('record_not_found', 'records not found');
  const params = await wh.all<{
    comparison: string;
    level: number;
    label: string;
    m: number;
    u: number;
    weight: number;
    tf_adjusted: boolean;
  }>(
    'SELECT comparison, level, label, m, u, weight, tf_adjusted FROM identity.model_params WHERE run_id = $1',
    [run.run_id],
  );
  const fields = comparisons.map((c): FieldExplanation => {
    const level = Number(row[gammaColumn(c)]);
    const p = params.find((x) => x.comparison === c.name && x.level === level);
    const tf = p?.tf_adjusted ? Number(row[tfColumn(c, level)] ?? 0) : 0;
    const tfAdjustment = p && tf > 0 ? Math.log2(p.u) - Math.log2(tf) : 0;
    return {
      comparison: c.name,
      level,
      label:
        level < 0
          ? 'missing on a side'
          : (p?.label ?? c.levels.find((lv) => lv.level === level)?.label ?? '?'),
      m: level < 0 ? null : (p?.m ?? null),
      u: level < 0 ? null : (p?.u ?? null),
      weight: level < 0 ? 0 : (p?.weight ?? 0),
      tfAdjustment,
    };
  });
  const prior = priorWeight(run.prior);
  const totalWeight = prior + fields.reduce((s, f) => s + f.weight + f.tfAdjustment, 0);
  const probability = probabilityOf(totalWeight);
  // evidence against that no one value of a person explains (see Comparison.multiValued)
  const oneValued = new Set(singleValued(comparisons).map((c) => c.name));
  const strongest = fields.reduce(
    (lo, f) => (f.level >= 0 && oneValued.has(f.comparison) && f.weight < lo.weight ? f : lo),
    {
      weight: 0,
      comparison: '',
      label: '',
    } as Pick<FieldExplanation, 'weight' | 'comparison' | 'label'>,
  );
  const blockedBy = await rulesPairing(wh, a, b, settings.blockingRules);
  const kinds = settings.deterministic;
  const identifiers = (await sharedIdentifiers(wh, a, b, run.run_id))
    .filter((i) => kinds.includes(i.kind))
    .sort((x, y) => kinds.indexOf(x.kind) - kinds.indexOf(y.kind));
  const ov = await wh.one<{ kind: 'must_link' | 'cannot_link' }>(
    'SELECT kind FROM identity.overrides WHERE party_uid_a = $1 AND party_uid_b = $2',
    [a < b ? a : b, a < b ? b : a],
  );
  const decision = decide({
    override: ov?.kind ?? null,
    identifiers,
    certainConflict: Boolean(row.certain_conflict),
    nameAgreement: Boolean(row.name_agreement),
    personEvidence: Boolean(row.person_evidence) || !settings.requirePersonalEvidence,
    strongest,
    strongBits: settings.strongDisagreementBits,
    probability,
    threshold: run.match_threshold,
  });
  const customer = async (uid: string) => {
    const v = await wh.scalar<number | null>(
      'SELECT customer_id FROM core.customer_xref WHERE party_uid = $1',
      [uid],
    );
    return v === undefined || v === null ? null : Number(v);
  };
  return {
    a,
    b,
    runId: run.run_id,
    priorWeight: prior,
    fields,
    totalWeight,
    probability,
    threshold: run.match_threshold,
    blockedBy,
    identifiers,
    override: ov?.kind ?? null,
    ...decision,
    customerA: await customer(a),
    customerB: await customer(b),
  };
}

/** The same decision accept-links.ts takes in SQL, for one pair, with the reason in words. */
function decide(x: {
  override: 'must_link' | 'cannot_link' | null;
  identifiers: PairExplanation['identifiers'];
  certainConflict: boolean;
  nameAgreement: boolean;
  personEvidence: boolean;
  strongest: Pick<FieldExplanation, 'weight' | 'comparison' | 'label'>;
  strongBits: number;
  probability: number;
  threshold: number;
}): { linked: boolean; linkedBy: string | null; reason: string } {
  if (x.override === 'cannot_link')
    return {
      linked: false,
      linkedBy: null,
      reason: 'an analyst said these are different people (cannot-link)',
    };
  if (x.override === 'must_link')
    return {
      linked: true,
      linkedBy: 'override',
      reason: 'an analyst said these are one person (must-link)',
    };
  if (x.certainConflict)
    return {
      linked: false,
      linkedBy: null,
      reason: 'a certain conflict (identity.certain_conflicts: e.g. Jr and Sr)',
    };
  const strong = x.strongest.weight <= x.strongBits;
  for (const id of x.identifiers) {
    if (!id.usable || strong) continue;
    if (id.note !== null && !x.nameAgreement) continue;
    return {
      linked: true,
      linkedBy: id.kind,
      reason: `same ${id.kind}${id.note ? ` (${id.note}) and the first names agree` : ''}, nothing strongly against`,
    };
  }
  if (x.probability < x.threshold) {
    const against =
      strong && x.identifiers.some((i) => i.usable)
        ? `; the shared identifier does not link: ${x.strongest.comparison} "${x.strongest.label}" weighs ${x.strongest.weight.toFixed(1)} bits`
        : '';
    return {
      linked: false,
      linkedBy: null,
      reason: `probability ${x.probability.toFixed(4)} is below the threshold ${x.threshold}${against}`,
    };
  }
  if (!x.personEvidence) {
    return {
      linked: false,
      linkedBy: null,
      reason: 'they agree only on household fields (surname, address, landline), nothing personal',
    };
  }
  return {
    linked: true,
    linkedBy: 'probabilistic',
    reason: `probability ${x.probability.toFixed(4)} reaches the threshold ${x.threshold}`,
  };
}

/** The blocking rules whose keys the two records share. */
async function rulesPairing(
  wh: Queryable,
  a: string,
  b: string,
  rules: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  for (const rule of parseBlockingRules(rules)) {
    const keys = rule.keys.map((k, i) => `${k} AS k${i}`).join(', ');
    const notNull = rule.keys.map((_, i) => `k${i} IS NOT NULL`).join(' AND ');
    const hashed = rule.keys.map((_, i) => `k${i}`).join(', ');
    const side = (p: string) =>
      `(SELECT hash(${hashed}) AS h FROM (SELECT ${keys} FROM id_records WHERE party_uid = ${p}) WHERE ${notNull})`;
    const n = Number(
      await wh.scalar(`SELECT count(*) FROM ${side('$1')} x JOIN ${side('$2')} y USING (h)`, [
        a,
        b,
      ]),
    );
    if (n > 0) out.push(rule.text);
  }
  return out;
}

/** Identifier kinds whose value both records hold, and whether the last run could use it. */
async function sharedIdentifiers(
  wh: Queryable,
  a: string,
  b: string,
  runId: string,
): Promise<PairExplanation['identifiers']> {
  const out: { kind: string; usable: boolean; note: string | null }[] = [];
  const all = (await wh.tableExists('identity', 'records')) ? 'identity.records' : 'id_records';
  for (const k of IDENTIFIER_KINDS) {
    const cross = k.columns.flatMap((x) =>
      k.columns.map((y) => `l.${quoteIdent(x)} = r.${quoteIdent(y)}`),
    );
    const value = await wh.scalar<string | null>(
      `SELECT CASE ${k.columns.flatMap((x) => k.columns.map((y) => `WHEN l.${quoteIdent(x)} = r.${quoteIdent(y)} THEN l.${quoteIdent(x)}`)).join(' ')} END
       FROM id_records l, id_records r WHERE l.party_uid = $1 AND r.party_uid = $2 AND (${cross.join(' OR ')})`,
      [a, b],
    );
    if (value === undefined || value === null) continue;
    const skipped = Number(
      await wh.scalar(
        'SELECT count(*) FROM identity.shared_identifiers WHERE run_id = $1 AND kind = $2 AND value_hash = sha256($3)',
        [runId, k.name, value],
      ),
    );
    const names = await wh.all<{ first: string; given: string }>(
      `SELECT DISTINCT first_key AS first, coalesce(given_key, first_key) AS given FROM ${all}
       WHERE first_key IS NOT NULL AND (${k.columns.map((c) => `${quoteIdent(c)} = $1`).join(' OR ')})`,
      [value],
    );
    const holders = countHolders(names);
    out.push({
      kind: k.name,
      usable: skipped === 0,
      note:
        skipped > 0
          ? 'held by too many people; not used to link'
          : holders > 1
            ? `held by ${holders} people (names that cannot be one person's)`
            : null,
    });
  }
  const xref = await wh.scalar<number>(
    `SELECT count(*) FROM id_records l, id_records r WHERE l.party_uid = $1 AND r.party_uid = $2
       AND (r.party_uid = l.external_ref_source || ':' || l.external_ref OR l.party_uid = r.external_ref_source || ':' || r.external_ref)`,
    [a, b],
  );
  if (Number(xref) > 0) out.push({ kind: XREF_KIND, usable: true, note: null });
  return out;
}
