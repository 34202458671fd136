import type { Logger } from '../../foundation/logger.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { qualified } from '../../foundation/sql.ts';
import { profilesSql } from './sql-file.ts';
import {
  CAMPAIGN_CONTACT_CHANGES,
  INTERACTION_CHANGES,
  PAGE_VIEW_CHANGES,
  TRANSACTION_CHANGES,
  WEB_SESSION_CHANGES,
  factScope,
  forgetFactInputs,
  recordFactInputs,
  type FactChanges,
} from './fact-changes.ts';

/** One fact table: its staging input(s) and the .sql that rebuilds it. */
export interface FactSpec {
  readonly table:
    | 'fact_transactions'
    | 'fact_interactions'
    | 'fact_web_sessions'
    | 'fact_page_views'
    | 'fact_campaign_contacts';
  /** The staging table whose rows are counted as rows in; the other tables it reads. */
  readonly staging: string;
  readonly alsoReads: readonly string[];
  readonly sqlFile: string;
  /** SQL fragments for the file's holes, decided from the staging tables as they are. */
  readonly holes?: (wh: Warehouse) => Promise<Record<string, string>>;
  /** A fact most warehouses have no source for (campaigns): a missing or empty input is no warning and no line in core.fact_resolution. */
  readonly optional?: boolean;
  /** Built incrementally (fact-changes.ts): the fact's uid column and what its rows depend on. */
  readonly changes?: FactChanges;
}

const STATIC_FILE = `regexp_matches(lower(coalesce(h.path, '')), '\\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|otf|eot)$')`;

/** A page view is what transforms flagged `is_page` (GET, not an error, not a static file); without that column, any hit that is not a static file. */
async function pageViewHoles(wh: Warehouse): Promise<Record<string, string>> {
  const hasIsPage =
    Number(
      await wh.scalar(
        "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'staging' AND table_name = 'web_hits' AND column_name = 'is_page'",
      ),
    ) > 0;
  return { is_page: hasIsPage ? 'coalesce(h.is_page, false)' : `NOT ${STATIC_FILE}` };
}

/** The fact tables in build order (page views take their session's customer). */
export const FACTS: readonly FactSpec[] = [
  {
    table: 'fact_transactions',
    staging: 'transactions',
    alsoReads: [],
    sqlFile: 'fact-transactions',
    changes: TRANSACTION_CHANGES,
  },
  {
    table: 'fact_interactions',
    staging: 'interactions',
    alsoReads: [],
    sqlFile: 'fact-interactions',
    changes: INTERACTION_CHANGES,
  },
  {
    table: 'fact_web_sessions',
    staging: 'web_sessions',
    alsoReads: ['web_hits'],
    sqlFile: 'fact-web-sessions',
    changes: WEB_SESSION_CHANGES,
  },
  {
    table: 'fact_page_views',
    staging: 'web_hits',
    alsoReads: [],
    sqlFile: 'fact-page-views',
    holes: pageViewHoles,
    changes: PAGE_VIEW_CHANGES,
  },
  {
    table: 'fact_campaign_contacts',
    staging: 'campaign_contacts',
    alsoReads: [],
    sqlFile: 'fact-campaign-contacts',
    optional: true,
    changes: CAMPAIGN_CONTACT_CHANGES,
  },
];

/** Rows in and out of one fact table, and how the customer was found. */
export interface FactResolution {
  readonly rowsIn: number;
  readonly rowsOut: number;
  readonly notFact: number;
  readonly resolved: number;
  readonly unresolved: number;
}

/**
 * Identifier lookups shared by the fact tables (temp tables `profiles_ident`, `profiles_cookie`).
 * Build once per run, after core.customer_xref is final.
 */
export async function prepareLookups(wh: Warehouse): Promise<void> {
  await wh.run(profilesSql('identifier-lookup'));
  if (await wh.tableExists('staging', 'cookie_links')) await wh.run(profilesSql('cookie-lookup'));
  else
    await wh.run(
      'CREATE OR REPLACE TEMP TABLE profiles_cookie (cookie_id VARCHAR, customer_id BIGINT)',
    );
}

/**
 * Rebuilds one fact table from staging in a transaction and appends its line to
 * core.fact_resolution. A missing staging table (no source feeds it) leaves the fact empty.
 */
export async function buildFact(
  wh: Warehouse,
  spec: FactSpec,
  runId: string,
  logger: Logger,
  opts: { fullRefresh?: boolean } = {},
): Promise<FactResolution & { rebuiltRows?: number; why?: string }> {
  const target = qualified('core', spec.table);
  const missing: string[] = [];
  for (const t of [spec.staging, ...spec.alsoReads])
    if (!(await wh.tableExists('staging', t))) missing.push(`staging.${t}`);
  return wh.transaction(async () => {
    let rowsIn = 0;
    let rebuilt: number | undefined;
    let why: string | undefined;
    const idle =
      spec.optional === true &&
      (missing.length > 0 ||
        Number(await wh.scalar(`SELECT count(*) FROM ${qualified('staging', spec.staging)}`)) ===
          0);
    if (idle) {
      // no source feeds it (or a warehouse staged before it existed): nothing to say or count;
      // what the transform noted is taken in, and the first night with rows builds it whole
      await wh.run(`DELETE FROM ${target}`);
      if (spec.changes !== undefined) {
        await forgetFactInputs(wh, spec.table);
        await wh.run(`DELETE FROM meta.staging_changes WHERE model = $1`, [spec.changes.model]);
      }
      return { rowsIn: 0, rowsOut: 0, notFact: 0, resolved: 0, unresolved: 0 };
    }
    if (missing.length > 0) {
      logger.warn(
        `profiles: ${missing.join(', ')} not found (no source feeds it); core.${spec.table} left empty`,
      );
      await wh.run(`DELETE FROM ${target}`);
      if (spec.changes !== undefined) await forgetFactInputs(wh, spec.table);
    } else {
      rowsIn = Number(
        await wh.scalar(`SELECT count(*) FROM ${qualified('staging', spec.staging)}`),
      );
      const fileHoles = spec.holes ? await spec.holes(wh) : {};
      const scope =
        spec.changes === undefined
          ? undefined
          : await factScope(wh, spec.table, spec.changes, opts.fullRefresh === true, fileHoles);
      await wh.run(
        profilesSql(spec.sqlFile, {
          ...fileHoles,
          ...(scope === undefined ? {} : scope.holes),
        }),
      );
      if (spec.changes !== undefined) {
        logger.debug(
          `profiles: core.${spec.table} rows replaced; recording what they were built from`,
        );
        await recordFactInputs(wh, spec.table, spec.changes, scope?.rows !== undefined);
      }
      if (scope !== undefined) {
        rebuilt = scope.rows;
        why = scope.why;
      }
    }
    const r = await wh.one<Record<string, number>>(`
      SELECT count(*) AS rows_out, count(customer_id) AS resolved,
             count(*) FILTER (WHERE resolved_by = 'party_key') AS by_party_key,
             count(*) FILTER (WHERE resolved_by = 'card') AS by_card,
             count(*) FILTER (WHERE resolved_by = 'email') AS by_email,
             count(*) FILTER (WHERE resolved_by = 'phone') AS by_phone,
             count(*) FILTER (WHERE resolved_by = 'user_id') AS by_user_id,
             count(*) FILTER (WHERE resolved_by = 'cookie') AS by_cookie
      FROM ${target}`);
    const n = (k: string) => Number(r?.[k] ?? 0);
    const out: FactResolution & { rebuiltRows?: number; why?: string } = {
      rebuiltRows: rebuilt,
      why,
      rowsIn,
      rowsOut: n('rows_out'),
      notFact: rowsIn - n('rows_out'),
      resolved: n('resolved'),
      unresolved: n('rows_out') - n('resolved'),
    };
    await wh.run(
      `INSERT INTO core.fact_resolution VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, current_timestamp)`,
      [
        runId,
        spec.table,
        out.rowsIn,
        out.rowsOut,
        out.notFact,
        out.resolved,
        out.unresolved,
        n('by_party_key'),
        n('by_card'),
        n('by_email'),
        n('by_phone'),
        n('by_user_id'),
        n('by_cookie'),
      ],
    );
    return out;
  });
}
