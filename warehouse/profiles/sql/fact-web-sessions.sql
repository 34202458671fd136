-- Sessions get the customer of the logged-in user seen in them (user_id), else of the cookie
-- linked to one customer's logins (cookie). Robots are nobody's visits.
-- The scope: every row, or (an incremental night) the sessions in profiles_fact_uids.
DELETE FROM core.fact_web_sessions WHERE {{fact_scope}};

INSERT INTO core.fact_web_sessions BY NAME
WITH logged_in AS (
  SELECT session_id, bool_or(nullif(trim(user_id), '') IS NOT NULL) AS logged_in
  FROM staging.web_hits
  WHERE {{hits_scope}}
  GROUP BY session_id
)
SELECT s.session_id,
       coalesce(u.customer_id, ck.customer_id) AS customer_id,
       s.cookie_id, s.user_id, s.started_at, s.ended_at, s.hits, s.page_views, s.landing_path, s.is_bot,
       CASE WHEN u.customer_id IS NOT NULL AND coalesce(li.logged_in, false) THEN 'user_id'
            WHEN u.customer_id IS NOT NULL OR ck.customer_id IS NOT NULL THEN 'cookie' END AS resolved_by
FROM staging.web_sessions s
LEFT JOIN logged_in li ON li.session_id = s.session_id
-- (The robot test sits inside the join key: a condition on one side only would make DuckDB
-- fall back to a nested-loop join.)
LEFT JOIN profiles_ident u ON u.kind = 'user' AND u.value = CASE WHEN NOT coalesce(s.is_bot, false) THEN lower(trim(s.user_id)) END
LEFT JOIN profiles_cookie ck ON ck.cookie_id = CASE WHEN NOT coalesce(s.is_bot, false) THEN s.cookie_id END
WHERE {{staging_scope}};
