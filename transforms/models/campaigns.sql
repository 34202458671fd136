-- staging.campaigns: campaigns of the marketing systems (mailings, e-mails, SMS, calls).
CREATE OR REPLACE TABLE {{table}} (
  campaign_uid VARCHAR NOT NULL,
  source VARCHAR NOT NULL,
  source_table VARCHAR NOT NULL,
  record_key VARCHAR NOT NULL,
  name VARCHAR,
  channel VARCHAR,
  product VARCHAR,
  variants VARCHAR,
  cost DOUBLE,
  currency VARCHAR,
  started_at TIMESTAMPTZ,
  ended_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ,
  _load_id VARCHAR,
  _loaded_at TIMESTAMPTZ
)
