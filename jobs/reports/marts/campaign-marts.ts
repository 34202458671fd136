import {
  DEFAULT_CAMPAIGN_SETTINGS,
  type CampaignSettings,
} from '../../../foundation/config-types.ts';
import type { Warehouse } from '../../../foundation/duckdb-client.ts';
import { reportSql } from '../sql-file.ts';
import type { MartDefinition } from './mart-catalog.ts';
import { renderSql } from '../../../foundation/sql-template.ts';
import { markWritten } from '../mart-state.ts';
import { recipientScope, recordRecipientInputs } from './campaign-scope.ts';

/** The tables the campaign_results unit writes (marked before a write, mart-state.ts). */
const WRITES = ['marts.campaign_contacts', 'marts.campaign_results'];

const INPUTS = [
  'core.fact_campaign_contacts',
  'core.fact_transactions',
  'core.fact_interactions',
  'core.fact_web_sessions',
  'core.dim_household',
];

/**
 * `mart_campaigns` (temp view): staging.campaigns, or no campaigns when no transform has built
 * it yet (a warehouse staged before campaigns existed, where the facts are empty too).
 */
async function campaignsView(wh: Warehouse): Promise<void> {
  const from = (await wh.tableExists('staging', 'campaigns'))
    ? 'SELECT * FROM staging.campaigns'
    : `SELECT NULL::VARCHAR AS campaign_uid, NULL::VARCHAR AS name, NULL::VARCHAR AS channel,
              NULL::VARCHAR AS product, NULL::DOUBLE AS cost, NULL::VARCHAR AS currency,
              NULL::TIMESTAMPTZ AS started_at, NULL::TIMESTAMPTZ AS ended_at WHERE false`;
  await wh.run(`CREATE OR REPLACE TEMP VIEW mart_campaigns AS ${from}`);
}

async function countRows(wh: Warehouse, table: string): Promise<number> {
  return Number(await wh.scalar(`SELECT count(*) FROM ${table}`));
}

/**
 * The campaign marts (issue 20): who was sent what and whether they answered
 * (`campaign_contacts`), results per campaign, variant and region with the control group's lift
 * (`campaign_results`), and the contact centre's load in the days after each campaign
 * (`campaign_service_load`). Settings come from `campaigns:` in cdw.yaml.
 */
export function campaignMarts(): MartDefinition[] {
  const settings = (s: CampaignSettings | undefined) => s ?? DEFAULT_CAMPAIGN_SETTINGS;
  return [
    {
      name: 'campaign_results',
      table: 'marts.campaign_results',
      description:
        'per campaign, variant and region: sent, delivered, responded, response rate with its interval, control-group lift, revenue, cost per response, unsubscribes, complaints',
      inputs: INPUTS,
      dependsOn: [],
      refresh: 'scoped',
      writes: WRITES,
      async build({ wh, asOf, campaigns, fullRefresh, log }) {
        const s = settings(campaigns);
        await campaignsView(wh);
        const scope = await recipientScope(wh, asOf, s, fullRefresh);
        // the whole table anew, or the scoped recipients' rows replaced (campaign-scope.ts)
        const contacts = renderSql(reportSql('marts/campaigns/recipients.sql'), {
          sql: scope.whole
            ? { write: 'CREATE OR REPLACE TABLE marts.campaign_contacts AS', recipient_scope: '' }
            : {
                write: 'INSERT INTO marts.campaign_contacts',
                recipient_scope:
                  'SEMI JOIN mart_campaign_scope s ON s.campaign_uid = f.campaign_uid AND s.recipient = f.recipient',
              },
        });
        const rebuilt = scope.whole || scope.recipients > 0;
        if (rebuilt) await markWritten(wh, WRITES);
        // nothing it reads changed: nothing to write, not even the entries
        if (scope.changed)
          await wh.transaction(async () => {
            if (!scope.whole)
              await wh.run(
                `DELETE FROM marts.campaign_contacts c USING mart_campaign_scope s
                 WHERE s.campaign_uid = c.campaign_uid
                   AND s.recipient = coalesce('c:' || c.customer_id, 'u:' || c.contact_uid)`,
              );
            if (rebuilt) {
              await wh.run(contacts, [
                asOf.toISOString(),
                s.responseWindowDays,
                s.attribution === 'household',
              ]);
              await wh.run(reportSql('marts/campaigns/results.sql'), [s.failureRate]);
            }
            log(`marts.campaign_contacts rows of ${scope.recipients} recipients replaced`);
            await recordRecipientInputs(wh, scope);
          });
        return {
          rows: await countRows(wh, 'marts.campaign_results'),
          touched: scope.recipients,
          note: scope.why,
          what: 'recipients',
        };
      },
    },
    {
      name: 'campaign_service_load',
      table: 'marts.campaign_service_load',
      description:
        "the contact centre's daily inbound load in each campaign's window beside the same weekdays before it",
      inputs: ['core.fact_campaign_contacts', 'core.fact_interactions'],
      reads: ['core.fact_campaign_contacts', 'core.fact_interactions', 'staging.campaigns'],
      dependsOn: [],
      writes: ['marts.campaign_days', 'marts.campaign_service_load'],
      async build({ wh, asOf, campaigns }) {
        const s = settings(campaigns);
        await campaignsView(wh);
        await wh.transaction(async () => {
          await wh.run(reportSql('marts/campaigns/campaign-days.sql'), [
            asOf.toISOString(),
            s.loadDays,
          ]);
          await wh.run(reportSql('marts/campaigns/service-load.sql'), [
            asOf.toISOString(),
            s.loadDays,
            s.baselineWeeks,
          ]);
        });
        return countRows(wh, 'marts.campaign_service_load');
      },
    },
  ];
}
