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

/** Orders placed on the campaign's landing shop: a purchase by e-mail, whoever placed it. */
const orders: PresetTable = {
  name: 'orders',
  entity: 'transaction',
  primary_key: 'order_id',
  mapping: {
    record_key: 'order_id',
    kind: "'order'",
    email: 'email',
    amount: 'amount',
    currency: 'currency',
    product: 'product',
    channel: "'web'",
    occurred_at: 'ordered_at',
  },
};

/**
 * Marketing: the campaign database of a mailing / e-mail / SMS tool — campaigns, the sends of
 * each (variant, region, holdout, delivery events) and the orders of its landing shop. Recipients are named by e-mail, phone
 * or loyalty card; a database that keeps a customer number adds `party_key` and `party_table`.
 */
export const marketingPreset: Preset = {
  name: 'marketing',
  description:
    "marketing campaigns, their sends and the landing shop's orders (PostgreSQL or MySQL schema cdw_demo, or CSV extracts <table>_<date>.csv)",
  tables: {
    postgres: [campaigns, sends, orders].map((t) => ({ ...t, table: `cdw_demo.${t.name}` })),
    mysql: [campaigns, sends, orders].map((t) => ({ ...t, table: t.name })),
    csv: [campaigns, sends, orders].map((t) => ({ ...t, path: `${t.name}_*.csv` })),
  },
};
