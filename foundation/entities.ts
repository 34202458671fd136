/**
 * The canonical entities every source table maps to (DESIGN.md, "Canonical entities").
 *
 * This file is the single list of canonical fields: config validation, staging models,
 * presets and the demo generator all derive from it. A mapping in `cdw.yaml` gives, per
 * canonical field, a source column name or a SQL expression over the raw table.
 */

/** Logical type of a canonical field; drives typing in staging and rejection reasons. */
export type FieldType = 'text' | 'number' | 'integer' | 'boolean' | 'date' | 'timestamp';

/**
 * What kind of personal data a field holds (GDPR: it identifies a person, alone or with
 * others). Drives erasure (`cdw customer erase`) and masking for analysts; a field without it
 * is not personal (amounts, dates of events, products, consent flags, city and country).
 */
export type PersonalKind = 'name' | 'email' | 'phone' | 'address' | 'date' | 'id';

export interface FieldSpec {
  readonly type: FieldType;
  readonly doc: string;
  readonly personal?: PersonalKind;
}

const party = {
  record_key: {
    type: 'text',
    doc: 'The record’s key in its source table (usually the primary key).',
  },
  full_name: {
    type: 'text',
    personal: 'name',
    doc: 'Whole name in one field, when the source has no first/last split.',
  },
  title: { type: 'text', personal: 'name', doc: 'Mr, Mrs, Dr, …' },
  first_name: { type: 'text', personal: 'name', doc: 'Given name.' },
  middle_name: { type: 'text', personal: 'name', doc: 'Middle name or patronymic.' },
  last_name: { type: 'text', personal: 'name', doc: 'Family name.' },
  company: { type: 'text', doc: 'Organisation name (for business customers or employer).' },
  email: { type: 'text', personal: 'email', doc: 'E-mail address as written in the source.' },
  phone: { type: 'text', personal: 'phone', doc: 'Main phone as written in the source.' },
  mobile: {
    type: 'text',
    personal: 'phone',
    doc: 'Second (mobile) phone as written in the source.',
  },
  address: { type: 'text', personal: 'address', doc: 'Street address line(s).' },
  postcode: { type: 'text', personal: 'address', doc: 'Postal code.' },
  city: { type: 'text', doc: 'City or town.' },
  country: { type: 'text', doc: 'Country (ISO code or name).' },
  region: { type: 'text', doc: 'State, province or region.' },
  phone_country: {
    type: 'text',
    doc: 'Country of this record’s phone numbers without a country code (ISO code or name); overrides the source’s default_country.',
  },
  national_id: {
    type: 'text',
    personal: 'id',
    doc: 'A national or tax identifier (social security number, INN, passport number): compared exactly, one typo allowed; two that differ are two people.',
  },
  birth_date: { type: 'date', personal: 'date', doc: 'Date of birth.' },
  gender: { type: 'text', doc: 'Gender as given by the source.' },
  loyalty_card: { type: 'text', personal: 'id', doc: 'Loyalty card number.' },
  web_user_id: { type: 'text', personal: 'id', doc: 'Logged-in user id on the web site.' },
  external_ref: {
    type: 'text',
    personal: 'id',
    doc: 'A key of the same person in another system (cross-reference).',
  },
  external_ref_source: {
    type: 'text',
    doc: 'Which source/table external_ref points into, as `source.table`.',
  },
  consent_email: { type: 'boolean', doc: 'Agreed to e-mail marketing.' },
  consent_phone: { type: 'boolean', doc: 'Agreed to phone marketing.' },
  consent_sms: { type: 'boolean', doc: 'Agreed to SMS marketing.' },
  status: { type: 'text', doc: 'Account status in the source (active, closed, deceased, …).' },
  created_at: { type: 'timestamp', doc: 'When the source record was created.' },
  updated_at: { type: 'timestamp', doc: 'When the source record last changed.' },
} as const satisfies Record<string, FieldSpec>;

const transaction = {
  record_key: { type: 'text', doc: 'The transaction’s key in its source table.' },
  kind: { type: 'text', doc: 'invoice, payment, order, order_line, sale, refund, …' },
  party_key: { type: 'text', doc: 'record_key of the party in `party_table`.' },
  party_table: {
    type: 'text',
    doc: 'Party table the party_key refers to, as `source.table` (defaults to the only party table of the source).',
  },
  card: {
    type: 'text',
    personal: 'id',
    doc: 'Loyalty card number used (when the party key is unknown).',
  },
  email: { type: 'text', personal: 'email', doc: 'E-mail given with the transaction.' },
  phone: { type: 'text', personal: 'phone', doc: 'Phone given with the transaction.' },
  amount: { type: 'number', doc: 'Amount in the transaction currency (negative for refunds).' },
  cost: { type: 'number', doc: 'Cost of goods/services, for profitability.' },
  currency: { type: 'text', doc: 'ISO currency code.' },
  quantity: { type: 'number', doc: 'Quantity.' },
  product: { type: 'text', doc: 'Product or service code/name.' },
  product_category: { type: 'text', doc: 'Product line / category.' },
  channel: { type: 'text', doc: 'Sales channel (store, web, phone, …).' },
  store: { type: 'text', doc: 'Store / till / branch.' },
  status: { type: 'text', doc: 'Paid, open, cancelled, …' },
  occurred_at: { type: 'timestamp', doc: 'When it happened.' },
  updated_at: { type: 'timestamp', doc: 'When the source row last changed.' },
} as const satisfies Record<string, FieldSpec>;

const interaction = {
  record_key: { type: 'text', doc: 'The interaction’s key in its source table.' },
  party_key: { type: 'text', doc: 'record_key of the party in `party_table`, when known.' },
  party_table: { type: 'text', doc: 'Party table the party_key refers to, as `source.table`.' },
  full_name: {
    type: 'text',
    personal: 'name',
    doc: 'Name of the caller or writer as given (a ticket form, an e-mail header); with the e-mail and phone it finds the customer when no party_key does.',
  },
  first_name: {
    type: 'text',
    personal: 'name',
    doc: 'Given name of the caller or writer, when split.',
  },
  last_name: {
    type: 'text',
    personal: 'name',
    doc: 'Family name of the caller or writer, when split.',
  },
  email: { type: 'text', personal: 'email', doc: 'E-mail of the customer (from address, form).' },
  phone: { type: 'text', personal: 'phone', doc: 'Caller / called number.' },
  channel: { type: 'text', doc: 'phone, email, chat, ticket, visit, …' },
  direction: { type: 'text', doc: 'inbound or outbound.' },
  queue: { type: 'text', doc: 'Queue, team or line.' },
  category: { type: 'text', doc: 'Reason / category.' },
  is_complaint: { type: 'boolean', doc: 'A complaint.' },
  is_abandoned: { type: 'boolean', doc: 'Caller hung up before an answer.' },
  duration_s: { type: 'number', doc: 'Duration in seconds.' },
  status: { type: 'text', doc: 'open, resolved, closed, …' },
  opened_at: { type: 'timestamp', doc: 'When it started / was opened.' },
  resolved_at: { type: 'timestamp', doc: 'When it was resolved.' },
  updated_at: { type: 'timestamp', doc: 'When the source row last changed.' },
} as const satisfies Record<string, FieldSpec>;

const web_hit = {
  record_key: { type: 'text', doc: 'Unique hit key (file + offset for logs).' },
  occurred_at: { type: 'timestamp', doc: 'Request time.' },
  ip: { type: 'text', personal: 'id', doc: 'Client address.' },
  cookie_id: { type: 'text', personal: 'id', doc: 'Visitor cookie.' },
  user_id: { type: 'text', personal: 'id', doc: 'Logged-in user id (matches party web_user_id).' },
  method: { type: 'text', doc: 'HTTP method.' },
  url: { type: 'text', doc: 'Requested path and query.' },
  status: { type: 'integer', doc: 'HTTP status.' },
  bytes: { type: 'integer', doc: 'Response size.' },
  referrer: { type: 'text', doc: 'Referer header.' },
  user_agent: { type: 'text', doc: 'User-Agent header.' },
} as const satisfies Record<string, FieldSpec>;

const campaign = {
  record_key: { type: 'text', doc: 'The campaign’s key in its source table.' },
  name: { type: 'text', doc: 'Campaign name.' },
  channel: { type: 'text', doc: 'mail, email, sms, phone, …' },
  product: {
    type: 'text',
    doc: 'The product the campaign offers (as transactions name it); a response then needs a purchase of it.',
  },
  variants: { type: 'text', doc: 'The variants (offers, creatives) as the source lists them.' },
  cost: { type: 'number', doc: 'Total cost of the campaign, when not given per contact.' },
  currency: { type: 'text', doc: 'ISO currency code of the cost.' },
  started_at: { type: 'timestamp', doc: 'When the campaign started (first send).' },
  ended_at: { type: 'timestamp', doc: 'When the campaign ended.' },
  updated_at: { type: 'timestamp', doc: 'When the source row last changed.' },
} as const satisfies Record<string, FieldSpec>;

const campaign_contact = {
  record_key: { type: 'text', doc: 'The contact’s (send’s) key in its source table.' },
  campaign_key: { type: 'text', doc: 'record_key of the campaign in `campaign_table`.' },
  campaign_table: {
    type: 'text',
    doc: 'Campaign table the campaign_key refers to, as `source.table` (defaults to the only campaign table of the source).',
  },
  variant: { type: 'text', doc: 'Variant (offer, creative) sent.' },
  region: { type: 'text', doc: 'Region the send was planned for.' },
  segment: { type: 'text', doc: 'Segment or list the recipient came from.' },
  is_control: {
    type: 'boolean',
    doc: 'A member of the control group (holdout): chosen like the others but not sent.',
  },
  party_key: { type: 'text', doc: 'record_key of the recipient in `party_table`, when known.' },
  party_table: { type: 'text', doc: 'Party table the party_key refers to, as `source.table`.' },
  email: { type: 'text', personal: 'email', doc: 'E-mail the campaign went to.' },
  phone: { type: 'text', personal: 'phone', doc: 'Phone the campaign went to (SMS, call).' },
  card: { type: 'text', personal: 'id', doc: 'Loyalty card of the recipient.' },
  cost: { type: 'number', doc: 'Cost of this send.' },
  sent_at: {
    type: 'timestamp',
    doc: 'When it was sent (for a control-group member: when the others were sent).',
  },
  delivered_at: { type: 'timestamp', doc: 'When it was delivered.' },
  opened_at: { type: 'timestamp', doc: 'When it was opened (e-mail) or answered (call).' },
  clicked_at: { type: 'timestamp', doc: 'When a link in it was followed.' },
  bounced_at: { type: 'timestamp', doc: 'When it bounced (undeliverable).' },
  unsubscribed_at: { type: 'timestamp', doc: 'When the recipient unsubscribed from it.' },
  complained_at: { type: 'timestamp', doc: 'When the recipient complained about it (spam).' },
  updated_at: { type: 'timestamp', doc: 'When the source row last changed.' },
} as const satisfies Record<string, FieldSpec>;

/** Every canonical entity with its fields. Adding a field here adds it everywhere. */
export const ENTITIES = {
  party,
  transaction,
  interaction,
  web_hit,
  campaign,
  campaign_contact,
} as const;

export type EntityName = keyof typeof ENTITIES;
export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];
export type CanonicalField<E extends EntityName> = keyof (typeof ENTITIES)[E] & string;

export function entityFields(entity: EntityName): readonly string[] {
  return Object.keys(ENTITIES[entity]);
}

export function fieldSpec(entity: EntityName, field: string): FieldSpec | undefined {
  return (ENTITIES[entity] as Record<string, FieldSpec>)[field];
}
