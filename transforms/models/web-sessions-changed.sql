-- staging.web_sessions changed tonight: the sessions of the hits sessionised again (whole: a
-- visitor is sessionised again from a session's start), each with the user seen in it, else
-- the one its cookie is linked to tonight (web-sessions-cookie-users.sql). As web-sessions.sql.
CREATE OR REPLACE TABLE {{table}} AS
WITH sessions AS (
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
FROM sessions s LEFT JOIN {{cookie_users}} c ON c.cookie_id = s.cookie_id
