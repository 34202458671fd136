-- Tonight's cookie links of the (cookie, user) pairs with a hit sessionised again tonight, with
-- `hits` 0 for a link that goes. A link counts a cookie's non-bot hits with that user, with the
-- first and last time, so it is the published link less the hits replaced (`touched`) plus the
-- hits sessionised again (`hits`): those replaced are all the cookie's hits from some time on
-- (its visitor's from_at, web-hits-from.sql) and those sessionised again are from then on too.
-- So a link that keeps hits keeps its first_seen; its last_seen is the newest added hit's, or
-- the published one when none of its hits was replaced, else unknown (`last_unknown`: looked up
-- by cookie-links-last-seen.sql — a hit replaced by nothing, rare).
CREATE OR REPLACE TABLE {{table}} AS
WITH replaced AS (
  SELECT cookie_id, user_id, count(*) AS hits
  FROM {{touched}}
  WHERE cookie_id IS NOT NULL AND user_id IS NOT NULL AND NOT is_bot
  GROUP BY cookie_id, user_id
),
added AS (
  SELECT cookie_id, user_id, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen, count(*) AS hits
  FROM {{web_hits}}
  WHERE cookie_id IS NOT NULL AND user_id IS NOT NULL AND NOT is_bot
  GROUP BY cookie_id, user_id
),
links AS (
  SELECT cookie_id, user_id FROM replaced UNION SELECT cookie_id, user_id FROM added
),
kept AS (
  SELECT l.cookie_id, l.user_id, p.first_seen,
         CASE WHEN r.hits IS NULL THEN p.last_seen END AS last_seen,
         p.hits - coalesce(r.hits, 0) AS hits
  FROM links l
  JOIN {{links}} p ON p.cookie_id = l.cookie_id AND p.user_id = l.user_id
  LEFT JOIN replaced r ON r.cookie_id = l.cookie_id AND r.user_id = l.user_id
)
SELECT l.cookie_id, l.user_id,
       CASE WHEN coalesce(k.hits, 0) > 0 THEN least(k.first_seen, a.first_seen) ELSE a.first_seen END AS first_seen,
       CASE WHEN a.hits IS NOT NULL THEN a.last_seen WHEN coalesce(k.hits, 0) > 0 THEN k.last_seen END AS last_seen,
       coalesce(k.hits, 0) + coalesce(a.hits, 0) AS hits,
       a.hits IS NULL AND coalesce(k.hits, 0) > 0 AND k.last_seen IS NULL AS last_unknown
FROM links l
LEFT JOIN kept k ON k.cookie_id = l.cookie_id AND k.user_id = l.user_id
LEFT JOIN added a ON a.cookie_id = l.cookie_id AND a.user_id = l.user_id
