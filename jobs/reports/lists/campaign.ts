import type { Queryable } from '../../../foundation/duckdb-client.ts';
import { reportSql } from '../sql-file.ts';
import { JobError } from '../../errors.ts';
import { businessAsOf, lastMartsAsOf } from '../business-date.ts';

/** Why a segment member is left off a campaign list. A member can have several. */
export const EXCLUSION_REASONS = [
  'recent_complaint',
  'open_complaint',
  'open_ticket',
  'unsubscribed',
  'campaign_complaint',
  'opted_out',
  'deceased',
  'closed',
  'no_contact_point',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];
export const CAMPAIGN_CHANNELS = ['email', 'phone'] as const;
export type CampaignChannel = (typeof CAMPAIGN_CHANNELS)[number];

export interface CampaignOptions {
  readonly segment: string;
  /** without a channel: any channel the customer can be reached on and has not opted out of */
  readonly channel?: CampaignChannel;
  /** complaints opened within this many days exclude; open complaints and tickets always do */
  readonly complaintDays: number;
  /** the business "as of"; by default that of the last marts build, else the latest event */
  readonly asOf?: Date;
}

/** The counts of a campaign list. `byReason` counts each member under every reason that applies. */
export interface CampaignResult {
  readonly segment: string;
  readonly channel: CampaignChannel | 'any';
  readonly members: number;
  readonly included: number;
  readonly excluded: number;
  readonly byReason: Readonly<Record<ExclusionReason, number>>;
  readonly asOf: Date;
}

/**
 * Works out a campaign list for a segment into the temp table `campaign_candidates`
 * (customer_id, names, email, phone, reasons). Read the list with `campaignListQuery`, the
 * exclusions with CAMPAIGN_EXCLUSIONS_QUERY. Works on a read-only warehouse.
 */
export async function buildCampaign(wh: Queryable, opts: CampaignOptions): Promise<CampaignResult> {
  await requireSegment(wh, opts.segment);
  const channel = opts.channel ?? 'any';
  const asOf = opts.asOf ?? (await lastMartsAsOf(wh)) ?? (await businessAsOf(wh));
  await wh.run(reportSql('lists/campaign.sql'), [
    opts.segment,
    channel,
    asOf.toISOString(),
    opts.complaintDays,
  ]);
  const counts = await wh.one<{ members: number; included: number }>(
    'SELECT count(*) AS members, count(*) FILTER (WHERE len(reasons) = 0) AS included FROM campaign_candidates',
  );
  const reasons = await wh.all<{ reason: string; n: number }>(
    'SELECT reason, count(*) AS n FROM (SELECT unnest(reasons) AS reason FROM campaign_candidates) GROUP BY reason',
  );
  const byReason = Object.fromEntries(
    EXCLUSION_REASONS.map((r) => [r, Number(reasons.find((x) => x.reason === r)?.n ?? 0)]),
  ) as Record<ExclusionReason, number>;
  const members = Number(counts?.members ?? 0);
  const included = Number(counts?.included ?? 0);
  return {
    segment: opts.segment,
    channel,
    members,
    included,
    excluded: members - included,
    byReason,
    asOf,
  };
}

/** The campaign list: members without a reason to leave them out, with the contact point of the channel. */
export function campaignListQuery(channel: CampaignChannel | undefined): string {
  const contact = channel === 'email' ? 'email' : channel === 'phone' ? 'phone' : 'email, phone';
  return `SELECT customer_id, first_name, last_name, full_name, ${contact} FROM campaign_candidates WHERE len(reasons) = 0 ORDER BY customer_id`;
}

/** One row per excluded member and reason. */
export const CAMPAIGN_EXCLUSIONS_QUERY =
  'SELECT customer_id, unnest(reasons) AS reason FROM campaign_candidates WHERE len(reasons) > 0 ORDER BY customer_id, reason';

async function requireSegment(wh: Queryable, segment: string): Promise<void> {
  if (!(await wh.tableExists('marts', 'segments'))) {
    throw new JobError(
      'segments_not_built',
      'no segments built yet; declare them under reports.segments and run "cdw run"',
    );
  }
  const rows = await wh.all<{ segment: string; built: boolean; problem: string | null }>(
    'SELECT segment, built, problem FROM marts.segments ORDER BY segment',
  );
  const found = rows.find((r) => r.segment === segment);
  if (found === undefined) {
    const known = rows.map((r) => r.segment).join(', ') || 'none';
    throw new JobError(
      'segment_unknown',
      `segment "${segment}" was not built by the last run (segments: ${known}); declare it under reports.segments and run "cdw run"`,
    );
  }
  if (!found.built)
    throw new JobError(
      'segment_invalid',
      `segment "${segment}" was not built: ${found.problem ?? 'its rule failed'}`,
    );
}
