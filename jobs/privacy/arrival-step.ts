import type { PipelineStep } from '../../foundation/step.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import type { EntityName } from '../../foundation/entities.ts';
import { prepareConnection } from '../../transforms/prepare-connection.ts';
import { eraseRawRows, rawTargets } from './erase-raw.ts';
import { SALT_SQL, hashSql, type HashedKind } from './identifier-hash.ts';

/** Canonical fields whose values are compared, hashed, with the identifiers of erased people. */
const HASHED_FIELDS: Readonly<Record<EntityName, Readonly<Record<string, HashedKind>>>> = {
  party: {
    email: 'email',
    phone: 'phone',
    mobile: 'phone',
    web_user_id: 'web_user_id',
    loyalty_card: 'loyalty_card',
    national_id: 'national_id',
  },
  transaction: { email: 'email', phone: 'phone', card: 'loyalty_card' },
  interaction: { email: 'email', phone: 'phone' },
  web_hit: { user_id: 'web_user_id' },
  campaign: {},
  campaign_contact: { email: 'email', phone: 'phone', card: 'loyalty_card' },
};

const IN_FORCE = 'SELECT erasure_id FROM meta.erasures WHERE lifted_at IS NULL';

/**
 * Pipeline step "privacy", right after extract: rows landed by this run that belong to an
 * erased person — a source record of theirs (by key), or any record carrying one of their
 * identifiers (by salted hash) — are erased before anything reads them, and counted in
 * `meta.erased_on_arrival` and the run summary. Erasures lifted by an admin no longer apply.
 */
export const privacyStep: PipelineStep = {
  name: 'privacy',
  description: 'erase on arrival the rows of people erased on request',
  async run(ctx) {
    const wh = ctx.wh;
    const inForce = Number(await wh.scalar(`SELECT count(*) FROM (${IN_FORCE})`));
    if (inForce === 0) return { rowsIn: 0, rowsOut: 0, rowsRejected: null };
    await prepareConnection(wh);
    let erased = 0;
    for (const t of await rawTargets(wh, ctx.config)) {
      const loads = await landedLoads(wh, ctx.runId, t.source.name, t.table.name);
      if (loads === 0) continue;
      const byHash = Object.entries(HASHED_FIELDS[t.table.entity])
        .filter(([field]) => t.fieldSql.has(field))
        .map(
          ([field, kind]) =>
            `${hashSql(kind, t.fieldSql.get(field)!, SALT_SQL)} IN (SELECT value_hash FROM meta.erased_identifiers WHERE kind = '${kind}' AND erasure_id IN (${IN_FORCE}))`,
        );
      const where = `"_load_id" IN (SELECT load_id FROM meta.loads WHERE run_id = $1 AND source = $2 AND source_table = $3)
        AND ({{key}} IN (SELECT record_key FROM meta.erased_records WHERE source = $2 AND source_table = $3 AND erasure_id IN (${IN_FORCE}))
             ${byHash.map((h) => `OR ${h}`).join('\n             ')})`;
      const n = await eraseRawRows(wh, t, where, [ctx.runId, t.source.name, t.table.name]);
      if (n === 0) continue;
      erased += n;
      await wh.run(
        'INSERT INTO meta.erased_on_arrival VALUES ($1, $2, $3, $4, current_timestamp)',
        [ctx.runId, t.source.name, t.table.name, n],
      );
    }
    if (erased > 0) ctx.logger.info(`${erased} rows of erased people erased on arrival`);
    return {
      rowsIn: null,
      rowsOut: erased,
      rowsRejected: null,
      notes: erased > 0 ? [`${erased} rows of erased people erased on arrival`] : [],
    };
  },
};

async function landedLoads(wh: Warehouse, runId: string, source: string, table: string) {
  return Number(
    await wh.scalar(
      'SELECT count(*) FROM meta.loads WHERE run_id = $1 AND source = $2 AND source_table = $3',
      [runId, source, table],
    ),
  );
}
