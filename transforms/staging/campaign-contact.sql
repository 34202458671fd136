-- Standardised campaign contacts (sends) of one source table, appended to
-- the step's table of changed campaign contacts (staging._campaign_contacts__changed, models.ts). The recipient is a party reference or an identifier (e-mail,
-- phone, card), resolved to a customer by the profiles step like any other event.
INSERT INTO {{target}} BY NAME
WITH t AS (
  -- party_table / campaign_table name `source.table`; a bare table name is in this source; none
  -- means the source's only party (campaign) table, NULL when it has none or several.
  SELECT *,
         CASE WHEN party_table IS NULL THEN CAST($default_party_table AS VARCHAR)
              WHEN contains(party_table, '.') THEN party_table
              ELSE $source || '.' || party_table END AS _party_table,
         CASE WHEN campaign_table IS NULL THEN CAST($default_campaign_table AS VARCHAR)
              WHEN contains(campaign_table, '.') THEN campaign_table
              ELSE $source || '.' || campaign_table END AS _campaign_table
  FROM {{typed_table}} WHERE NOT _rejected
)
SELECT
  $source || '.' || $source_table || ':' || record_key AS contact_uid,
  $source AS source,
  $source_table AS source_table,
  record_key,
  CASE WHEN campaign_key IS NOT NULL AND _campaign_table IS NOT NULL THEN _campaign_table || ':' || campaign_key END AS campaign_uid,
  campaign_key,
  _campaign_table AS campaign_table,
  variant,
  region,
  segment,
  coalesce(is_control, false) AS is_control,
  CASE WHEN party_key IS NOT NULL AND _party_table IS NOT NULL THEN _party_table || ':' || party_key END AS party_uid,
  party_key,
  _party_table AS party_table,
  CASE WHEN email IS NOT NULL THEN cdw_email_key(email) END AS email_key,
  CASE WHEN phone IS NOT NULL THEN cdw_phone_e164(phone, $default_country) END AS phone_e164,
  card,
  cost,
  sent_at, delivered_at, opened_at, clicked_at, bounced_at, unsubscribed_at, complained_at, updated_at,
  _load_id,
  _loaded_at
FROM t
