-- staging.web_sessions: one row per session. user_id is the logged-in id seen in the session,
-- else the user most often linked to its cookie (staging.cookie_links; on an incremental night
-- the cookies' links as they stand tonight, web-sessions-cookie-users.sql).
CREATE OR REPLACE TABLE {{table}} AS
WITH cookie_user AS (
  SELECT cookie_id, user_id
  FROM {{cookie_links}}
  QUALIFY row_number() OVER (PARTITION BY cookie_id ORDER BY hits DESC, last_seen DESC, user_id) = 1
),
sessions AS (
  SELECT session_id,
         arg_min(cookie_id, occurred_at) FILTER (WHERE cookie_id IS NOT NULL) AS cookie_id,
         arg_min(user_id, occurred_at) FILTER (WHERE user_id IS NOT NULL) AS seen_user_id,
         min(occurred_at) AS started_at,
         max(occurred_at) AS ended_at,
         count(*) AS hits,
         count(*) FILTER (WHERE is_page) AS page_views,
         arg_min(path, occurred_at) FILTER (WHERE is_page) AS landing_path,
         bool_or(is_bot) AS is_bot
  FROM {{web_hits}}
  GROUP BY session_id
)
SELECT s.session_id, s.cookie_id,
       coalesce(s.seen_user_id, c.user_id) AS user_id,
       CASE WHEN s.seen_user_id IS NOT NULL THEN 'session' WHEN c.user_id IS NOT NULL THEN 'cookie_link' END AS user_id_from,
       s.started_at, s.ended_at, s.hits, s.page_views, s.landing_path, s.is_bot
FROM sessions s LEFT JOIN cookie_user c ON c.cookie_id = s.cookie_id
