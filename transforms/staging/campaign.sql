-- Standardised campaigns of one source table, appended to the step's table of changed campaigns (staging._campaigns__changed, models.ts).
INSERT INTO {{target}} BY NAME
SELECT
  $source || '.' || $source_table || ':' || record_key AS campaign_uid,
  $source AS source,
  $source_table AS source_table,
  record_key,
  coalesce(name, record_key) AS name,
  lower(channel) AS channel,
  product,
  variants,
  cost,
  upper(currency) AS currency,
  started_at,
  ended_at,
  updated_at,
  _load_id,
  _loaded_at
FROM {{typed_table}} WHERE NOT _rejected
