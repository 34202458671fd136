-- Every staging transaction becomes a fact; customer_id from the party reference, else the
-- card, e-mail or phone given with it; NULL (and counted) when none names one customer.
-- The scope: every row, or (an incremental night) the rows whose uid is in profiles_fact_uids.
DELETE FROM core.fact_transactions WHERE {{fact_scope}};

INSERT INTO core.fact_transactions BY NAME
SELECT t.txn_uid,
       coalesce(x.customer_id, c.customer_id, e.customer_id, ph.customer_id) AS customer_id,
       t.source, t.source_table, t.record_key, t.kind, t.amount, t.cost, t.currency, t.quantity,
       t.product, t.product_category, t.channel, t.store, t.status, t.occurred_at,
       CASE WHEN x.customer_id IS NOT NULL THEN 'party_key'
            WHEN c.customer_id IS NOT NULL THEN 'card'
            WHEN e.customer_id IS NOT NULL THEN 'email'
            WHEN ph.customer_id IS NOT NULL THEN 'phone' END AS resolved_by
FROM staging.transactions t
LEFT JOIN core.customer_xref x ON x.party_uid = t.party_uid
LEFT JOIN profiles_ident c ON c.kind = 'card' AND c.value = upper(regexp_replace(t.card, '[^0-9A-Za-z]', '', 'g'))
LEFT JOIN profiles_ident e ON e.kind = 'email' AND e.value = t.email_key
LEFT JOIN profiles_ident ph ON ph.kind = 'phone' AND ph.value = t.phone_e164
WHERE {{staging_scope}};
