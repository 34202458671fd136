-- Every staging interaction becomes a fact; customer_id from the party reference, else the
-- e-mail or phone number, else the identity model's match of its name, e-mail and phone
-- (identity.contact_matches); NULL (and counted) when none names one customer.
-- The scope: every row, or (an incremental night) the rows whose uid is in profiles_fact_uids.
DELETE FROM core.fact_interactions WHERE {{fact_scope}};

INSERT INTO core.fact_interactions BY NAME
SELECT i.interaction_uid,
       coalesce(x.customer_id, e.customer_id, ph.customer_id, cm.customer_id) AS customer_id,
       i.source, i.source_table, i.record_key, i.channel, i.direction, i.queue, i.category,
       i.is_complaint, i.is_abandoned, i.duration_s, i.status, i.opened_at, i.resolved_at,
       CASE WHEN x.customer_id IS NOT NULL THEN 'party_key'
            WHEN e.customer_id IS NOT NULL THEN 'email'
            WHEN ph.customer_id IS NOT NULL THEN 'phone'
            WHEN cm.customer_id IS NOT NULL THEN 'model' END AS resolved_by
FROM staging.interactions i
LEFT JOIN core.customer_xref x ON x.party_uid = i.party_uid
LEFT JOIN profiles_ident e ON e.kind = 'email' AND e.value = i.email_key
LEFT JOIN profiles_ident ph ON ph.kind = 'phone' AND ph.value = i.phone_e164
LEFT JOIN identity.contact_matches cm ON cm.interaction_uid = i.interaction_uid
WHERE {{staging_scope}};
