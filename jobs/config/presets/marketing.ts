import type { Preset, PresetTable } from './types.ts';

const campaigns: PresetTable = {
  name: 'campaigns',
  entity: 'campaign',
  primary_key: 'campaign_id',
  cursor: 'updated_at',
  mapping: {
    record_key: 'campaign_id',
    name: 'name',
    channel: 'channel',
    product: 'product',
    variants: 'variants',
    cost: 'budget',
    currency: 'currency',
    started_at: 'starts_at',
    ended_at: 'ends_at',
    updated_at: 'updated_at',
  },
};

/**
 * One row per recipient of a campaign (a send), or per member of its control group
 * (`holdout`): the list the campaign went to, with what happened to each send.
 */
const sends: PresetTable = {
  name: 'sends',
  entity: 'campaign_contact',
  primary_key: 'send_id',
  cursor: 'updated_at',
  mapping: {
    record_key: 'send_id',
    campaign_key: 'campaign_id',
    variant: 'variant',
    region: 'region',
    segment: 'segment',
    is_control: 'holdout',
    email: 'email',
    phone: 'phone',
    card: 'card_no',
    cost: 'cost',
    sent_at: 'sent_at',
    delivered_at: 'delivered_at',
    opened_at: 'opened_at',
    clicked_at: 'clicked_at',
    bounced_at: 'bounced_at',
    unsubscribed_at: 'unsubscribed_at',
    complained_at: 'complained_at',
    updated_at: 'updated_at',
  },
};

/**
 * Marketing: the campaign database of a mailing / e-mail / SMS tool — campaigns and the sends
 * of each (variant, region, holdout, delivery events). Recipients are named by e-mail, phone
 * or loyalty card; a database that keeps a customer number adds `party_key` and `party_table`.
 */
export const marketingPreset: Preset = {
  name: 'marketing',
  description:
    'marketing campaigns and their sends (PostgreSQL or MySQL schema cdw_demo, or CSV extracts <table>_<date>.csv)',
  tables: {
    postgres: [campaigns, sends].map((t) => ({ ...t, table: `cdw_demo.${t.name}` })),
    mysql: [campaigns, sends].map((t) => ({ ...t, table: t.name })),
    csv: [campaigns, sends].map((t) => ({ ...t, path: `${t.name}_*.csv` })),
  },
};
