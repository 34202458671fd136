import type { EntityName } from '../../jobs/config/entities.ts';
import type { CdwConfig } from '../../jobs/config/types.ts';
import type { Warehouse } from '../../warehouse/duckdb-client.ts';
import { qualified } from '../../warehouse/sql.ts';
import { runNamed } from '../run-sql.ts';
import { sqlFromFile } from '../sql-template.ts';
import type { StagedTable } from '../staging/stage-table.ts';

/** What a model needs to build its table. */
export interface ModelEnv {
  readonly wh: Warehouse;
  readonly config: CdwConfig;
  /** Every source table staged in this run (those with raw rows have a `stdTable`). */
  readonly staged: readonly StagedTable[];
}

/**
 * A staging model: builds `staging.<name>__next`, which the step publishes as
 * `staging.<name>` together with every other model once all are built.
 */
export interface StagingModel {
  readonly name: string;
  readonly deps: readonly string[];
  build(env: ModelEnv): Promise<void>;
}

/** The table a model builds before it is published. */
export function nextName(model: string): string {
  return `${model}__next`;
}

const next = (model: string) => ['staging', nextName(model)] as const;

function stdTablesOf(env: ModelEnv, entity: EntityName): string[] {
  return env.staged.filter((s) => s.table.entity === entity && s.stdTable !== undefined).map((s) => s.stdTable!);
}

/** Contract DDL, then every standardised table of the entity appended by column name. */
function unionModel(name: string, entity: EntityName): StagingModel {
  return {
    name,
    deps: [],
    async build(env) {
      await env.wh.run(sqlFromFile(import.meta.url, `${name.replaceAll('_', '-')}.sql`, { ident: { table: next(name) } }));
      for (const std of stdTablesOf(env, entity)) {
        await env.wh.run(sqlFromFile(import.meta.url, 'insert-by-name.sql', { ident: { table: next(name), from: ['staging', std] } }));
      }
    },
  };
}

const webHits: StagingModel = {
  name: 'web_hits',
  deps: [],
  async build(env) {
    await env.wh.run(sqlFromFile(import.meta.url, 'web-hits.sql', { ident: { table: next('web_hits') } }));
    const tables = stdTablesOf(env, 'web_hit');
    if (tables.length === 0) return;
    const union = tables.map((t) => `SELECT * FROM ${qualified('staging', t)}`).join('\n  UNION ALL BY NAME\n  ');
    const sql = sqlFromFile(import.meta.url, 'web-hits-insert.sql', { ident: { table: next('web_hits') }, sql: { hits_union: union } });
    await runNamed(env.wh.conn, sql, { timeout_minutes: env.config.transforms.sessionTimeoutMinutes });
  },
};

const cookieLinks: StagingModel = {
  name: 'cookie_links',
  deps: ['web_hits'],
  async build(env) {
    await env.wh.run(sqlFromFile(import.meta.url, 'cookie-links.sql', { ident: { table: next('cookie_links'), web_hits: next('web_hits') } }));
  },
};

const webSessions: StagingModel = {
  name: 'web_sessions',
  deps: ['web_hits', 'cookie_links'],
  async build(env) {
    await env.wh.run(
      sqlFromFile(import.meta.url, 'web-sessions.sql', {
        ident: { table: next('web_sessions'), web_hits: next('web_hits'), cookie_links: next('cookie_links') },
      }),
    );
  },
};

/** Every staging model; `orderModels` puts them in dependency order. */
export const STAGING_MODELS: readonly StagingModel[] = [
  unionModel('party_records', 'party'),
  unionModel('transactions', 'transaction'),
  unionModel('interactions', 'interaction'),
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
    if (visiting.has(m.name)) throw new Error(`staging models depend on each other in a cycle: ${[...path, m.name].join(' → ')}`);
    visiting.add(m.name);
    for (const d of m.deps) {
      const dep = byName.get(d);
      if (dep === undefined) throw new Error(`staging model ${m.name} depends on unknown model ${d}`);
      visit(dep, [...path, m.name]);
    }
    visiting.delete(m.name);
    done.add(m.name);
    out.push(m);
  };
  for (const m of models) visit(m, []);
  return out;
}
