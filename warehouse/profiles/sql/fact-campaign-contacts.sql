-- Every staging campaign contact becomes a fact; customer_id from the party reference, else the
-- card, e-mail or phone it was sent to; NULL (and counted) when none names one customer.
-- The scope: every row, or (an incremental night) the rows whose uid is in profiles_fact_uids.
DELETE FROM core.fact_campaign_contacts WHERE {{fact_scope}};

INSERT INTO core.fact_campaign_contacts BY NAME
SELECT k.contact_uid,
       coalesce(x.customer_id, c.customer_id, e.customer_id, ph.customer_id) AS customer_id,
       k.campaign_uid, k.source, k.source_table, k.record_key, k.variant, k.region, k.segment,
       k.is_control, k.cost, k.sent_at, k.delivered_at, k.opened_at, k.clicked_at, k.bounced_at,
       k.unsubscribed_at, k.complained_at,
       CASE WHEN x.customer_id IS NOT NULL THEN 'party_key'
            WHEN c.customer_id IS NOT NULL THEN 'card'
            WHEN e.customer_id IS NOT NULL THEN 'email'
            WHEN ph.customer_id IS NOT NULL THEN 'phone' END AS resolved_by
FROM staging.campaign_contacts k
LEFT JOIN core.customer_xref x ON x.party_uid = k.party_uid
LEFT JOIN profiles_ident c ON c.kind = 'card' AND c.value = upper(regexp_replace(k.card, '[^0-9A-Za-z]', '', 'g'))
LEFT JOIN profiles_ident e ON e.kind = 'email' AND e.value = k.email_key
LEFT JOIN profiles_ident ph ON ph.kind = 'phone' AND ph.value = k.phone_e164
WHERE {{staging_scope}};
