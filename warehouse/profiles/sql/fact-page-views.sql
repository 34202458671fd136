-- Page views are the hits that are pages (not static files, not errors); each takes its session's customer, else
-- the customer of the user id logged in on the hit. Robots' hits are nobody's.
-- The scope: every row, or (an incremental night) the hits in profiles_fact_uids.
DELETE FROM core.fact_page_views WHERE {{fact_scope}};

INSERT INTO core.fact_page_views BY NAME
SELECT h.hit_uid, h.session_id,
       coalesce(s.customer_id, u.customer_id) AS customer_id,
       h.occurred_at, h.path, h.url, h.status, h.referrer, h.is_bot,
       CASE WHEN s.customer_id IS NOT NULL THEN s.resolved_by
            WHEN u.customer_id IS NOT NULL THEN 'user_id' END AS resolved_by
FROM staging.web_hits h
LEFT JOIN core.fact_web_sessions s ON s.session_id = h.session_id
LEFT JOIN profiles_ident u ON u.kind = 'user' AND u.value = CASE WHEN NOT coalesce(h.is_bot, false) THEN lower(trim(h.user_id)) END
WHERE {{is_page}} AND {{staging_scope}};
