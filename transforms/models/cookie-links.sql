-- staging.cookie_links: a visitor cookie seen together with a logged-in user id (bots left out).
CREATE OR REPLACE TABLE {{table}} AS
SELECT cookie_id, user_id, min(occurred_at) AS first_seen, max(occurred_at) AS last_seen, count(*) AS hits
FROM {{web_hits}}
WHERE cookie_id IS NOT NULL AND user_id IS NOT NULL AND NOT is_bot
GROUP BY cookie_id, user_id
