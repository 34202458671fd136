import type { Queryable } from '../../../foundation/duckdb-client.ts';

/** One bar of the response chart: a campaign's variant (or the whole campaign when it has none). */
export type CampaignResultRow = {
  readonly campaign: string;
  readonly label: string;
  readonly sent: number;
  readonly rate: number | null;
  readonly low: number | null;
  readonly high: number | null;
  readonly controlRate: number | null;
  readonly incremental: number | null;
  readonly failed: boolean;
  readonly threshold: number;
};

/** A campaign's window in the contact centre: its days beside the comparable days before. */
export type CampaignLoadRow = {
  readonly campaign: string;
  readonly firstDay: string;
  readonly days: number;
  readonly contacts: number;
  readonly baseline: number | null;
  readonly peakRatio: number | null;
  readonly abandonmentRate: number | null;
  readonly baselineAbandoned: number | null;
};

export interface CampaignOverview {
  readonly results: readonly CampaignResultRow[];
  readonly load: readonly CampaignLoadRow[];
}

/** The overview's campaign figures (aggregates only), the most recent campaigns first. */
export async function collectCampaignOverview(wh: Queryable): Promise<CampaignOverview> {
  const results = (await wh.tableExists('marts', 'campaign_results'))
    ? await wh.all<CampaignResultRow>(`
        WITH recent AS (
          SELECT campaign_uid, max(started_at) AS started FROM marts.campaign_results
          GROUP BY campaign_uid ORDER BY started DESC NULLS LAST, campaign_uid LIMIT 6
        ),
        has_variants AS (
          SELECT campaign_uid, bool_or(level = 'variant') AS v FROM marts.campaign_results GROUP BY campaign_uid
        )
        SELECT coalesce(r.campaign_name, r.campaign_uid) AS campaign,
               CASE WHEN r.level = 'variant' THEN 'variant ' || r.variant ELSE 'all sends' END AS label,
               r.sent, r.response_rate AS rate, r.response_rate_low AS low, r.response_rate_high AS high,
               r.control_rate AS "controlRate", r.incremental_rate AS incremental, r.failed,
               r.failure_rate AS threshold
        FROM marts.campaign_results r JOIN recent USING (campaign_uid) JOIN has_variants h USING (campaign_uid)
        WHERE (h.v AND r.level = 'variant') OR (NOT h.v AND r.level = 'campaign')
        ORDER BY recent.started DESC NULLS LAST, r.campaign_uid, r.variant`)
    : [];
  const load = (await wh.tableExists('marts', 'campaign_service_load'))
    ? await wh.all<CampaignLoadRow>(`
        SELECT campaign_name AS campaign, CAST(min(day) AS VARCHAR) AS "firstDay", count(*) AS days,
               sum(contacts) AS contacts, sum(baseline_contacts) AS baseline,
               max(load_ratio) AS "peakRatio",
               sum(abandoned) / nullif(sum(contacts), 0) AS "abandonmentRate",
               sum(baseline_abandoned) / nullif(sum(baseline_contacts), 0) AS "baselineAbandoned"
        FROM marts.campaign_service_load GROUP BY campaign_uid, campaign_name
        ORDER BY min(day) DESC, campaign_uid LIMIT 6`)
    : [];
  return {
    results: results.map((r) => ({ ...r, sent: Number(r.sent) })),
    load: load.map((l) => ({ ...l, days: Number(l.days), contacts: Number(l.contacts) })),
  };
}
