-- marts.campaign_contacts: one row per campaign and recipient, as of $1. A recipient is a
-- customer (several sends to records of one customer count once: the first send's variant,
-- region and time), or a send that resolved to nobody (its own row, never dropped; it cannot be
-- seen to respond). A response is, within $2 days after the send (after the send, up to and
-- including the last second of the window), a purchase by the recipient — or anyone of their
-- household when $3 — of the campaign's product (a first one: not bought in the year before
-- the send), or of anything, a web visit or an inbound contact that is no complaint when the
-- campaign names no product. Control-group members (holdout) are measured the same way.
-- Whatever the campaign, visited_at and called_at say whether the recipient (or household) came
-- to the web site or called the contact centre in the window: the load a campaign brings, and
-- its lift over the control group, even when only a purchase of its product is a response.
-- {{write}}: the whole table anew, or the rows of the recipients in {{recipient_scope}} (a
-- SEMI JOIN on mart_campaign_scope, campaign-scope.ts) added after theirs were deleted.
{{write}}
WITH camp AS (
  SELECT campaign_uid, name, nullif(lower(trim(product)), '') AS product_key,
         nullif(upper(trim(currency)), '') AS currency
  FROM mart_campaigns
),
sends AS (
  SELECT * FROM (
    SELECT f.*, coalesce('c:' || f.customer_id, 'u:' || f.contact_uid) AS recipient
    FROM core.fact_campaign_contacts f
    WHERE f.sent_at <= $1::TIMESTAMPTZ
  ) f {{recipient_scope}}
),
-- the first send to each recipient (rn = 1) gives the variant, region, segment and time
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY campaign_uid, recipient ORDER BY sent_at, contact_uid) AS rn
  FROM sends
),
r AS (
  SELECT campaign_uid, recipient,
         any_value(customer_id) AS customer_id,
         any_value(contact_uid) FILTER (WHERE rn = 1) AS contact_uid,
         count(*) AS records,
         any_value(variant) FILTER (WHERE rn = 1) AS variant,
         any_value(region) FILTER (WHERE rn = 1) AS region,
         any_value(segment) FILTER (WHERE rn = 1) AS segment,
         -- sent to one of the records: treated, whatever the others say
         bool_and(is_control) AS is_control,
         min(sent_at) AS sent_at,
         bool_or(delivered_at IS NOT NULL) AS delivered,
         bool_or(bounced_at IS NOT NULL) AS bounced,
         bool_or(opened_at IS NOT NULL) AS opened,
         bool_or(clicked_at IS NOT NULL) AS clicked,
         min(unsubscribed_at) FILTER (WHERE unsubscribed_at <= $1::TIMESTAMPTZ) AS unsubscribed_at,
         min(complained_at) FILTER (WHERE complained_at <= $1::TIMESTAMPTZ) AS complained_at,
         sum(cost) AS cost
  FROM ranked
  GROUP BY campaign_uid, recipient
),
-- whose activity answers for a recipient: their own, or their household's
answerers AS (
  SELECT campaign_uid, recipient, customer_id AS answerer FROM r WHERE customer_id IS NOT NULL
  UNION
  SELECT r.campaign_uid, r.recipient, m.customer_id
  FROM r
  JOIN core.dim_household h ON h.customer_id = r.customer_id
  JOIN core.dim_household m ON m.household_id = h.household_id
  WHERE CAST($3 AS BOOLEAN)
),
w AS (
  SELECT a.campaign_uid, a.recipient, a.answerer, epoch(r.sent_at) AS sent_s,
         epoch(r.sent_at) + CAST($2 AS INTEGER) * 86400 AS until_s, camp.product_key, camp.currency
  FROM answerers a
  JOIN r USING (campaign_uid, recipient)
  LEFT JOIN camp USING (campaign_uid)
),
order_sources AS (
  SELECT DISTINCT source FROM core.fact_transactions WHERE lower(kind) = 'order'
),
purchases AS (
  SELECT t.customer_id, t.occurred_at, epoch(t.occurred_at) AS at_s, t.amount,
         nullif(lower(trim(t.product)), '') AS product_key,
         nullif(upper(trim(t.currency)), '') AS currency
  FROM core.fact_transactions t
  WHERE t.customer_id IN (SELECT answerer FROM answerers) AND t.occurred_at <= $1::TIMESTAMPTZ AND t.amount > 0
    AND coalesce(lower(t.kind), '') NOT IN ('payment', 'refund')
    AND coalesce(lower(t.status), '') NOT IN ('cancelled', 'canceled', 'void', 'voided', 'failed', 'rejected')
    AND NOT (coalesce(lower(t.kind), '') = 'order_line' AND t.source IN (SELECT source FROM order_sources))
),
-- each purchase (of a customer who answers for a recipient: all of theirs, for the previous
-- purchase) with the time of the same customer's previous purchase of the same product
purchase_runs AS (
  SELECT *, coalesce(lag(at_s) OVER (PARTITION BY customer_id, product_key ORDER BY at_s, occurred_at), -1e18) AS prev_same_s
  FROM purchases
),
-- per answerer: purchases in the window; for a product campaign only when the first of them is
-- a first purchase (the one before it, if any, more than 366 days before the send: no renewal)
bought_by AS (
  SELECT w.campaign_uid, w.recipient, min(p.occurred_at) AS first_at, count(*) AS purchases,
         arg_min(p.currency, p.at_s) AS first_currency,
         list(struct_pack(amount := p.amount, currency := p.currency)) AS amounts,
         any_value(w.currency) AS campaign_currency
  FROM w
  JOIN purchase_runs p ON p.customer_id = w.answerer
  WHERE p.at_s > w.sent_s AND p.at_s <= w.until_s
    AND (w.product_key IS NULL OR p.product_key = w.product_key)
  GROUP BY w.campaign_uid, w.recipient, w.answerer, w.product_key, w.sent_s
  HAVING w.product_key IS NULL OR arg_min(p.prev_same_s, p.at_s) <= w.sent_s - 366 * 86400
),
bought AS (
  SELECT campaign_uid, recipient, min(first_at) AS first_at, sum(purchases) AS purchases,
         arg_min(first_currency, first_at) AS first_currency, flatten(list(amounts)) AS amounts,
         any_value(campaign_currency) AS campaign_currency
  FROM bought_by GROUP BY campaign_uid, recipient
),
visited AS (
  SELECT w.campaign_uid, w.recipient, min(s.started_at) AS first_at
  FROM w JOIN core.fact_web_sessions s ON s.customer_id = w.answerer
  WHERE NOT coalesce(s.is_bot, false)
    AND s.started_at <= $1::TIMESTAMPTZ
    AND epoch(s.started_at) > w.sent_s AND epoch(s.started_at) <= w.until_s
  GROUP BY w.campaign_uid, w.recipient
),
contacted AS (
  SELECT w.campaign_uid, w.recipient, min(i.opened_at) AS first_at
  FROM w JOIN core.fact_interactions i ON i.customer_id = w.answerer
  WHERE NOT coalesce(i.is_complaint, false)
    AND coalesce(lower(i.direction), 'inbound') <> 'outbound'
    AND i.opened_at <= $1::TIMESTAMPTZ
    AND epoch(i.opened_at) > w.sent_s AND epoch(i.opened_at) <= w.until_s
  GROUP BY w.campaign_uid, w.recipient
),
-- money in one currency per campaign: its own, else the one most of its responses were paid in
money AS (
  SELECT b.campaign_uid, coalesce(any_value(b.campaign_currency), mode(b.first_currency)) AS currency
  FROM bought b GROUP BY b.campaign_uid
),
-- a complaint of the recipient themself to the contact centre within the window
complaint AS (
  SELECT r.campaign_uid, r.recipient, min(i.opened_at) AS first_at
  FROM r JOIN core.fact_interactions i ON i.customer_id = r.customer_id
  WHERE coalesce(i.is_complaint, false) AND i.opened_at <= $1::TIMESTAMPTZ
    AND epoch(i.opened_at) > epoch(r.sent_at)
    AND epoch(i.opened_at) <= epoch(r.sent_at) + CAST($2 AS INTEGER) * 86400
  GROUP BY r.campaign_uid, r.recipient
)
SELECT * EXCLUDE (visit_response_at, contact_response_at) FROM (
SELECT r.campaign_uid, camp.name AS campaign_name, r.customer_id, r.contact_uid, r.records,
       r.variant, r.region, r.segment, r.is_control, r.sent_at,
       r.delivered, r.bounced, r.opened, r.clicked,
       -- a visit or a contact is a response only to a campaign without a product
       CASE WHEN camp.product_key IS NULL THEN v.first_at END AS visit_response_at,
       CASE WHEN camp.product_key IS NULL THEN k.first_at END AS contact_response_at,
       least(b.first_at, visit_response_at, contact_response_at) AS responded_at,
       responded_at IS NOT NULL AS responded,
       CASE responded_at
         WHEN b.first_at THEN 'purchase' WHEN visit_response_at THEN 'visit' WHEN contact_response_at THEN 'contact'
       END AS response_kind,
       v.first_at AS visited_at,
       v.first_at IS NOT NULL AS visited,
       k.first_at AS called_at,
       k.first_at IS NOT NULL AS called,
       coalesce(b.purchases, 0) AS purchases,
       coalesce(m.currency, camp.currency) AS currency,
       coalesce(list_sum([a.amount FOR a IN b.amounts IF a.currency IS NOT DISTINCT FROM m.currency]), 0) AS revenue,
       r.unsubscribed_at,
       r.unsubscribed_at IS NOT NULL AS unsubscribed,
       least(r.complained_at, q.first_at) AS complained_at,
       least(r.complained_at, q.first_at) IS NOT NULL AS complained,
       r.cost
FROM r
LEFT JOIN camp USING (campaign_uid)
LEFT JOIN bought b USING (campaign_uid, recipient)
LEFT JOIN visited v USING (campaign_uid, recipient)
LEFT JOIN contacted k USING (campaign_uid, recipient)
LEFT JOIN complaint q USING (campaign_uid, recipient)
LEFT JOIN money m ON m.campaign_uid = r.campaign_uid
)
ORDER BY campaign_uid, customer_id NULLS LAST, contact_uid;
