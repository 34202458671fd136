import type { Warehouse } from '../../foundation/duckdb-client.ts';

/**
 * Facts built from what changed. A fact row is a function of its staging row and of lookups
 * (the customer of a party record, of an identifier that names one customer, of a contact the
 * identity model matched). A night rebuilds only the rows whose staging row the transform
 * restaged (`meta.staging_changes`, written by transforms/models/note-changes.sql) or one of
 * whose lookups changed since the fact was last built (`meta.fact_inputs`: the lookups as they
 * were then, per fact) — merges and splits re-point facts that way. Everything is rebuilt on a
 * full refresh, when the fact was never built this way, or when the transform says any row may
 * have changed (a NULL uid: staging rebuilt, or a table restaged whole). Rows added to or removed
 * from staging by anything else are rebuilt too (every staging row is a fact); a row changed in
 * place by another writer than the transform is not seen until a full refresh.
 *
 * So an incremental night and a full refresh give the same fact table
 * (tests/profiles/incremental-facts.test.ts).
 */
export interface FactChanges {
  /** The staging model whose changes the transform notes. */
  readonly model:
    'transactions' | 'interactions' | 'web_sessions' | 'web_hits' | 'campaign_contacts';
  /** The fact's uid column (the same name in staging) and the alias of staging in its .sql. */
  readonly uid: string;
  readonly alias: string;
  /** SELECT kind, value, customer_id: every lookup a row of the fact can depend on, as of now. */
  readonly lookups: string;
  /** SELECT uid: the staging rows that depend on a lookup in `profiles_lookup_changed`. */
  readonly dependents: string;
  /** Which staging rows are facts (over `alias`, given the .sql's other holes); default every row. */
  readonly isFact?: (holes: Readonly<Record<string, string>>) => string;
  /** More holes of the .sql to fill with "this column's value is in scope" (e.g. a CTE's filter). */
  readonly scopeHoles?: Readonly<Record<string, string>>;
}

const XREF = `SELECT 'xref' AS kind, party_uid AS value, customer_id FROM core.customer_xref`;
const changed = (kind: string) =>
  `(SELECT value FROM profiles_lookup_changed WHERE kind = '${kind}')`;

/**
 * A fact row found by its party reference, else its card, e-mail or phone (transactions and
 * campaign sends): the lookups it can depend on, and its rows that depend on a changed one.
 */
function foundByPartyKeys(model: FactChanges['model'], uid: string, alias: string): FactChanges {
  const a = alias;
  return {
    model,
    uid,
    alias,
    lookups: `${XREF} UNION ALL SELECT kind, value, customer_id FROM profiles_ident WHERE kind IN ('card', 'email', 'phone')`,
    dependents: `SELECT ${a}.${uid} FROM staging.${model} ${a}
    WHERE ${a}.party_uid IN ${changed('xref')}
       OR (${a}.card IS NOT NULL AND upper(regexp_replace(${a}.card, '[^0-9A-Za-z]', '', 'g')) IN ${changed('card')})
       OR ${a}.email_key IN ${changed('email')}
       OR ${a}.phone_e164 IN ${changed('phone')}`,
  };
}

export const TRANSACTION_CHANGES: FactChanges = foundByPartyKeys('transactions', 'txn_uid', 't');

export const INTERACTION_CHANGES: FactChanges = {
  model: 'interactions',
  uid: 'interaction_uid',
  alias: 'i',
  lookups: `${XREF} UNION ALL SELECT kind, value, customer_id FROM profiles_ident WHERE kind IN ('email', 'phone')
    UNION ALL SELECT 'contact', interaction_uid, customer_id FROM identity.contact_matches`,
  dependents: `SELECT i.interaction_uid FROM staging.interactions i
    WHERE i.party_uid IN ${changed('xref')}
       OR i.email_key IN ${changed('email')}
       OR i.phone_e164 IN ${changed('phone')}
       OR i.interaction_uid IN ${changed('contact')}`,
};

/** A campaign send is found like a transaction: party reference, else card, e-mail or phone. */
export const CAMPAIGN_CONTACT_CHANGES: FactChanges = foundByPartyKeys(
  'campaign_contacts',
  'contact_uid',
  'k',
);

const USER = `SELECT kind, value, customer_id FROM profiles_ident WHERE kind = 'user'`;

export const WEB_SESSION_CHANGES: FactChanges = {
  model: 'web_sessions',
  uid: 'session_id',
  alias: 's',
  lookups: `${USER} UNION ALL SELECT 'cookie', cookie_id, customer_id FROM profiles_cookie`,
  dependents: `SELECT s.session_id FROM staging.web_sessions s
    WHERE lower(trim(s.user_id)) IN ${changed('user')}
       OR s.cookie_id IN ${changed('cookie')}`,
  scopeHoles: { hits_scope: 'session_id' },
};

/** A page view takes its session's customer and how it was found: both are a lookup of it. */
export const PAGE_VIEW_CHANGES: FactChanges = {
  model: 'web_hits',
  uid: 'hit_uid',
  alias: 'h',
  lookups: `${USER} UNION ALL SELECT 'session ' || coalesce(resolved_by, ''), session_id, customer_id FROM core.fact_web_sessions`,
  dependents: `SELECT h.hit_uid FROM staging.web_hits h
    WHERE lower(trim(h.user_id)) IN ${changed('user')}
       OR h.session_id IN (SELECT value FROM profiles_lookup_changed WHERE starts_with(kind, 'session '))`,
  isFact: (holes) => holes.is_page ?? 'true',
};

async function openFactState(wh: Warehouse): Promise<void> {
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.fact_state (fact VARCHAR PRIMARY KEY, built_at TIMESTAMPTZ NOT NULL)`,
  );
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.fact_inputs (fact VARCHAR NOT NULL, kind VARCHAR NOT NULL, value VARCHAR, customer_id BIGINT)`,
  );
  await wh.run(
    `CREATE TABLE IF NOT EXISTS meta.staging_changes (model VARCHAR NOT NULL, uid VARCHAR)`,
  );
}

/** Which rows of the fact tonight rebuilds: the `fact_scope`/`staging_scope` holes of its .sql. */
export async function factScope(
  wh: Warehouse,
  fact: string,
  c: FactChanges,
  fullRefresh: boolean,
  fileHoles: Readonly<Record<string, string>> = {},
): Promise<{ holes: Record<string, string>; rows?: number; why?: string }> {
  await openFactState(wh);
  await wh.run(`CREATE OR REPLACE TEMP TABLE profiles_lookup_now AS ${c.lookups}`);
  const scopeHoles = Object.keys(c.scopeHoles ?? {});
  const all = {
    fact_scope: 'true',
    staging_scope: 'true',
    ...Object.fromEntries(scopeHoles.map((h) => [h, 'true'])),
  };
  const isFact = c.isFact?.(fileHoles) ?? 'true';
  if (fullRefresh) return { holes: all, why: 'full refresh' };
  if (Number(await wh.scalar(`SELECT count(*) FROM meta.fact_state WHERE fact = $1`, [fact])) === 0)
    return { holes: all, why: 'first built from what changed' };
  if (
    Number(
      await wh.scalar(
        `SELECT count(*) FROM meta.staging_changes WHERE model = $1 AND uid IS NULL`,
        [c.model],
      ),
    ) > 0
  )
    return { holes: all, why: `staging.${c.model} was restaged whole` };
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE profiles_lookup_changed AS
     SELECT DISTINCT kind, value FROM (
       (SELECT kind, value, customer_id FROM profiles_lookup_now
        EXCEPT SELECT kind, value, customer_id FROM meta.fact_inputs WHERE fact = $1)
       UNION ALL
       (SELECT kind, value, customer_id FROM meta.fact_inputs WHERE fact = $1
        EXCEPT SELECT kind, value, customer_id FROM profiles_lookup_now))`,
    [fact],
  );
  // every staging row (that is a fact) is one: rows added or removed by any other writer too —
  // looked for only when the two uid sets differ (a quiet night pays one scan of each, no join)
  const added = `SELECT ${c.alias}.${c.uid} FROM staging.${c.model} ${c.alias} ANTI JOIN core.${fact} f ON f.${c.uid} = ${c.alias}.${c.uid} WHERE ${isFact}`;
  const removed = `SELECT f.${c.uid} FROM core.${fact} f ANTI JOIN staging.${c.model} ${c.alias} ON ${c.alias}.${c.uid} = f.${c.uid}`;
  const same = await sameUids(
    wh,
    `SELECT ${c.alias}.${c.uid} FROM staging.${c.model} ${c.alias} WHERE ${isFact}`,
    `SELECT ${c.uid} FROM core.${fact}`,
  );
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE profiles_fact_uids AS
     SELECT uid FROM meta.staging_changes WHERE model = $1 AND uid IS NOT NULL
     UNION ${c.dependents}
     ${same ? '' : `UNION ${added} UNION ${removed}`}`,
    [c.model],
  );
  const rows = Number(await wh.scalar(`SELECT count(*) FROM profiles_fact_uids`));
  const inScope = `IN (SELECT uid FROM profiles_fact_uids)`;
  return {
    holes: {
      fact_scope: `${c.uid} ${inScope}`,
      staging_scope: `${c.alias}.${c.uid} ${inScope}`,
      ...Object.fromEntries(
        Object.entries(c.scopeHoles ?? {}).map(([h, col]) => [h, `${col} ${inScope}`]),
      ),
    },
    rows,
  };
}

/** Whether two SELECTs of one uid column give the same uids (count and sum of their hashes). */
async function sameUids(wh: Warehouse, a: string, b: string): Promise<boolean> {
  const r = await wh.one<{ a: string; b: string }>(
    `SELECT (SELECT count(*) || ':' || coalesce(sum(hash(uid)), 0) FROM (${a}) AS t(uid)) AS a,
            (SELECT count(*) || ':' || coalesce(sum(hash(uid)), 0) FROM (${b}) AS t(uid)) AS b`,
  );
  return r !== undefined && r.a === r.b;
}

/**
 * After the fact is built (in its transaction): the lookups it was built with, the staging
 * changes it has taken in (deleted), and that it can be built from what changed next time.
 * `incremental`: the fact was built from what changed, so `profiles_lookup_changed` holds every
 * lookup that differs from the stored ones.
 */
export async function recordFactInputs(
  wh: Warehouse,
  fact: string,
  c: FactChanges,
  incremental: boolean,
): Promise<void> {
  if (incremental) {
    // Only the lookups that changed (`profiles_lookup_changed`, from factScope) are replaced:
    // every other (kind, value) has the same rows now as stored, so a quiet night writes nothing.
    const changed = `EXISTS (SELECT 1 FROM profiles_lookup_changed c WHERE c.kind = l.kind AND c.value IS NOT DISTINCT FROM l.value)`;
    await wh.run(`DELETE FROM meta.fact_inputs l WHERE l.fact = $1 AND ${changed}`, [fact]);
    await wh.run(
      `INSERT INTO meta.fact_inputs SELECT $1, kind, value, customer_id FROM profiles_lookup_now l WHERE ${changed}`,
      [fact],
    );
  } else {
    await wh.run(`DELETE FROM meta.fact_inputs WHERE fact = $1`, [fact]);
    await wh.run(
      `INSERT INTO meta.fact_inputs SELECT $1, kind, value, customer_id FROM profiles_lookup_now`,
      [fact],
    );
  }
  await wh.run(`DELETE FROM meta.staging_changes WHERE model = $1`, [c.model]);
  await wh.run(`INSERT OR REPLACE INTO meta.fact_state VALUES ($1, now())`, [fact]);
}

/** The fact could not be built (its staging table is missing): the next night rebuilds it. */
export async function forgetFactInputs(wh: Warehouse, fact: string): Promise<void> {
  await openFactState(wh);
  await wh.run(`DELETE FROM meta.fact_state WHERE fact = $1`, [fact]);
}
