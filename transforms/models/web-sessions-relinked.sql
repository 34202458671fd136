-- The published sessions, not sessionised again tonight, of the cookies now linked to another
-- user (web-sessions-cookie-users.sql): a session with no logged-in hit takes its cookie's
-- user. A pass over the published sessions, run only when a cookie's user changed.
INSERT INTO {{table}} BY NAME
SELECT s.* EXCLUDE (user_id, user_id_from), c.user_id,
       CASE WHEN c.user_id IS NOT NULL THEN 'cookie_link' END AS user_id_from
FROM {{sessions}} s
JOIN {{cookie_users}} c ON c.cookie_id = s.cookie_id AND c.user_id IS DISTINCT FROM c.was
WHERE s.user_id_from IS DISTINCT FROM 'session'
  AND s.session_id NOT IN (SELECT session_id FROM {{touched}})
  AND s.session_id NOT IN (SELECT session_id FROM {{table}})
