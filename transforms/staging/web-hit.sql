-- Standardised web hits of one source table; bots flagged once per distinct user agent.
-- Sessions are assigned later over all web tables together (models/web-hits-insert.sql).
INSERT INTO {{target}} BY NAME
WITH t AS (
  -- "-" is how access logs write a missing field.
  SELECT * REPLACE (NULLIF(ip, '-') AS ip, NULLIF(cookie_id, '-') AS cookie_id, NULLIF(user_id, '-') AS user_id,
                    NULLIF(referrer, '-') AS referrer, NULLIF(user_agent, '-') AS user_agent)
  FROM {{typed_table}} WHERE NOT _rejected
),
agents AS (
  SELECT ua AS user_agent,
         cdw_is_bot(ua) OR len(list_filter(CAST($bot_patterns AS VARCHAR[]), lambda p: contains(lower(ua), lower(p)))) > 0 AS is_bot
  FROM (SELECT DISTINCT user_agent AS ua FROM t)
),
hits AS (
  SELECT t.*, regexp_replace(regexp_replace(url, '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*', ''), '[?#].*$', '') AS _path
  FROM t
)
SELECT
  $source || '.' || $source_table || ':' || h.record_key AS hit_uid,
  $source AS source,
  $source_table AS source_table,
  h.record_key,
  h.occurred_at, h.ip, h.cookie_id, h.user_id,
  upper(h."method") AS "method",
  h.url,
  CASE WHEN h._path IS NULL THEN NULL WHEN h._path = '' THEN '/' ELSE h._path END AS path,
  TRY_CAST(h.status AS INTEGER) AS status,
  h.bytes, h.referrer, h.user_agent,
  coalesce(a.is_bot, true) AS is_bot,
  coalesce(upper(h."method"), 'GET') = 'GET'
    AND coalesce(h.status, 200) < 400
    AND NOT regexp_matches(lower(coalesce(h._path, '')), '\.(css|js|mjs|map|png|jpe?g|gif|svg|ico|webp|avif|woff2?|ttf|eot|otf|txt|xml|json)$') AS is_page,
  h._load_id,
  h._loaded_at
FROM hits h LEFT JOIN agents a ON a.user_agent IS NOT DISTINCT FROM h.user_agent
