-- Standardised transactions of one source table, appended to the step's table of changed transactions (staging._transactions__changed, models.ts).
INSERT INTO {{target}} BY NAME
WITH t AS (
  -- party_table names `source.table`; a bare table name is in this source; none means the
  -- source's only party table ($default_party_table, NULL when it has none or several).
  SELECT *,
         CASE WHEN party_table IS NULL THEN CAST($default_party_table AS VARCHAR)
              WHEN contains(party_table, '.') THEN party_table
              ELSE $source || '.' || party_table END AS _party_table
  FROM {{typed_table}} WHERE NOT _rejected
)
SELECT
  $source || '.' || $source_table || ':' || record_key AS txn_uid,
  $source AS source,
  $source_table AS source_table,
  record_key,
  kind,
  CASE WHEN party_key IS NOT NULL AND _party_table IS NOT NULL THEN _party_table || ':' || party_key END AS party_uid,
  party_key,
  _party_table AS party_table,
  card,
  CASE WHEN email IS NOT NULL THEN cdw_email_key(email) END AS email_key,
  CASE WHEN phone IS NOT NULL THEN cdw_phone_e164(phone, $default_country) END AS phone_e164,
  amount, cost,
  upper(currency) AS currency,
  quantity, product, product_category, channel, store, status, occurred_at, updated_at,
  _load_id,
  _loaded_at
FROM t
