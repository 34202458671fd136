-- Every web hit of every web table (appended by the units to staging._web_hits__staged), each
-- in a session: a visitor's hits with no idle gap longer than the timeout (minutes). The visitor is the cookie, else the logged-in id, else the
-- address and user agent. The session id hashes the visitor and the session's first hit time,
-- so it stays the same from night to night while the hits do.
INSERT INTO {{table}} BY NAME
WITH v AS (
  SELECT * EXCLUDE (session_id),
         coalesce('c:' || cookie_id, 'u:' || user_id, 'a:' || coalesce(ip, '') || '|' || coalesce(user_agent, '')) AS _visitor
  FROM {{hits}}
),
g AS (
  SELECT *,
         lag(occurred_at) OVER (PARTITION BY _visitor ORDER BY occurred_at, hit_uid) AS _prev
  FROM v
),
s AS (
  SELECT *,
         max(CASE WHEN _prev IS NULL OR occurred_at - _prev > to_minutes(CAST($timeout_minutes AS BIGINT)) THEN epoch_ms(occurred_at) END)
           OVER (PARTITION BY _visitor ORDER BY occurred_at, hit_uid ROWS UNBOUNDED PRECEDING) AS _session_start
  FROM g
)
SELECT * EXCLUDE (_visitor, _prev, _session_start),
       's' || substr(md5(_visitor || '|' || CAST(_session_start AS VARCHAR)), 1, 20) AS session_id
FROM s
