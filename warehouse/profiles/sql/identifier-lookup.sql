-- Identifiers that name exactly one customer tonight (card, email, phone, web user id), and
-- cookies linked to logins of exactly one customer. An identifier shared by several customers
-- (a household landline, a family e-mail) resolves nobody rather than the wrong person.
CREATE OR REPLACE TEMP TABLE profiles_ident AS
WITH ids AS (
  SELECT 'card' AS kind, upper(regexp_replace(p.loyalty_card, '[^0-9A-Za-z]', '', 'g')) AS value, x.customer_id
  FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid
  WHERE p.loyalty_card IS NOT NULL
  UNION ALL
  SELECT 'email', p.email_key, x.customer_id
  FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid
  WHERE p.email_key IS NOT NULL
  UNION ALL
  SELECT 'phone', p.phone_e164, x.customer_id
  FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid
  WHERE p.phone_e164 IS NOT NULL
  UNION ALL
  SELECT 'phone', p.mobile_e164, x.customer_id
  FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid
  WHERE p.mobile_e164 IS NOT NULL
  UNION ALL
  SELECT 'user', lower(trim(p.web_user_id)), x.customer_id
  FROM staging.party_records p JOIN core.customer_xref x ON x.party_uid = p.party_uid
  WHERE nullif(trim(p.web_user_id), '') IS NOT NULL
)
SELECT kind, value, min(customer_id) AS customer_id
FROM ids
WHERE value <> ''
GROUP BY kind, value
HAVING count(DISTINCT customer_id) = 1;
