-- The last_seen of tonight's links whose newest hit was replaced by none (cookie-links-changed.sql):
-- the newest of the published hits that stay. A pass over the published hits, run only when
-- such a link exists.
UPDATE {{table}} AS l SET last_seen = k.last_seen, last_unknown = false
FROM (
  SELECT h.cookie_id, h.user_id, max(h.occurred_at) AS last_seen
  FROM {{web_hits}} AS h
  JOIN {{table}} u ON u.last_unknown AND u.cookie_id = h.cookie_id AND u.user_id = h.user_id
  WHERE NOT h.is_bot AND h.rowid NOT IN (SELECT _rid FROM {{touched}})
  GROUP BY h.cookie_id, h.user_id
) AS k
WHERE l.cookie_id = k.cookie_id AND l.user_id = k.user_id
