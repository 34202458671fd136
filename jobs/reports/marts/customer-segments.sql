-- Segmentation attributes per current (not deleted) customer, as of $1. Segment rules in the
-- config are SQL conditions over these columns. Definitions (also in jobs/reports/CONTEXT.md):
--   lifecycle_stage: prospect (never bought) | new (first purchase within 90 days) |
--     won_back (bought within 180 days after a gap of more than a year, return within a year) |
--     active (bought within 180 days) | at_risk (180–365 days) | lapsed (over 365 days)
--   r/f/m_score: 1–5 by cume_dist among buyers (ties share a score); 0 for prospects
--   clv_projected: next 3 years = yearly revenue × (p + p² + p³), p a yearly retention per stage
--   value_tier: top 10% / high next 20% / medium next 30% / low rest of buyers by revenue; none
--   monetary ranks (m_score, value_tier) are within the customer's currency: RUB and USD do not mix
CREATE OR REPLACE TABLE marts.customer_segments AS
WITH params AS (
  SELECT $1::TIMESTAMPTZ AS as_of, epoch($1::TIMESTAMPTZ) AS as_of_s,
         $1::TIMESTAMPTZ - INTERVAL 90 DAY AS d90, $1::TIMESTAMPTZ - INTERVAL 180 DAY AS d180, $1::TIMESTAMPTZ - INTERVAL 365 DAY AS d365
),
first_system AS (
  SELECT customer_id, arg_min(system, first_seen) AS first_system
  FROM marts.customer_systems GROUP BY customer_id
),
hh AS (
  SELECT customer_id, household_id, count(*) OVER (PARTITION BY household_id) AS household_size
  FROM core.dim_household
),
base AS (
  SELECT c.customer_id,
         c.country, c.city, {{city_key}} AS city_key, {{city_display}} AS city_display, c.postcode,
         CASE WHEN c.birth_date IS NOT NULL THEN floor(date_diff('day', c.birth_date, p.as_of::DATE) / 365.25)::INTEGER END AS age,
         coalesce(hh.household_id, c.household_id) AS household_id,
         coalesce(hh.household_size, 1) AS household_size,
         x.system_count, x.known_to, x.products,
         nullif(trim(c.email), '') IS NOT NULL AS has_email,
         coalesce(nullif(trim(c.mobile), ''), nullif(trim(c.phone), '')) IS NOT NULL AS has_phone,
         c.consent_email, c.consent_phone, c.consent_sms,
         coalesce(c.is_closed, false) AS is_closed,
         coalesce(c.is_deceased, false) AS is_deceased,
         coalesce(r.purchases, 0) AS frequency,
         coalesce(r.revenue, 0) AS monetary,
         r.currency,
         coalesce(r.revenue_12m, 0) AS revenue_12m,
         coalesce(r.purchases_12m, 0) AS purchases_12m,
         r.first_purchase_at, r.last_purchase_at, r.returned_at,
         floor((p.as_of_s - epoch(r.last_purchase_at)) / 86400)::INTEGER AS recency_days,
         floor((p.as_of_s - epoch(x.first_seen_at)) / 86400)::INTEGER AS tenure_days,
         (p.as_of_s - epoch(r.first_purchase_at)) / 86400 AS buyer_days,
         r.revenue_with_cost, r.cost,
         coalesce(ct.preferred_channel,
                  CASE WHEN nullif(trim(c.email), '') IS NOT NULL AND c.consent_email IS NOT false THEN 'email'
                       WHEN coalesce(nullif(trim(c.mobile), ''), nullif(trim(c.phone), '')) IS NOT NULL AND c.consent_phone IS NOT false THEN 'phone' END)
           AS preferred_channel,
         coalesce(r.first_channel, fs.first_system) AS acquisition_channel,
         coalesce(ct.contacts, 0) AS contacts,
         coalesce(ct.complaints_recent, 0) AS complaints_recent,
         coalesce(ct.open_complaints, 0) AS open_complaints,
         coalesce(ct.open_tickets, 0) AS open_tickets,
         x.last_web_visit_at, x.web_sessions,
         p.d90, p.d180, p.d365
  FROM core.dim_customer c
  CROSS JOIN params p
  JOIN marts.customer_360 x USING (customer_id)
  LEFT JOIN marts.customer_revenue r USING (customer_id)
  LEFT JOIN marts.customer_contacts ct USING (customer_id)
  LEFT JOIN first_system fs USING (customer_id)
  LEFT JOIN hh USING (customer_id)
  WHERE NOT coalesce(c.is_deleted, false)
),
staged AS (
  SELECT *,
         CASE
           WHEN last_purchase_at IS NULL THEN 'prospect'
           WHEN first_purchase_at >= d90 THEN 'new'
           WHEN returned_at >= d365 AND last_purchase_at >= d180 THEN 'won_back'
           WHEN last_purchase_at >= d180 THEN 'active'
           WHEN last_purchase_at >= d365 THEN 'at_risk'
           ELSE 'lapsed'
         END AS lifecycle_stage,
         frequency > 0 AS is_buyer
  FROM base
),
scored AS (
  SELECT *,
         CASE WHEN is_buyer THEN ceil(cume_dist() OVER (PARTITION BY is_buyer ORDER BY last_purchase_at) * 5)::INTEGER ELSE 0 END AS r_score,
         CASE WHEN is_buyer THEN ceil(cume_dist() OVER (PARTITION BY is_buyer ORDER BY frequency) * 5)::INTEGER ELSE 0 END AS f_score,
         CASE WHEN is_buyer THEN ceil(cume_dist() OVER (PARTITION BY is_buyer, currency ORDER BY monetary) * 5)::INTEGER ELSE 0 END AS m_score,
         CASE WHEN is_buyer THEN cume_dist() OVER (PARTITION BY is_buyer, currency ORDER BY monetary DESC) END AS value_rank,
         CASE lifecycle_stage WHEN 'active' THEN 0.8 WHEN 'new' THEN 0.6 WHEN 'won_back' THEN 0.6
                              WHEN 'at_risk' THEN 0.4 WHEN 'lapsed' THEN 0.1 ELSE 0.0 END AS retention,
         monetary / greatest(buyer_days / 365.25, 1.0) AS yearly_revenue
  FROM staged
)
SELECT customer_id,
       country, city, city_key, city_display, postcode, age, household_id, household_size,
       system_count, known_to, products,
       has_email, has_phone, consent_email, consent_phone, consent_sms, is_closed, is_deceased,
       first_purchase_at, last_purchase_at, recency_days, frequency, monetary, currency, revenue_12m, purchases_12m,
       CASE WHEN frequency > 0 THEN monetary / frequency END AS avg_order_value,
       r_score, f_score, m_score,
       r_score::VARCHAR || f_score::VARCHAR || m_score::VARCHAR AS rfm_cell,
       r_score + f_score + m_score AS rfm_score,
       lifecycle_stage,
       tenure_days,
       round(monetary, 2) AS clv_historical,
       round(coalesce(greatest(yearly_revenue, 0), 0) * (retention + retention ^ 2 + retention ^ 3), 2) AS clv_projected,
       round(monetary + coalesce(greatest(yearly_revenue, 0), 0) * (retention + retention ^ 2 + retention ^ 3), 2) AS clv_total,
       CASE WHEN cost IS NOT NULL THEN round(revenue_with_cost - cost, 2) END AS profit,
       CASE WHEN cost IS NOT NULL AND revenue_with_cost <> 0 THEN (revenue_with_cost - cost) / revenue_with_cost END AS margin,
       CASE WHEN cost IS NOT NULL AND monetary <> 0 THEN revenue_with_cost / monetary END AS cost_coverage,
       preferred_channel, acquisition_channel,
       CASE WHEN NOT is_buyer THEN 'none' WHEN value_rank <= 0.1 THEN 'top' WHEN value_rank <= 0.3 THEN 'high'
            WHEN value_rank <= 0.6 THEN 'medium' ELSE 'low' END AS value_tier,
       contacts, complaints_recent, open_complaints, open_tickets,
       last_web_visit_at, web_sessions
FROM scored;
