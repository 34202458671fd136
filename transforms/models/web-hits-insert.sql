-- The web hits to sessionise tonight (those restaged, and the published hits of their visitors
-- from the session that can still change; see web-hits-from.sql), each in a session: a
-- visitor's hits with no idle gap longer than the timeout (minutes). The
-- visitor is the cookie, else the logged-in id, else the address and user agent. The session
-- id hashes the visitor and the session's first hit time, so it stays the same from night to
-- night while the hits do. The windows run over a narrow projection (row id, visitor, time):
-- sorting whole hits would carry every URL and user agent through each sort. The hits are
-- inserted in time order, so the published table stays ordered by time and a night reads only
-- its recent row groups (web-hits-from.sql, web-hits-touched.sql filter on occurred_at).
INSERT INTO {{table}} BY NAME
WITH narrow AS (
  SELECT h.rowid AS _rid, h.occurred_at,
         {{visitor}} AS _visitor
  FROM {{hits}} AS h
),
gaps AS (
  SELECT _rid, _visitor, occurred_at,
         lag(occurred_at) OVER (PARTITION BY _visitor ORDER BY occurred_at, _rid) AS _prev
  FROM narrow
),
starts AS (
  SELECT _rid, _visitor,
         max(CASE WHEN _prev IS NULL OR occurred_at - _prev > to_minutes(CAST($timeout_minutes AS BIGINT)) THEN occurred_at END)
           OVER (PARTITION BY _visitor ORDER BY occurred_at, _rid ROWS UNBOUNDED PRECEDING) AS _session_start
  FROM gaps
),
ids AS (
  SELECT _rid, _session_start,
         's' || substr(md5(_visitor || '|' || CAST(epoch_ms(_session_start) AS VARCHAR)), 1, 20) AS session_id
  FROM starts
)
SELECT h.* EXCLUDE (session_id, session_started_at), ids.session_id, ids._session_start AS session_started_at
FROM {{hits}} AS h JOIN ids ON ids._rid = h.rowid
ORDER BY h.occurred_at
