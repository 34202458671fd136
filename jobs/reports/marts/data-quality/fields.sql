-- Field completeness per source table for run $1: share of current staging records with the
-- field filled (*_valid: the standardised form is usable). Counted per table in one pass each,
-- then turned into a row per field. Only fields the table maps are kept
-- (marts.source_tables.mapped_fields, from the config); tables not in the config keep all.
INSERT INTO marts.data_quality_fields (run_id, source, source_table, entity, field, records, filled, completeness)
WITH party AS (
  SELECT source, source_table, count(*) AS records,
         count(*) FILTER (WHERE nullif(first_name, '') IS NOT NULL) AS first_name,
         count(*) FILTER (WHERE nullif(last_name, '') IS NOT NULL) AS last_name,
         count(*) FILTER (WHERE nullif(full_name, '') IS NOT NULL) AS full_name,
         count(*) FILTER (WHERE nullif(company, '') IS NOT NULL) AS company,
         count(*) FILTER (WHERE nullif(email, '') IS NOT NULL) AS email,
         count(*) FILTER (WHERE email_key IS NOT NULL) AS email_valid,
         count(*) FILTER (WHERE nullif(phone, '') IS NOT NULL) AS phone,
         count(*) FILTER (WHERE phone_e164 IS NOT NULL) AS phone_valid,
         count(*) FILTER (WHERE nullif(mobile, '') IS NOT NULL) AS mobile,
         count(*) FILTER (WHERE mobile_e164 IS NOT NULL) AS mobile_valid,
         count(*) FILTER (WHERE nullif(address, '') IS NOT NULL) AS address,
         count(*) FILTER (WHERE nullif(postcode, '') IS NOT NULL) AS postcode,
         count(*) FILTER (WHERE nullif(city, '') IS NOT NULL) AS city,
         count(*) FILTER (WHERE nullif(country, '') IS NOT NULL) AS country,
         count(*) FILTER (WHERE birth_date IS NOT NULL) AS birth_date,
         count(*) FILTER (WHERE nullif(gender, '') IS NOT NULL) AS gender,
         count(*) FILTER (WHERE nullif(loyalty_card, '') IS NOT NULL) AS loyalty_card,
         count(*) FILTER (WHERE nullif(web_user_id, '') IS NOT NULL) AS web_user_id,
         count(*) FILTER (WHERE consent_email IS NOT NULL) AS consent_email,
         count(*) FILTER (WHERE consent_phone IS NOT NULL) AS consent_phone,
         count(*) FILTER (WHERE nullif(status, '') IS NOT NULL) AS status,
         count(*) FILTER (WHERE updated_at IS NOT NULL) AS updated_at
  FROM staging.party_records
  GROUP BY source, source_table
),
txn AS (
  SELECT source, source_table, count(*) AS records,
         count(*) FILTER (WHERE coalesce(party_uid, card, email_key, phone_e164) IS NOT NULL) AS party_key,
         count(*) FILTER (WHERE amount IS NOT NULL) AS amount,
         count(*) FILTER (WHERE cost IS NOT NULL) AS cost,
         count(*) FILTER (WHERE nullif(currency, '') IS NOT NULL) AS currency,
         count(*) FILTER (WHERE nullif(product, '') IS NOT NULL) AS product,
         count(*) FILTER (WHERE nullif(product_category, '') IS NOT NULL) AS product_category,
         count(*) FILTER (WHERE nullif(channel, '') IS NOT NULL) AS channel,
         count(*) FILTER (WHERE nullif(status, '') IS NOT NULL) AS status,
         count(*) FILTER (WHERE occurred_at IS NOT NULL) AS occurred_at
  FROM staging.transactions
  GROUP BY source, source_table
),
ints AS (
  SELECT source, source_table, count(*) AS records,
         count(*) FILTER (WHERE coalesce(party_uid, email_key, phone_e164) IS NOT NULL) AS party_key,
         count(*) FILTER (WHERE nullif(channel, '') IS NOT NULL) AS channel,
         count(*) FILTER (WHERE nullif(direction, '') IS NOT NULL) AS direction,
         count(*) FILTER (WHERE nullif(queue, '') IS NOT NULL) AS queue,
         count(*) FILTER (WHERE nullif(category, '') IS NOT NULL) AS category,
         count(*) FILTER (WHERE is_complaint IS NOT NULL) AS is_complaint,
         count(*) FILTER (WHERE nullif(status, '') IS NOT NULL) AS status,
         count(*) FILTER (WHERE opened_at IS NOT NULL) AS opened_at,
         count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved_at
  FROM staging.interactions
  GROUP BY source, source_table
),
hits AS (
  SELECT source, source_table, count(*) AS records,
         count(*) FILTER (WHERE nullif(cookie_id, '') IS NOT NULL) AS cookie_id,
         count(*) FILTER (WHERE nullif(user_id, '') IS NOT NULL) AS user_id,
         count(*) FILTER (WHERE nullif(url, '') IS NOT NULL) AS url,
         count(*) FILTER (WHERE nullif(referrer, '') IS NOT NULL) AS referrer,
         count(*) FILTER (WHERE nullif(user_agent, '') IS NOT NULL) AS user_agent,
         count(*) FILTER (WHERE occurred_at IS NOT NULL) AS occurred_at
  FROM staging.web_hits
  GROUP BY source, source_table
),
long AS (
  SELECT source, source_table, 'party' AS entity, records, field, filled FROM party
    UNPIVOT (filled FOR field IN (first_name, last_name, full_name, company, email, email_valid, phone, phone_valid,
      mobile, mobile_valid, address, postcode, city, country, birth_date, gender, loyalty_card, web_user_id,
      consent_email, consent_phone, status, updated_at))
  UNION ALL
  SELECT source, source_table, 'transaction', records, field, filled FROM txn
    UNPIVOT (filled FOR field IN (party_key, amount, cost, currency, product, product_category, channel, status, occurred_at))
  UNION ALL
  SELECT source, source_table, 'interaction', records, field, filled FROM ints
    UNPIVOT (filled FOR field IN (party_key, channel, direction, queue, category, is_complaint, status, opened_at, resolved_at))
  UNION ALL
  SELECT source, source_table, 'web_hit', records, field, filled FROM hits
    UNPIVOT (filled FOR field IN (cookie_id, user_id, url, referrer, user_agent, occurred_at))
)
SELECT $1::VARCHAR, c.source, c.source_table, c.entity, c.field, c.records, c.filled, c.filled / c.records
FROM long c
LEFT JOIN marts.source_tables t ON t.source = c.source AND t.source_table = c.source_table
WHERE t.mapped_fields IS NULL
   -- a party key is mapped as party_key, card, email or phone; a *_valid form when its field is
   OR list_contains(t.mapped_fields, regexp_replace(c.field, '_valid$', ''))
   OR (c.field = 'party_key' AND list_has_any(t.mapped_fields, ['party_key', 'card', 'email', 'phone']))
   OR (c.entity = 'web_hit');
