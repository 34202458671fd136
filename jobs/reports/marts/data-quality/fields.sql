-- Field completeness per source table for run $1: share of current staging records with the
-- field filled (*_valid: the standardised form is usable). Only fields the table maps are
-- kept (marts.source_tables.mapped_fields, from the config); tables not in the config keep all.
INSERT INTO marts.data_quality_fields (run_id, source, source_table, entity, field, records, filled, completeness)
WITH party AS (
  SELECT source, source_table,
         nullif(first_name, '') IS NOT NULL AS first_name,
         nullif(last_name, '') IS NOT NULL AS last_name,
         nullif(full_name, '') IS NOT NULL AS full_name,
         nullif(company, '') IS NOT NULL AS company,
         nullif(email, '') IS NOT NULL AS email,
         email_key IS NOT NULL AS email_valid,
         nullif(phone, '') IS NOT NULL AS phone,
         phone_e164 IS NOT NULL AS phone_valid,
         nullif(mobile, '') IS NOT NULL AS mobile,
         mobile_e164 IS NOT NULL AS mobile_valid,
         nullif(address, '') IS NOT NULL AS address,
         nullif(postcode, '') IS NOT NULL AS postcode,
         nullif(city, '') IS NOT NULL AS city,
         nullif(country, '') IS NOT NULL AS country,
         birth_date IS NOT NULL AS birth_date,
         nullif(gender, '') IS NOT NULL AS gender,
         nullif(loyalty_card, '') IS NOT NULL AS loyalty_card,
         nullif(web_user_id, '') IS NOT NULL AS web_user_id,
         consent_email IS NOT NULL AS consent_email,
         consent_phone IS NOT NULL AS consent_phone,
         nullif(status, '') IS NOT NULL AS status,
         updated_at IS NOT NULL AS updated_at
  FROM staging.party_records
),
txn AS (
  SELECT source, source_table,
         coalesce(party_uid, card, email_key, phone_e164) IS NOT NULL AS party_key,
         amount IS NOT NULL AS amount,
         cost IS NOT NULL AS cost,
         nullif(currency, '') IS NOT NULL AS currency,
         nullif(product, '') IS NOT NULL AS product,
         nullif(product_category, '') IS NOT NULL AS product_category,
         nullif(channel, '') IS NOT NULL AS channel,
         nullif(status, '') IS NOT NULL AS status,
         occurred_at IS NOT NULL AS occurred_at
  FROM staging.transactions
),
ints AS (
  SELECT source, source_table,
         coalesce(party_uid, email_key, phone_e164) IS NOT NULL AS party_key,
         nullif(channel, '') IS NOT NULL AS channel,
         nullif(direction, '') IS NOT NULL AS direction,
         nullif(queue, '') IS NOT NULL AS queue,
         nullif(category, '') IS NOT NULL AS category,
         is_complaint IS NOT NULL AS is_complaint,
         nullif(status, '') IS NOT NULL AS status,
         opened_at IS NOT NULL AS opened_at,
         resolved_at IS NOT NULL AS resolved_at
  FROM staging.interactions
),
hits AS (
  SELECT source, source_table,
         nullif(cookie_id, '') IS NOT NULL AS cookie_id,
         nullif(user_id, '') IS NOT NULL AS user_id,
         nullif(url, '') IS NOT NULL AS url,
         nullif(referrer, '') IS NOT NULL AS referrer,
         nullif(user_agent, '') IS NOT NULL AS user_agent,
         occurred_at IS NOT NULL AS occurred_at
  FROM staging.web_hits
),
long AS (
  SELECT source, source_table, 'party' AS entity, field, filled FROM party
    UNPIVOT (filled FOR field IN (first_name, last_name, full_name, company, email, email_valid, phone, phone_valid,
      mobile, mobile_valid, address, postcode, city, country, birth_date, gender, loyalty_card, web_user_id,
      consent_email, consent_phone, status, updated_at))
  UNION ALL
  SELECT source, source_table, 'transaction', field, filled FROM txn
    UNPIVOT (filled FOR field IN (party_key, amount, cost, currency, product, product_category, channel, status, occurred_at))
  UNION ALL
  SELECT source, source_table, 'interaction', field, filled FROM ints
    UNPIVOT (filled FOR field IN (party_key, channel, direction, queue, category, is_complaint, status, opened_at, resolved_at))
  UNION ALL
  SELECT source, source_table, 'web_hit', field, filled FROM hits
    UNPIVOT (filled FOR field IN (cookie_id, user_id, url, referrer, user_agent, occurred_at))
),
counted AS (
  SELECT source, source_table, entity, field, count(*) AS records, count(*) FILTER (WHERE filled) AS filled
  FROM long GROUP BY source, source_table, entity, field
)
SELECT $1::VARCHAR, c.source, c.source_table, c.entity, c.field, c.records, c.filled, c.filled / c.records
FROM counted c
LEFT JOIN marts.source_tables t ON t.source = c.source AND t.source_table = c.source_table
WHERE t.mapped_fields IS NULL
   -- a party key is mapped as party_key, card, email or phone; a *_valid form when its field is
   OR list_contains(t.mapped_fields, regexp_replace(c.field, '_valid$', ''))
   OR (c.field = 'party_key' AND list_has_any(t.mapped_fields, ['party_key', 'card', 'email', 'phone']))
   OR (c.entity = 'web_hit');
