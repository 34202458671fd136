-- Where each visitor touched tonight is sessionised again from (`from_at`). A hit's session
-- depends only on the visitor's hits before it, so the hits before the visitor's earliest
-- change (a hit restaged tonight, or a published hit that goes — a late hit may be for any old
-- time) keep their sessions, except that the session of the last hit before it goes on when
-- that hit is within the session gap of it (a session is closed once the next hit is more than
-- the gap after its last). So a visitor is sessionised again from the start of that session
-- (`session_started_at`), else from the earliest change. Reads the published hits from $near
-- (the earliest change of all, less the gap) on: with hits stored in time order, only the
-- recent row groups on a night whose hits are new.
CREATE OR REPLACE TABLE {{from}} AS
WITH changes AS (
  SELECT {{visitor}} AS visitor, h.occurred_at FROM {{staged}} AS h
  UNION ALL
  SELECT visitor, occurred_at FROM {{gone}}
),
firsts AS (
  SELECT visitor, min(occurred_at) AS since FROM changes GROUP BY visitor
),
near AS (
  SELECT {{visitor}} AS visitor, h.occurred_at, h.session_started_at
  FROM {{web_hits}} AS h
  WHERE h.occurred_at >= CAST($near AS TIMESTAMPTZ)
)
SELECT f.visitor, least(f.since, min(n.session_started_at)) AS from_at
FROM firsts f
LEFT JOIN near n
  ON n.visitor = f.visitor AND n.occurred_at >= f.since - to_minutes(CAST($timeout_minutes AS BIGINT))
GROUP BY f.visitor, f.since
