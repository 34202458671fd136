-- Campaign contacts joined to customers (issue 20): each send or holdout of a marketing system
-- with the customer it resolved to (NULL, and counted in core.fact_resolution, when none).
CREATE TABLE core.fact_campaign_contacts (
  contact_uid     VARCHAR NOT NULL,
  customer_id     BIGINT,
  campaign_uid    VARCHAR,
  source          VARCHAR,
  source_table    VARCHAR,
  record_key      VARCHAR,
  variant         VARCHAR,
  region          VARCHAR,
  segment         VARCHAR,
  is_control      BOOLEAN NOT NULL,
  cost            DOUBLE,
  sent_at         TIMESTAMPTZ NOT NULL,
  delivered_at    TIMESTAMPTZ,
  opened_at       TIMESTAMPTZ,
  clicked_at      TIMESTAMPTZ,
  bounced_at      TIMESTAMPTZ,
  unsubscribed_at TIMESTAMPTZ,
  complained_at   TIMESTAMPTZ,
  resolved_by     VARCHAR
);
