import type { CampaignSettings } from '../../../foundation/config-types.ts';
import { tablesIn, type Warehouse } from '../../../foundation/duckdb-client.ts';
import { reportSql } from '../sql-file.ts';
import { digest, lastFingerprint, martsSqlVersion, recordFingerprint } from '../mart-state.ts';

/** The unit (in meta.mart_state) whose fingerprint says what the campaign contacts were built from. */
const UNIT = 'campaign_results';

/** Which campaign recipients tonight rebuilds, and why. */
export interface RecipientScope {
  /** every recipient (first build, full refresh, new mart SQL or settings) */
  readonly whole: boolean;
  readonly recipients: number;
  /** whether the entries differ from the last build's (when not, nothing is written) */
  readonly changed: boolean;
  readonly why: string;
  readonly fingerprint: string;
}

/**
 * The recipients whose rows of `marts.campaign_contacts` must be rebuilt, in the temp table
 * `mart_campaign_scope(campaign_uid, recipient)`.
 *
 * What the rows read is fingerprinted as entries (`campaigns/recipient-inputs.sql`: each
 * recipient's sends, each campaign's row, household membership when the household answers,
 * each answering customer's activity) and compared with the entries of the last build
 * (`meta.campaign_contact_inputs`). A recipient is rebuilt when their sends changed (a send
 * added, changed or re-pointed by a merge or split: the old recipient and the new), their
 * campaign's row changed, their household changed (theirs or a member's, before or after), or
 * the activity of a customer who answers for them changed (whatever its date: one entry per
 * customer, since an entry per day would be one per fact row). A campaign without a currency of its own takes that of most of its
 * responses, so any rebuilt recipient rebuilds all of it. What every row depends on (the mart
 * SQL, the settings) is one global fingerprint: when it changes,
 * every recipient is rebuilt.
 */
export async function recipientScope(
  wh: Warehouse,
  asOf: Date,
  settings: CampaignSettings,
  fullRefresh: boolean,
): Promise<RecipientScope> {
  const household = settings.attribution === 'household';
  const at = asOf.toISOString();
  await wh.run(reportSql('marts/campaigns/recipient-inputs.sql'), [at, household]);
  const global = digest({
    sql: martsSqlVersion(),
    responseWindowDays: settings.responseWindowDays,
    attribution: settings.attribution,
    failureRate: settings.failureRate,
  });
  const entries = String(
    await wh.scalar(
      `SELECT count(*) || ':' || coalesce(sum(hash(kind, campaign_uid, ref, customer_id, n, fp)), 0) FROM mart_campaign_inputs_now`,
    ),
  );
  const fingerprint = `${global}:${digest(entries)}`;
  const last = await lastFingerprint(wh, UNIT);
  const why = await wholeBecause(wh, fullRefresh, global, last);
  if (why !== undefined)
    return { whole: true, recipients: await recipientCount(wh), changed: true, why, fingerprint };
  if (fingerprint === last)
    return {
      whole: false,
      recipients: 0,
      changed: false,
      why: 'incremental: 0 recipients rebuilt',
      fingerprint,
    };
  await wh.run(
    `CREATE OR REPLACE TEMP TABLE mart_campaign_changed AS
     SELECT DISTINCT kind, campaign_uid, ref, customer_id FROM (
       (SELECT kind, campaign_uid, ref, customer_id, n, fp FROM mart_campaign_inputs_now
        EXCEPT SELECT kind, campaign_uid, ref, customer_id, n, fp FROM meta.campaign_contact_inputs)
       UNION ALL
       (SELECT kind, campaign_uid, ref, customer_id, n, fp FROM meta.campaign_contact_inputs
        EXCEPT SELECT kind, campaign_uid, ref, customer_id, n, fp FROM mart_campaign_inputs_now))`,
  );
  await wh.run(reportSql('marts/campaigns/recipient-scope.sql'), [at, household]);
  const recipients = Number(await wh.scalar('SELECT count(*) FROM mart_campaign_scope'));
  return {
    whole: false,
    recipients,
    changed: true,
    why: `incremental: ${recipients} recipients rebuilt`,
    fingerprint,
  };
}

/** Why every recipient is rebuilt tonight, or undefined when only the changed ones are. */
async function wholeBecause(
  wh: Warehouse,
  fullRefresh: boolean,
  global: string,
  last: string | undefined,
): Promise<string | undefined> {
  if (fullRefresh) return 'rebuilt whole: full refresh';
  if (last === undefined || !(await tablesIn(wh, 'meta')).has('campaign_contact_inputs'))
    return 'rebuilt whole: first built from what changed';
  if (!last.startsWith(`${global}:`)) return 'rebuilt whole: the mart SQL or settings changed';
  const marts = await tablesIn(wh, 'marts');
  for (const t of ['campaign_contacts', 'campaign_results'])
    if (!marts.has(t)) return `rebuilt whole: marts.${t} is missing`;
  return undefined;
}

async function recipientCount(wh: Warehouse): Promise<number> {
  return Number(
    await wh.scalar(`SELECT count(*) FROM mart_campaign_inputs_now WHERE kind = 'send'`),
  );
}

/**
 * After the build (in its transaction): the entries it was built from, so the next night
 * compares with them, and the unit's fingerprint.
 */
export async function recordRecipientInputs(wh: Warehouse, scope: RecipientScope): Promise<void> {
  await wh.run(
    'CREATE OR REPLACE TABLE meta.campaign_contact_inputs AS FROM mart_campaign_inputs_now',
  );
  await recordFingerprint(wh, UNIT, scope.fingerprint);
}
