import type { Warehouse } from '../foundation/duckdb-client.ts';
import { qualified, quoteIdent } from '../foundation/sql.ts';
import type { BlockingOutcome } from './blocking.ts';

/** A blocking rule's outcome with the pairs it found that no earlier rule had. */
export type BlockingStat = BlockingOutcome & { readonly pairsNew: number };
import type { Model } from './model.ts';
import { levelWeight } from './model.ts';

/** Figures of a run recorded in identity.model_runs. */
export interface RunFigures {
  readonly records: number;
  readonly candidatePairs: number;
  readonly randomPairs: number;
  readonly matchThreshold: number;
  readonly acceptedLinks: number;
  readonly customers: number;
  readonly newCustomers: number;
  readonly merges: number;
  readonly splits: number;
  readonly households: number;
  readonly seconds: number;
}

const XREF_COLUMNS = [
  'customer_id',
  'party_uid',
  'source',
  'source_table',
  'record_key',
  'match_probability',
  'linked_by',
];
const LINK_COLUMNS = [
  'party_uid_l',
  'party_uid_r',
  'customer_id',
  'linked_by',
  'match_weight',
  'match_probability',
];
const HOUSEHOLD_COLUMNS = ['household_id', 'customer_id', 'address_key', 'role'];

/**
 * Tonight's rows of the output tables, before they are published: `new_xref`, `new_links`,
 * `new_households` (the columns of core.customer_xref, identity.links, core.dim_household).
 */
export async function buildOutputRows(wh: Warehouse, runId: string): Promise<void> {
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE new_xref AS
     WITH ends AS (
       SELECT l AS rec_id, linked_by, priority, match_probability FROM kept_links
       UNION ALL SELECT r, linked_by, priority, match_probability FROM kept_links),
     best AS (
       SELECT rec_id, arg_min(linked_by, priority) AS linked_by, max(match_probability) AS p FROM ends GROUP BY rec_id),
     rep AS (
       SELECT rc.customer_id, arg_min(r.rec_id, (coalesce(r.created_at, TIMESTAMPTZ '9999-12-31'), r.party_uid)) AS rec_id
       FROM rec_customer rc JOIN id_records r USING (rec_id) GROUP BY rc.customer_id)
     SELECT rc.customer_id, r.party_uid, r.source, r.source_table, r.record_key,
            CASE WHEN rep.rec_id IS NOT NULL OR b.rec_id IS NULL THEN 1.0 ELSE coalesce(b.p, 1.0) END AS match_probability,
            CASE WHEN rep.rec_id IS NOT NULL OR b.rec_id IS NULL THEN 'self' ELSE b.linked_by END AS linked_by,
            $1 AS run_id
     FROM rec_customer rc JOIN id_records r USING (rec_id)
     LEFT JOIN rep ON rep.rec_id = rc.rec_id
     LEFT JOIN best b ON b.rec_id = rc.rec_id`,
    [runId],
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE new_links AS
     SELECT a.party_uid AS party_uid_l, b.party_uid AS party_uid_r, ci.customer_id, k.linked_by, k.match_weight, k.match_probability, $1 AS run_id
     FROM kept_links k JOIN id_records a ON a.rec_id = k.l JOIN id_records b ON b.rec_id = k.r
     JOIN cluster_ids ci ON ci.cluster = k.cluster`,
    [runId],
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE new_households AS
     SELECT household_id, customer_id, address_key, role, $1 AS run_id FROM households`,
    [runId],
  );
}

/**
 * What tonight changed in the output: records whose customer, or whose link into it, is not
 * last night's (new and gone records included), and the customers they belong or belonged to.
 */
export async function touchedFigures(
  wh: Warehouse,
): Promise<{ records: number; customers: number }> {
  const cols = XREF_COLUMNS.join(', ');
  const row = await wh.one<{ records: number; customers: number }>(
    `WITH diff AS (
       (SELECT ${cols} FROM new_xref EXCEPT SELECT ${cols} FROM core.customer_xref)
       UNION ALL
       (SELECT ${cols} FROM core.customer_xref EXCEPT SELECT ${cols} FROM new_xref))
     SELECT count(DISTINCT party_uid)::BIGINT AS records, count(DISTINCT customer_id)::BIGINT AS customers FROM diff`,
  );
  return { records: Number(row?.records ?? 0), customers: Number(row?.customers ?? 0) };
}

/**
 * Replaces the rows of `table` that differ from `fresh` in `columns` (its columns but run_id;
 * `key`, the first of them, identifies a row in both): the rows that did not change stay as
 * they are, so a quiet night writes little and each row's run_id says which run last changed
 * it. The result holds exactly the rows of `fresh`.
 */
async function replaceChanged(
  wh: Warehouse,
  table: readonly [string, string],
  fresh: string,
  columns: readonly string[],
  key: readonly string[],
): Promise<void> {
  const cols = columns.map(quoteIdent).join(', ');
  const keys = key.map(quoteIdent).join(', ');
  const t = qualified(...table);
  const on = (a: string, b: string) =>
    key.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(' AND ');
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE gone_keys AS SELECT ${keys} FROM (SELECT ${cols} FROM ${t} EXCEPT SELECT ${cols} FROM ${fresh})`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE added_keys AS SELECT ${keys} FROM (SELECT ${cols} FROM ${fresh} EXCEPT SELECT ${cols} FROM ${t})`,
  );
  await wh.run(`DELETE FROM ${t} WHERE EXISTS (SELECT 1 FROM gone_keys g WHERE ${on(t, 'g')})`);
  await wh.run(
    `INSERT INTO ${t} BY NAME SELECT f.* FROM ${fresh} f SEMI JOIN added_keys a ON ${on('f', 'a')}`,
  );
  await wh.run('DROP TABLE gone_keys; DROP TABLE added_keys');
}

/** Temp table `rec_customer(rec_id, customer_id)` from the final clusters and their ids. */
export async function buildRecordCustomers(wh: Warehouse): Promise<void> {
  await wh.run(`CREATE OR REPLACE TEMP TABLE rec_customer AS
    SELECT f.rec_id, ci.customer_id FROM final_clusters f JOIN cluster_ids ci USING (cluster)`);
}

/**
 * Writes the run's outcome in one transaction, so readers see the previous state or the new
 * one, never a mix: identity.pairs (near matches and pairs sharing an identifier), issued and retired
 * ids, the id map and history, the record map, core.customer_xref, identity.links,
 * core.dim_household and the model of the run.
 */
export async function publish(
  wh: Warehouse,
  run: {
    runId: string;
    model: Model;
    blocking: readonly BlockingStat[];
    figures: RunFigures;
    /** More to write in the same transaction (the kept model and pair levels). */
    keep?: () => Promise<void>;
  },
): Promise<void> {
  const { runId, model, blocking, figures } = run;
  await wh.transaction(async () => {
    // interactions without a party record that the model matched to a customer
    await wh.run(
      'CREATE OR REPLACE TABLE identity.contact_matches AS SELECT * FROM contact_matches',
    );
    // the prepared records of this run, so explanations read two rows instead of preparing all
    await wh.run('CREATE OR REPLACE TABLE identity.records AS SELECT * FROM id_records');
    // pairs worth a look: the near matches (an analyst's review list) and those sharing an identifier
    await wh.run(`CREATE OR REPLACE TABLE identity.pairs AS
      SELECT a.party_uid AS party_uid_l, b.party_uid AS party_uid_r, p.* EXCLUDE (l, r)
      FROM scored_pairs p JOIN id_records a ON a.rec_id = p.l JOIN id_records b ON b.rec_id = p.r
      WHERE p.match_probability >= 0.5 OR p.det_mask <> 0`);
    await wh.run(
      `INSERT INTO identity.customer_ids SELECT customer_id, $1, current_timestamp, NULL, NULL FROM cluster_ids WHERE is_new`,
      [runId],
    );
    await wh.run(
      `UPDATE identity.customer_ids SET retired_run = $1, retired_into = m.new_id FROM id_merges m WHERE identity.customer_ids.customer_id = m.old_id`,
      [runId],
    );
    await wh.run(
      'INSERT INTO identity.id_map SELECT customer_id, customer_id FROM cluster_ids WHERE is_new',
    );
    await wh.run(
      'UPDATE identity.id_map SET current_id = m.new_id FROM id_merges m WHERE identity.id_map.current_id = m.old_id',
    );
    await wh.run(
      `INSERT INTO identity.id_history (old_id, new_id, event, run_id, reason)
       SELECT old_id, new_id, 'merge', $1, reason FROM id_merges
       UNION ALL SELECT old_id, new_id, 'split', $1, reason FROM id_splits`,
      [runId],
    );
    await wh.run(
      `CREATE OR REPLACE TEMP TABLE new_record_map AS
       SELECT r.party_uid, rc.customer_id, coalesce(rm.first_run, $1) AS first_run, $1 AS last_run, true AS present
       FROM rec_customer rc JOIN id_records r USING (rec_id) LEFT JOIN identity.record_map rm ON rm.party_uid = r.party_uid
       UNION ALL
       SELECT rm.party_uid, rm.customer_id, rm.first_run, rm.last_run, false
       FROM identity.record_map rm WHERE NOT EXISTS (SELECT 1 FROM id_records r WHERE r.party_uid = rm.party_uid)`,
      [runId],
    );
    await wh.run('DELETE FROM identity.record_map');
    await wh.run('INSERT INTO identity.record_map SELECT * FROM new_record_map');
    await wh.run('DROP TABLE new_record_map');
    // rows that did not change keep theirs (and their run_id: the run that last changed them)
    // (keys: one xref row per record, one link per pair, one household row per customer)
    await replaceChanged(wh, ['core', 'customer_xref'], 'new_xref', XREF_COLUMNS, ['party_uid']);
    await replaceChanged(wh, ['identity', 'links'], 'new_links', LINK_COLUMNS, [
      'party_uid_l',
      'party_uid_r',
    ]);
    await replaceChanged(wh, ['core', 'dim_household'], 'new_households', HOUSEHOLD_COLUMNS, [
      'customer_id',
    ]);
    await run.keep?.();
    await recordModel(wh, runId, model, blocking, figures);
  });
}

async function recordModel(
  wh: Warehouse,
  runId: string,
  model: Model,
  blocking: readonly BlockingStat[],
  f: RunFigures,
): Promise<void> {
  await wh.run(
    `INSERT INTO identity.model_runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, current_timestamp)`,
    [
      runId,
      f.records,
      f.candidatePairs,
      f.randomPairs,
      model.prior,
      model.emIterations,
      model.emConverged,
      f.matchThreshold,
      f.acceptedLinks,
      f.customers,
      f.newCustomers,
      f.merges,
      f.splits,
      f.households,
      f.seconds,
    ],
  );
  for (const p of model.params) {
    await wh.run('INSERT INTO identity.model_params VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      runId,
      p.comparison,
      p.level,
      p.label,
      p.m,
      p.u,
      levelWeight(p),
      p.mSource,
      p.tfAdjusted,
    ]);
  }
  for (const b of blocking) {
    await wh.run('INSERT INTO identity.blocking_stats VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      runId,
      b.rule.no,
      b.rule.text,
      b.pairsCounted,
      b.pairsNew,
      b.largestBlock,
      b.status,
      b.message,
    ]);
  }
}
