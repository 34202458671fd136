-- The user each cookie of tonight's sessions and changed links is linked to, tonight
-- (`user_id`) and as published (`was`): the user most often seen with it (staging.cookie_links;
-- ties to the last seen). Tonight's links (cookie-links-changed.sql, `hits` 0 for one that
-- goes) replace the published ones of their pairs. One row per cookie, with the winning link's
-- `hits` and `last_seen`, so that web-sessions.sql reads it as it reads staging.cookie_links.
CREATE OR REPLACE TABLE {{table}} AS
WITH cookies AS (
  SELECT cookie_id FROM {{web_hits}} WHERE cookie_id IS NOT NULL
  UNION
  SELECT cookie_id FROM {{changed_links}}
),
was_links AS (
  SELECT p.* FROM {{links}} p WHERE p.cookie_id IN (SELECT cookie_id FROM cookies)
),
now_links AS (
  SELECT cookie_id, user_id, hits, last_seen FROM was_links p
  WHERE NOT EXISTS (SELECT 1 FROM {{changed_links}} c WHERE c.cookie_id = p.cookie_id AND c.user_id = p.user_id)
  UNION ALL
  SELECT cookie_id, user_id, hits, last_seen FROM {{changed_links}} WHERE hits > 0
),
now_user AS (
  SELECT cookie_id, user_id, hits, last_seen FROM now_links
  QUALIFY row_number() OVER (PARTITION BY cookie_id ORDER BY hits DESC, last_seen DESC, user_id) = 1
),
was_user AS (
  SELECT cookie_id, user_id FROM was_links
  QUALIFY row_number() OVER (PARTITION BY cookie_id ORDER BY hits DESC, last_seen DESC, user_id) = 1
)
SELECT c.cookie_id, n.user_id, n.hits, n.last_seen, w.user_id AS was
FROM cookies c
LEFT JOIN now_user n ON n.cookie_id = c.cookie_id
LEFT JOIN was_user w ON w.cookie_id = c.cookie_id
