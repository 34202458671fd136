-- mart_campaign_scope(campaign_uid, recipient): the rows of marts.campaign_contacts to rebuild,
-- as of $1 with household attribution when $2, from the entries
-- that changed since the last build (mart_campaign_changed; campaign-scope.ts says which).
CREATE OR REPLACE TEMP TABLE mart_campaign_scope AS
WITH recipients AS (
  SELECT campaign_uid, coalesce('c:' || customer_id, 'u:' || contact_uid) AS recipient,
         any_value(customer_id) AS customer_id
  FROM core.fact_campaign_contacts
  WHERE sent_at <= $1::TIMESTAMPTZ
  GROUP BY campaign_uid, recipient
),
households AS (
  SELECT customer_id, household_id FROM core.dim_household WHERE CAST($2 AS BOOLEAN)
),
-- whose activity answers for each recipient (as in recipients.sql)
answerers AS (
  SELECT campaign_uid, recipient, customer_id AS answerer
  FROM recipients WHERE customer_id IS NOT NULL
  UNION
  SELECT r.campaign_uid, r.recipient, m.customer_id
  FROM recipients r
  JOIN households h ON h.customer_id = r.customer_id
  JOIN households m ON m.household_id = h.household_id
),
-- households that gained or lost a member: every member, before and after, answers differently
moved_households AS (
  SELECT DISTINCT ref FROM mart_campaign_changed WHERE kind = 'household'
),
moved_customers AS (
  SELECT customer_id FROM mart_campaign_changed WHERE kind = 'household'
  UNION SELECT customer_id FROM mart_campaign_inputs_now
        WHERE kind = 'household' AND ref IN (FROM moved_households)
  UNION SELECT customer_id FROM meta.campaign_contact_inputs
        WHERE kind = 'household' AND ref IN (FROM moved_households)
),
touched AS (
  SELECT campaign_uid, ref AS recipient FROM mart_campaign_changed WHERE kind = 'send'
  UNION
  SELECT campaign_uid, recipient FROM recipients
  WHERE campaign_uid IN (SELECT campaign_uid FROM mart_campaign_changed WHERE kind = 'campaign')
  UNION
  SELECT campaign_uid, recipient FROM recipients WHERE customer_id IN (FROM moved_customers)
  UNION
  SELECT a.campaign_uid, a.recipient
  FROM answerers a
  JOIN mart_campaign_changed x ON x.kind = 'activity' AND x.customer_id = a.answerer
),
-- money of a campaign without a currency of its own is in that of most of its responses
whole_campaigns AS (
  SELECT DISTINCT t.campaign_uid
  FROM touched t LEFT JOIN mart_campaigns c USING (campaign_uid)
  WHERE nullif(upper(trim(c.currency)), '') IS NULL
)
SELECT campaign_uid, recipient FROM touched
UNION
SELECT campaign_uid, recipient FROM recipients WHERE campaign_uid IN (FROM whole_campaigns)
UNION
SELECT campaign_uid, coalesce('c:' || customer_id, 'u:' || contact_uid)
FROM marts.campaign_contacts WHERE campaign_uid IN (FROM whole_campaigns);
