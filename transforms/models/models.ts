import type { EntityName } from '../../foundation/entities.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { allNamed, runNamed } from '../../foundation/run-sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { InternalError } from '../../foundation/errors.ts';
import { qualified, quoteIdent } from '../../foundation/sql.ts';

/** What a model needs to build its changes. */
export interface ModelEnv {
  readonly wh: Warehouse;
  readonly config: CdwConfig;
  /** Staging is rebuilt from raw tonight: no published row stays. */
  readonly rebuild: boolean;
}

/**
 * A staging model. Staging is changed, not rebuilt: each night a model computes the rows that
 * replace some of its published rows into `staging._<name>__changed` (`changedName`), and the
 * step applies every model's changes in one transaction (`apply-changes.ts`), so readers see
 * last night's staging or tonight's, never a mix.
 * - `create` makes the empty published table (first night, or the code changed: a rebuild);
 * - `prepare` runs before the source tables are staged (creating the tables their rows are
 *   appended to);
 * - `build` runs after, in dependency order, reading other models' `__changed` tables;
 * - `apply` replaces published rows by the changed ones (see below).
 */
export interface StagingModel {
  readonly name: string;
  readonly deps: readonly string[];
  create?(env: ModelEnv): Promise<void>;
  prepare?(env: ModelEnv): Promise<void>;
  build?(env: ModelEnv): Promise<void>;
  /**
   * In the publishing transaction, after `create` on a rebuild: replaces the published rows
   * that tonight's changes replace by the model's `__changed` rows.
   */
  apply(env: ModelEnv): Promise<void>;
}

/** The work table that holds tonight's rows of a model, before they are applied. */
export function changedName(model: string): string {
  return `_${model}__changed`;
}

/** Web hits restaged tonight, before sessions are assigned over each touched visitor's hits. */
export const WEB_HITS_STAGED = '_web_hits__staged';

/** The source tables staged tonight: (source, source_table, incremental). */
export const TRANSFORM_PLAN = '_transform_plan';
/** The record keys restaged tonight: (source, source_table, rk, seen: staged before). */
export const CHANGED_KEYS = '_transform_changed_keys';
/** The keys of the raw rows read tonight: (raw_table, rk, rid), for `meta.transform_keys`. */
export const KEY_ROWS = '_transform_key_rows';
/** Published web hits replaced tonight (row id, the hit, whether the row itself goes). */
export const WEB_TOUCHED = '_web_hits__touched';
const REHITS = '_web_hits__rehits';
/** Published web hits that go tonight (web-hits-gone.sql). */
const GONE = '_web_hits__gone';
/** Where each touched visitor is sessionised again from (web-hits-from.sql). */
const FROM = '_web_hits__from';

/** Where the staged rows of each entity's source tables are appended. */
export const UNIT_TARGETS: Readonly<Record<EntityName, string>> = {
  party: changedName('party_records'),
  transaction: changedName('transactions'),
  interaction: changedName('interactions'),
  web_hit: WEB_HITS_STAGED,
  campaign: changedName('campaigns'),
  campaign_contact: changedName('campaign_contacts'),
};

/** A web visitor: the cookie, else the logged-in id, else the address and user agent (of `h`). */
export const VISITOR_SQL = `coalesce('c:' || h.cookie_id, 'u:' || h.user_id, 'a:' || coalesce(h.ip, '') || '|' || coalesce(h.user_agent, ''))`;

const staging = (name: string) => ['staging', name] as const;
const changed = (model: string) => staging(changedName(model));

async function insertChanged(env: ModelEnv, model: string): Promise<void> {
  await env.wh.run(
    `INSERT INTO ${qualified('staging', model)} BY NAME SELECT * FROM ${qualified('staging', changedName(model))}`,
  );
}

/**
 * Notes in `meta.staging_changes` the uids of the published rows of `model` tonight replaces
 * or adds (a SELECT), for profiles' facts that work on what changed; a NULL uid ("any row")
 * when staging is rebuilt. Like note-changes.sql for the entities' tables.
 */
async function noteReplaced(env: ModelEnv, model: string, uids: string): Promise<void> {
  if (env.rebuild) {
    await env.wh.run(`INSERT INTO meta.staging_changes VALUES ($1, NULL)`, [model]);
    return;
  }
  await env.wh.run(
    `INSERT INTO meta.staging_changes SELECT DISTINCT $1, uid FROM (${uids}) AS t(uid) WHERE uid IS NOT NULL`,
    [model],
  );
}

/** Deletes the published rows of `model` whose `column` is among `values` (a SELECT). */
async function deleteWhereIn(
  env: ModelEnv,
  model: string,
  column: string,
  values: string,
): Promise<void> {
  if (env.rebuild) return;
  await env.wh.run(
    `DELETE FROM ${qualified('staging', model)} WHERE ${quoteIdent(column)} IN (${values})`,
  );
}

/**
 * An entity's table: the contract DDL (`<name>.sql`), filled by the source tables' units. What
 * it changes tonight is noted in `meta.staging_changes` for the steps that read it.
 */
function entityModel(name: string, entity: EntityName, notesChanges = false): StagingModel {
  const ddl = (env: ModelEnv, table: readonly [string, string]) =>
    env.wh.run(
      sqlFromFile(import.meta.url, `${name.replaceAll('_', '-')}.sql`, { ident: { table } }),
    );
  return {
    name,
    deps: [],
    create: (env) => ddl(env, staging(name)),
    prepare: (env) => ddl(env, changed(name)),
    async apply(env) {
      if (notesChanges)
        await runNamed(
          env.wh.conn,
          sqlFromFile(import.meta.url, 'note-changes.sql', {
            ident: {
              table: staging(name),
              plan: staging(TRANSFORM_PLAN),
              changed_keys: staging(CHANGED_KEYS),
            },
          }),
          { model: name, entity: entity, rebuild: env.rebuild },
        );
      // rows of tables restaged whole (or gone from the config), and of keys restaged tonight
      if (!env.rebuild)
        await env.wh.run(
          sqlFromFile(import.meta.url, 'delete-replaced.sql', {
            ident: {
              table: staging(name),
              plan: staging(TRANSFORM_PLAN),
              changed_keys: staging(CHANGED_KEYS),
            },
          }),
        );
      await insertChanged(env, name);
    },
  };
}

/**
 * Web hits: the restaged hits and the published hits of the visitors they touch from the
 * session that can still change on (a late hit can join two sessions or split one; the hits
 * before it keep their sessions), sessionised again (`_web_hits__touched` holds the published
 * rows they replace; see web-hits-from.sql).
 */
const webHits: StagingModel = {
  name: 'web_hits',
  deps: [],
  async create(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-hits.sql', { ident: { table: staging('web_hits') } }),
    );
  },
  async prepare(env) {
    for (const t of [WEB_HITS_STAGED, REHITS, changedName('web_hits')])
      await env.wh.run(
        sqlFromFile(import.meta.url, 'web-hits.sql', { ident: { table: staging(t) } }),
      );
  },
  async build(env) {
    const timeout = { timeout_minutes: env.config.transforms.sessionTimeoutMinutes };
    const web_hits = staging('web_hits');
    const staged = staging(WEB_HITS_STAGED);
    const plan = staging(TRANSFORM_PLAN);
    const changed_keys = staging(CHANGED_KEYS);
    const gone = staging(GONE);
    const from = staging(FROM);
    const touched = staging(WEB_TOUCHED);
    const visitor = { visitor: VISITOR_SQL };
    // staging is rebuilt: no published hit stays (the published table may have an older shape)
    const mayGo =
      !env.rebuild &&
      (await env.wh.scalar<boolean>(
        sqlFromFile(import.meta.url, 'web-hits-may-go.sql', {
          ident: { web_hits, plan, changed_keys },
        }),
      ));
    if (mayGo)
      await env.wh.run(
        sqlFromFile(import.meta.url, 'web-hits-gone.sql', {
          ident: { gone, web_hits, plan, changed_keys },
          sql: visitor,
        }),
      );
    else
      await env.wh.run(
        `CREATE OR REPLACE TABLE ${qualified(...gone)} (_rid BIGINT, visitor VARCHAR, occurred_at TIMESTAMPTZ)`,
      );
    // the bounds are bound as constants, so the scans skip the row groups before them
    const near = env.rebuild
      ? null
      : await allNamed<{ near: string | null }>(
          env.wh.conn,
          `SELECT CAST(min(occurred_at) - to_minutes(CAST($timeout_minutes AS BIGINT)) AS VARCHAR) AS near
           FROM (SELECT occurred_at FROM ${qualified(...staged)} UNION ALL SELECT occurred_at FROM ${qualified(...gone)})`,
          timeout,
        );
    const nearAt = near?.[0]?.near ?? null;
    if (nearAt === null) {
      await env.wh.run(
        `CREATE OR REPLACE TABLE ${qualified(...touched)} AS
         SELECT CAST(NULL AS BIGINT) AS _rid, *, false AS gone FROM ${qualified(...staged)} LIMIT 0`,
      );
    } else {
      await runNamed(
        env.wh.conn,
        sqlFromFile(import.meta.url, 'web-hits-from.sql', {
          ident: { from, staged, gone, web_hits },
          sql: visitor,
        }),
        { ...timeout, near: nearAt },
      );
      const fromAt = await env.wh.scalar<string>(
        `SELECT CAST(min(from_at) AS VARCHAR) FROM ${qualified(...from)}`,
      );
      await runNamed(
        env.wh.conn,
        sqlFromFile(import.meta.url, 'web-hits-touched.sql', {
          ident: { touched, web_hits, from, gone },
          sql: visitor,
        }),
        { from: fromAt },
      );
      await env.wh.run(
        sqlFromFile(import.meta.url, 'web-hits-rehits.sql', {
          ident: { rehits: staging(REHITS), touched },
        }),
      );
    }
    await env.wh.run(
      `INSERT INTO ${qualified('staging', REHITS)} BY NAME SELECT * FROM ${qualified('staging', WEB_HITS_STAGED)}`,
    );
    const sql = sqlFromFile(import.meta.url, 'web-hits-insert.sql', {
      ident: { table: changed('web_hits'), hits: staging(REHITS) },
      sql: { visitor: VISITOR_SQL },
    });
    await runNamed(env.wh.conn, sql, timeout);
  },
  async apply(env) {
    await noteReplaced(
      env,
      'web_hits',
      `SELECT hit_uid FROM ${touchedTable}
       UNION SELECT hit_uid FROM ${qualified('staging', changedName('web_hits'))}`,
    );
    await deleteWhereIn(env, 'web_hits', 'rowid', `SELECT _rid FROM ${touchedTable}`);
    await insertChanged(env, 'web_hits');
  },
};

const touchedTable = qualified('staging', WEB_TOUCHED);
/** Tonight's links with helper columns, and links that go (`hits` 0): cookie-links-changed.sql. */
const LINKS_NEXT = '_cookie_links__next';
const COOKIE_USERS = '_web_sessions__cookie_users';

/**
 * Cookie links of the (cookie, user) pairs with a hit sessionised again: the published link
 * less the hits replaced plus those sessionised again (cookie-links-changed.sql).
 */
const cookieLinks: StagingModel = {
  name: 'cookie_links',
  deps: ['web_hits'],
  async create(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'cookie-links.sql', {
        ident: { table: staging('cookie_links'), web_hits: staging('web_hits') },
      }),
    );
  },
  async build(env) {
    if (env.rebuild) {
      await env.wh.run(
        sqlFromFile(import.meta.url, 'cookie-links.sql', {
          ident: { table: changed('cookie_links'), web_hits: changed('web_hits') },
        }),
      );
      await env.wh.run(
        `CREATE OR REPLACE TABLE ${qualified('staging', LINKS_NEXT)} AS SELECT * FROM ${qualified(...changed('cookie_links'))}`,
      );
      return;
    }
    const ident = {
      table: staging(LINKS_NEXT),
      touched: staging(WEB_TOUCHED),
      web_hits: changed('web_hits'),
      links: staging('cookie_links'),
    };
    await env.wh.run(sqlFromFile(import.meta.url, 'cookie-links-changed.sql', { ident }));
    const unknown = await env.wh.scalar<boolean>(
      `SELECT bool_or(last_unknown) FROM ${qualified(...ident.table)}`,
    );
    if (unknown === true)
      await env.wh.run(
        sqlFromFile(import.meta.url, 'cookie-links-last-seen.sql', {
          ident: { table: ident.table, touched: ident.touched, web_hits: staging('web_hits') },
        }),
      );
    await env.wh.run(
      `CREATE OR REPLACE TABLE ${qualified(...changed('cookie_links'))} AS
       SELECT * EXCLUDE (last_unknown) FROM ${qualified(...ident.table)} WHERE hits > 0`,
    );
  },
  async apply(env) {
    if (!env.rebuild)
      await env.wh.run(
        `DELETE FROM ${qualified('staging', 'cookie_links')} AS l
         WHERE EXISTS (SELECT 1 FROM ${qualified('staging', LINKS_NEXT)} n WHERE n.cookie_id = l.cookie_id AND n.user_id = l.user_id)`,
      );
    await insertChanged(env, 'cookie_links');
  },
};

/**
 * Sessions of the hits sessionised again, and the published sessions of the cookies whose
 * linked user changed (a session without a logged-in hit takes its cookie's user).
 */
const webSessions: StagingModel = {
  name: 'web_sessions',
  deps: ['web_hits', 'cookie_links'],
  async create(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-sessions.sql', {
        ident: {
          table: staging('web_sessions'),
          web_hits: staging('web_hits'),
          cookie_links: staging('cookie_links'),
        },
      }),
    );
  },
  async build(env) {
    if (env.rebuild) {
      await env.wh.run(
        sqlFromFile(import.meta.url, 'web-sessions.sql', {
          ident: {
            table: changed('web_sessions'),
            web_hits: changed('web_hits'),
            cookie_links: changed('cookie_links'),
          },
        }),
      );
      return;
    }
    const table = changed('web_sessions');
    const web_hits = changed('web_hits');
    const cookie_users = staging(COOKIE_USERS);
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-sessions-cookie-users.sql', {
        ident: {
          table: cookie_users,
          web_hits,
          changed_links: staging(LINKS_NEXT),
          links: staging('cookie_links'),
        },
      }),
    );
    // The sessions of the hits sessionised again, each cookie's user as linked tonight.
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-sessions.sql', {
        ident: { table, web_hits, cookie_links: cookie_users },
      }),
    );
    const relinked = await env.wh.scalar<boolean>(
      `SELECT EXISTS (SELECT 1 FROM ${qualified(...cookie_users)} WHERE user_id IS DISTINCT FROM was)`,
    );
    if (relinked)
      await env.wh.run(
        sqlFromFile(import.meta.url, 'web-sessions-relinked.sql', {
          ident: {
            table,
            sessions: staging('web_sessions'),
            cookie_users,
            touched: staging(WEB_TOUCHED),
          },
        }),
      );
  },
  async apply(env) {
    await noteReplaced(
      env,
      'web_sessions',
      `SELECT session_id FROM ${touchedTable} UNION SELECT session_id FROM ${qualified('staging', changedName('web_sessions'))}`,
    );
    await deleteWhereIn(
      env,
      'web_sessions',
      'session_id',
      `SELECT session_id FROM ${touchedTable} UNION SELECT session_id FROM ${qualified('staging', changedName('web_sessions'))}`,
    );
    await insertChanged(env, 'web_sessions');
  },
};

/** Every staging model; `orderModels` puts them in dependency order. */
export const STAGING_MODELS: readonly StagingModel[] = [
  entityModel('party_records', 'party'),
  // read by profiles' facts, which work on what changed
  entityModel('transactions', 'transaction', true),
  entityModel('interactions', 'interaction', true),
  entityModel('campaigns', 'campaign'),
  // read by profiles' facts too
  entityModel('campaign_contacts', 'campaign_contact', true),
  webHits,
  cookieLinks,
  webSessions,
];

/** Models sorted so each comes after what it reads; a cycle or an unknown dependency throws. */
export function orderModels(models: readonly StagingModel[]): StagingModel[] {
  const byName = new Map(models.map((m) => [m.name, m]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: StagingModel[] = [];
  const visit = (m: StagingModel, path: readonly string[]) => {
    if (done.has(m.name)) return;
    if (visiting.has(m.name))
      throw new InternalError(
        `staging models depend on each other in a cycle: ${[...path, m.name].join(' → ')}`,
      );
    visiting.add(m.name);
    for (const d of m.deps) {
      const dep = byName.get(d);
      if (dep === undefined)
        throw new InternalError(`staging model ${m.name} depends on unknown model ${d}`);
      visit(dep, [...path, m.name]);
    }
    visiting.delete(m.name);
    done.add(m.name);
    out.push(m);
  };
  for (const m of models) visit(m, []);
  return out;
}
