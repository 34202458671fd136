import type { EntityName } from '../../foundation/entities.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { runNamed } from '../../foundation/run-sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { InternalError } from '../../foundation/errors.ts';

/** What a model needs to build its table. */
export interface ModelEnv {
  readonly wh: Warehouse;
  readonly config: CdwConfig;
}

/**
 * A staging model: builds `staging.<name>__next`, which the step publishes as
 * `staging.<name>` together with every other model once all are built. `prepare` runs before
 * the source tables are staged (creating the tables their rows are appended to), `build`
 * after, in dependency order.
 */
export interface StagingModel {
  readonly name: string;
  readonly deps: readonly string[];
  prepare?(env: ModelEnv): Promise<void>;
  build?(env: ModelEnv): Promise<void>;
}

/** The table a model builds before it is published. */
export function nextName(model: string): string {
  return `${model}__next`;
}

/** Web hits of every web table, before sessions are assigned over all of them. */
const WEB_HITS_STAGED = '_web_hits__staged';

/** Where the staged rows of each entity's source tables are appended. */
export const UNIT_TARGETS: Readonly<Record<EntityName, string>> = {
  party: nextName('party_records'),
  transaction: nextName('transactions'),
  interaction: nextName('interactions'),
  web_hit: WEB_HITS_STAGED,
  campaign: nextName('campaigns'),
  campaign_contact: nextName('campaign_contacts'),
};

const next = (model: string) => ['staging', nextName(model)] as const;

/** An entity's table: the contract DDL (`<name>.sql`), filled by the source tables' units. */
function entityModel(name: string): StagingModel {
  return {
    name,
    deps: [],
    async prepare(env) {
      await env.wh.run(
        sqlFromFile(import.meta.url, `${name.replaceAll('_', '-')}.sql`, {
          ident: { table: next(name) },
        }),
      );
    },
  };
}

const webHits: StagingModel = {
  name: 'web_hits',
  deps: [],
  async prepare(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-hits.sql', {
        ident: { table: ['staging', WEB_HITS_STAGED] },
      }),
    );
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-hits.sql', { ident: { table: next('web_hits') } }),
    );
  },
  async build(env) {
    const sql = sqlFromFile(import.meta.url, 'web-hits-insert.sql', {
      ident: { table: next('web_hits'), hits: ['staging', WEB_HITS_STAGED] },
    });
    await runNamed(env.wh.conn, sql, {
      timeout_minutes: env.config.transforms.sessionTimeoutMinutes,
    });
  },
};

const cookieLinks: StagingModel = {
  name: 'cookie_links',
  deps: ['web_hits'],
  async build(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'cookie-links.sql', {
        ident: { table: next('cookie_links'), web_hits: next('web_hits') },
      }),
    );
  },
};

const webSessions: StagingModel = {
  name: 'web_sessions',
  deps: ['web_hits', 'cookie_links'],
  async build(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-sessions.sql', {
        ident: {
          table: next('web_sessions'),
          web_hits: next('web_hits'),
          cookie_links: next('cookie_links'),
        },
      }),
    );
  },
};

/** Every staging model; `orderModels` puts them in dependency order. */
export const STAGING_MODELS: readonly StagingModel[] = [
  entityModel('party_records'),
  entityModel('transactions'),
  entityModel('interactions'),
  entityModel('campaigns'),
  entityModel('campaign_contacts'),
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
