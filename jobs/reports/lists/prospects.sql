-- A purchased list of numbers (temp table prospect_numbers: line, raw, e164, invalid_reason)
-- checked against every number the company already has for a customer: on a party record,
-- or seen on a contact or a transaction that was linked to a customer.
CREATE OR REPLACE TEMP TABLE prospect_checked AS
WITH known AS (
  SELECT phone_e164 AS e164 FROM staging.party_records WHERE phone_e164 IS NOT NULL
  UNION SELECT mobile_e164 FROM staging.party_records WHERE mobile_e164 IS NOT NULL
  UNION SELECT s.phone_e164 FROM staging.interactions s JOIN core.fact_interactions f ON f.interaction_uid = s.interaction_uid
        WHERE f.customer_id IS NOT NULL AND s.phone_e164 IS NOT NULL
  UNION SELECT s.phone_e164 FROM staging.transactions s JOIN core.fact_transactions f ON f.txn_uid = s.txn_uid
        WHERE f.customer_id IS NOT NULL AND s.phone_e164 IS NOT NULL
),
numbered AS (
  SELECT *, row_number() OVER (PARTITION BY e164 ORDER BY line) AS nth FROM prospect_numbers
)
SELECT n.line, n.raw, n.e164, n.invalid_reason,
       CASE WHEN n.e164 IS NULL THEN 'invalid'
            WHEN k.e164 IS NOT NULL THEN 'existing_customer'
            WHEN n.nth > 1 THEN 'duplicate'
            ELSE 'kept' END AS status
FROM numbered n
LEFT JOIN known k ON k.e164 = n.e164;
