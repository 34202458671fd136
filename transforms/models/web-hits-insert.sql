-- The web hits to sessionise tonight (those restaged, and every other hit of their visitors;
-- see web-hits-touched.sql), each in a session: a visitor's hits with no idle gap longer than
-- the timeout (minutes). The
-- visitor is the cookie, else the logged-in id, else the address and user agent. The session
-- id hashes the visitor and the session's first hit time, so it stays the same from night to
-- night while the hits do. The windows run over a narrow projection (row id, visitor, time):
-- sorting whole hits would carry every URL and user agent through each sort.
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
         max(CASE WHEN _prev IS NULL OR occurred_at - _prev > to_minutes(CAST($timeout_minutes AS BIGINT)) THEN epoch_ms(occurred_at) END)
           OVER (PARTITION BY _visitor ORDER BY occurred_at, _rid ROWS UNBOUNDED PRECEDING) AS _session_start
  FROM gaps
),
ids AS (
  SELECT _rid, 's' || substr(md5(_visitor || '|' || CAST(_session_start AS VARCHAR)), 1, 20) AS session_id
  FROM starts
)
SELECT h.* EXCLUDE (session_id), ids.session_id
FROM {{hits}} AS h JOIN ids ON ids._rid = h.rowid
