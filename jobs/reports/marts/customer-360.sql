-- Customer 360: one row per customer with everything the company knows about them.
-- Built from the intermediate marts (customer_systems, customer_products, customer_revenue,
-- customer_contacts) and the core facts. Lists are sorted with list_sort afterwards: an ORDER BY
-- inside an aggregate sorts each group on its own and is many times slower. Nested values a BI
-- tool cannot read over the PostgreSQL protocol (lists of structs, maps) are JSON here, and rows
-- of their own in the child tables: customer_systems, customer_contact_channels,
-- customer_household_members. Lists of plain values (known_to, products) stay lists (arrays).
-- Campaign history comes from marts.campaign_contacts (built before this, with its attribution
-- rules): one row per campaign the customer was sent or held out of.
{{write}}
WITH sys AS (
  SELECT customer_id,
         list_sort(list_distinct(list(system))) AS known_to,
         -- first_seen leads the struct so the sort puts the systems in the order they met the customer
         list_sort(list(struct_pack(first_seen := first_seen, last_seen := last_seen, system := system, source := source,
                                    records := records, transactions := transactions, interactions := interactions,
                                    web_sessions := web_sessions))) AS systems,
         min(first_seen) AS first_seen_at,
         max(last_seen) AS last_seen_at
  FROM marts.customer_systems WHERE customer_id IN (FROM mart_scope) GROUP BY customer_id
),
prod AS (
  SELECT customer_id,
         list_sort(list(product)) AS products,
         list_sort(list_distinct(list(product_category) FILTER (WHERE product_category IS NOT NULL))) AS product_categories
  FROM marts.customer_products GROUP BY customer_id
),
web AS (
  SELECT customer_id, count(*) AS web_sessions, sum(page_views) AS page_views,
         max(coalesce(ended_at, started_at)) AS last_web_visit_at
  FROM core.fact_web_sessions
  WHERE customer_id IN (FROM mart_scope) AND NOT coalesce(is_bot, false)
  GROUP BY customer_id
),
page_counts AS (
  SELECT customer_id, path, count(*) AS views
  FROM core.fact_page_views
  WHERE customer_id IN (FROM mart_scope) AND path IS NOT NULL
  GROUP BY customer_id, path
),
pages AS (
  SELECT customer_id, list(path ORDER BY views DESC, path)[1:5] AS top_pages
  FROM page_counts GROUP BY customer_id
),
hh AS (
  SELECT customer_id, household_id, count(*) OVER (PARTITION BY household_id) AS household_size
  FROM core.dim_household
),
members AS (
  SELECT me.customer_id,
         list_sort(list(struct_pack(customer_id := other.customer_id, name := c.full_name, role := other.role,
                                    products := coalesce(p.products, [])))) AS household_members,
         list_sort(list_distinct(flatten(list(coalesce(p.products, []))))) AS household_products
  FROM core.dim_household me
  JOIN core.dim_household other ON other.household_id = me.household_id AND other.customer_id <> me.customer_id
  LEFT JOIN core.dim_customer c ON c.customer_id = other.customer_id
  LEFT JOIN prod p ON p.customer_id = other.customer_id
  WHERE me.customer_id IN (FROM mart_scope)
  GROUP BY me.customer_id
),
camp AS (
  SELECT customer_id,
         count(*) FILTER (WHERE NOT is_control) AS campaigns_sent,
         count(*) FILTER (WHERE is_control) AS campaigns_held_out,
         max(sent_at) FILTER (WHERE NOT is_control) AS last_campaign_sent_at,
         arg_max(campaign_name, sent_at) FILTER (WHERE NOT is_control) AS last_campaign_name,
         count(*) FILTER (WHERE NOT is_control AND responded) AS campaigns_responded,
         max(responded_at) FILTER (WHERE NOT is_control) AS last_campaign_response_at,
         min(unsubscribed_at) FILTER (WHERE NOT is_control) AS campaign_unsubscribed_at,
         min(complained_at) FILTER (WHERE NOT is_control) AS campaign_complained_at
  FROM marts.campaign_contacts
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
)
SELECT c.customer_id,
       c.full_name, c.first_name, c.last_name, c.company,
       c.email, c.phone, c.mobile, c.address, c.postcode, c.city,
       {{city_key}} AS city_key, {{city_display}} AS city_display,
       c.country, c.birth_date,
       c.consent_email, c.consent_phone, c.consent_sms,
       coalesce(c.is_closed, false) AS is_closed,
       coalesce(c.is_deceased, false) AS is_deceased,
       coalesce(c.is_deleted, false) AS is_deleted,
       coalesce(s.known_to, []) AS known_to,
       len(coalesce(s.known_to, [])) AS system_count,
       to_json(s.systems) AS systems,
       least(s.first_seen_at, c.first_seen_at) AS first_seen_at,
       greatest(s.last_seen_at, c.last_seen_at) AS last_seen_at,
       coalesce(p.products, []) AS products,
       coalesce(p.product_categories, []) AS product_categories,
       coalesce(r.revenue, 0) AS revenue,
       r.currency,
       coalesce(r.revenue_12m, 0) AS revenue_12m,
       coalesce(r.purchases, 0) AS purchases,
       r.first_purchase_at, r.last_purchase_at, r.last_product,
       w.last_web_visit_at,
       coalesce(w.web_sessions, 0) AS web_sessions,
       coalesce(w.page_views, 0) AS page_views,
       coalesce(pg.top_pages, []) AS top_pages,
       coalesce(ct.contacts, 0) AS contacts,
       to_json(ct.contacts_by_channel) AS contacts_by_channel,
       ct.last_contact_at,
       coalesce(ct.complaints, 0) AS complaints,
       coalesce(ct.complaints_recent, 0) AS complaints_recent,
       coalesce(ct.open_complaints, 0) AS open_complaints,
       coalesce(ct.open_tickets, 0) AS open_tickets,
       ct.last_complaint_at,
       coalesce(hh.household_id, c.household_id) AS household_id,
       coalesce(hh.household_size, 1) AS household_size,
       to_json(coalesce(m.household_members, [])) AS household_members,
       coalesce(m.household_products, []) AS household_products,
       coalesce(cp.campaigns_sent, 0) AS campaigns_sent,
       coalesce(cp.campaigns_held_out, 0) AS campaigns_held_out,
       cp.last_campaign_sent_at, cp.last_campaign_name,
       coalesce(cp.campaigns_responded, 0) AS campaigns_responded,
       cp.last_campaign_response_at,
       cp.campaign_unsubscribed_at IS NOT NULL AS unsubscribed_after_campaign,
       cp.campaign_unsubscribed_at,
       cp.campaign_complained_at IS NOT NULL AS complained_after_campaign,
       cp.campaign_complained_at
FROM core.dim_customer c
LEFT JOIN sys s USING (customer_id)
LEFT JOIN prod p USING (customer_id)
LEFT JOIN marts.customer_revenue r USING (customer_id)
LEFT JOIN web w USING (customer_id)
LEFT JOIN pages pg USING (customer_id)
LEFT JOIN marts.customer_contacts ct USING (customer_id)
LEFT JOIN hh USING (customer_id)
LEFT JOIN members m USING (customer_id)
LEFT JOIN camp cp USING (customer_id)
WHERE c.customer_id IN (FROM mart_scope);
