CREATE OR REPLACE VIEW public.customer_records AS
SELECT x.customer_id, x.party_uid, p.system, x.source, x.source_table, x.record_key, x.linked_by, x.match_probability,
       p.full_name, p.first_name, p.last_name, p.email, p.phone, p.address, p.city, p.status,
       p.created_at, p.updated_at
FROM core.customer_xref x
LEFT JOIN staging.party_records p ON p.party_uid = x.party_uid;

COMMENT ON VIEW public.customer_records IS 'Every source record behind a customer: which departments and systems deal with the customer, since when.';
COMMENT ON COLUMN public.customer_records.customer_id IS 'Customer the record belongs to.';
COMMENT ON COLUMN public.customer_records.party_uid IS 'source.table:record_key of the record.';
COMMENT ON COLUMN public.customer_records.system IS 'System (department) of the source.';
COMMENT ON COLUMN public.customer_records.linked_by IS 'Why identity linked the record to the customer (self, email, phone, probabilistic, ...).';
COMMENT ON COLUMN public.customer_records.match_probability IS 'Match probability of the link.';
COMMENT ON COLUMN public.customer_records.created_at IS 'When the source record was created (since when the system knows the customer).';
COMMENT ON COLUMN public.customer_records.updated_at IS 'When the source record last changed.';
