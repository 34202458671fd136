-- Stable, documented views for analysts and BI tools. Recreated by every profiles run.

CREATE OR REPLACE VIEW public.customers AS
SELECT customer_id, title, first_name, middle_name, last_name, full_name, company, email, phone, mobile,
       address, postcode, city, country, birth_date, gender, loyalty_card, web_user_id,
       consent_email, consent_phone, consent_sms, is_closed, is_deceased, is_deleted, household_id,
       source_count, record_count, systems, sources, first_seen_at, last_seen_at, valid_from AS profile_since
FROM core.dim_customer;

COMMENT ON VIEW public.customers IS 'One row per customer: the golden record (best value of every attribute across all systems). Deleted customers stay, marked is_deleted.';
COMMENT ON COLUMN public.customers.customer_id IS 'Persistent customer id; an id retired by a merge resolves through public.customer_id_map.';
COMMENT ON COLUMN public.customers.title IS 'Title (Mr, Mrs, Dr, ...), from the record that gave the name.';
COMMENT ON COLUMN public.customers.first_name IS 'Given name (survivorship rule of the name group).';
COMMENT ON COLUMN public.customers.middle_name IS 'Middle name or patronymic.';
COMMENT ON COLUMN public.customers.last_name IS 'Family name.';
COMMENT ON COLUMN public.customers.full_name IS 'Whole name as given, or first/middle/last joined.';
COMMENT ON COLUMN public.customers.company IS 'Organisation (business customers or employer).';
COMMENT ON COLUMN public.customers.email IS 'E-mail address, lowercased.';
COMMENT ON COLUMN public.customers.phone IS 'Main phone, E.164 when it could be parsed.';
COMMENT ON COLUMN public.customers.mobile IS 'Mobile phone, E.164 when it could be parsed.';
COMMENT ON COLUMN public.customers.address IS 'Street address; address, postcode, city and country always come from one record.';
COMMENT ON COLUMN public.customers.postcode IS 'Postal code.';
COMMENT ON COLUMN public.customers.city IS 'City or town.';
COMMENT ON COLUMN public.customers.country IS 'Country, ISO-2 code when recognised.';
COMMENT ON COLUMN public.customers.birth_date IS 'Date of birth.';
COMMENT ON COLUMN public.customers.gender IS 'Gender as given by the source.';
COMMENT ON COLUMN public.customers.loyalty_card IS 'Loyalty card number.';
COMMENT ON COLUMN public.customers.web_user_id IS 'Logged-in user id on the web site.';
COMMENT ON COLUMN public.customers.consent_email IS 'Agreed to e-mail marketing (latest statement of any system).';
COMMENT ON COLUMN public.customers.consent_phone IS 'Agreed to phone marketing (latest statement of any system).';
COMMENT ON COLUMN public.customers.consent_sms IS 'Agreed to SMS marketing (latest statement of any system).';
COMMENT ON COLUMN public.customers.is_closed IS 'Every account of the customer is closed.';
COMMENT ON COLUMN public.customers.is_deceased IS 'Some system records the customer as deceased.';
COMMENT ON COLUMN public.customers.is_deleted IS 'No system has the customer any more; the profile and its history are kept.';
COMMENT ON COLUMN public.customers.household_id IS 'Household (customers sharing an address), see public.households.';
COMMENT ON COLUMN public.customers.source_count IS 'How many sources hold a record of the customer.';
COMMENT ON COLUMN public.customers.record_count IS 'How many source records describe the customer.';
COMMENT ON COLUMN public.customers.systems IS 'Systems (departments) that know the customer.';
COMMENT ON COLUMN public.customers.sources IS 'Configured sources that hold the customer.';
COMMENT ON COLUMN public.customers.first_seen_at IS 'Earliest creation time of any of the customer''s records.';
COMMENT ON COLUMN public.customers.last_seen_at IS 'Latest change time of any of the customer''s records.';
COMMENT ON COLUMN public.customers.profile_since IS 'Since when the profile has had its current values.';

CREATE OR REPLACE VIEW public.customer_history AS
SELECT coalesce(m.customer_id, h.customer_id) AS customer_id, h.customer_id AS recorded_customer_id,
       h.title, h.first_name, h.middle_name, h.last_name, h.full_name, h.company, h.email, h.phone, h.mobile,
       h.address, h.postcode, h.city, h.country, h.birth_date, h.gender, h.loyalty_card, h.web_user_id,
       h.consent_email, h.consent_phone, h.consent_sms, h.is_closed, h.is_deceased, h.household_id,
       h.valid_from, h.valid_to, h.is_current, h.is_deleted, h.change_reason, h.changed_attributes,
       h.changed_by, h.merged_into, h.run_id, h.recorded_at
FROM core.dim_customer_history h
LEFT JOIN core.customer_id_map m ON m.old_id = h.customer_id;

COMMENT ON VIEW public.customer_history IS 'Every version of every customer profile (SCD type 2). A version is valid from valid_from (inclusive) to valid_to (exclusive). Versions of ids retired by a merge appear under the surviving customer_id.';
COMMENT ON COLUMN public.customer_history.customer_id IS 'Current id of the customer (the surviving id after merges).';
COMMENT ON COLUMN public.customer_history.recorded_customer_id IS 'Id the version was recorded under; differs from customer_id for ids later merged.';
COMMENT ON COLUMN public.customer_history.valid_from IS 'Start of validity: the source''s change time when known, else the run time.';
COMMENT ON COLUMN public.customer_history.valid_to IS 'End of validity (exclusive); 9999-12-31 for the current version.';
COMMENT ON COLUMN public.customer_history.is_current IS 'The current version of this recorded id.';
COMMENT ON COLUMN public.customer_history.is_deleted IS 'From this version on no system has the customer.';
COMMENT ON COLUMN public.customer_history.change_reason IS 'new, change, late_change (placed in the past when it arrived late), deleted or restored.';
COMMENT ON COLUMN public.customer_history.changed_attributes IS 'Attribute groups that differ from the previous version (name, address, email, ...).';
COMMENT ON COLUMN public.customer_history.changed_by IS 'source.table of the newest record behind the change.';
COMMENT ON COLUMN public.customer_history.merged_into IS 'Set on the last version of an id merged into another customer.';
COMMENT ON COLUMN public.customer_history.run_id IS 'Run that wrote (or last corrected) the version.';
COMMENT ON COLUMN public.customer_history.recorded_at IS 'When cdw wrote the version.';
COMMENT ON COLUMN public.customer_history.household_id IS 'Household when the version opened.';
COMMENT ON COLUMN public.customer_history.full_name IS 'Name in this version.';
COMMENT ON COLUMN public.customer_history.last_name IS 'Family name in this version.';
COMMENT ON COLUMN public.customer_history.address IS 'Street address in this version.';
COMMENT ON COLUMN public.customer_history.city IS 'City in this version.';
COMMENT ON COLUMN public.customer_history.email IS 'E-mail in this version.';
COMMENT ON COLUMN public.customer_history.phone IS 'Main phone in this version.';

CREATE OR REPLACE MACRO public.customer_as_of(d) AS TABLE
SELECT coalesce(m.customer_id, h.customer_id) AS current_customer_id, h.* EXCLUDE (row_hash)
FROM core.dim_customer_history h
LEFT JOIN core.customer_id_map m ON m.old_id = h.customer_id
WHERE h.valid_from < CAST(CAST(d AS DATE) + 1 AS TIMESTAMPTZ)
  AND h.valid_to >= CAST(CAST(d AS DATE) + 1 AS TIMESTAMPTZ);

COMMENT ON MACRO TABLE public.customer_as_of IS 'Profiles as they stood at the end of day d: one row per customer id that existed then (customer_id as recorded then, current_customer_id after later merges).';

CREATE OR REPLACE MACRO public.customer_at(ts) AS TABLE
SELECT coalesce(m.customer_id, h.customer_id) AS current_customer_id, h.* EXCLUDE (row_hash)
FROM core.dim_customer_history h
LEFT JOIN core.customer_id_map m ON m.old_id = h.customer_id
WHERE h.valid_from <= CAST(ts AS TIMESTAMPTZ) AND h.valid_to > CAST(ts AS TIMESTAMPTZ);

COMMENT ON MACRO TABLE public.customer_at IS 'Profiles as they stood at instant ts.';

CREATE OR REPLACE VIEW public.transactions AS SELECT * FROM core.fact_transactions;
COMMENT ON VIEW public.transactions IS 'Invoices, payments, orders and till sales of every system, joined to the customer.';
COMMENT ON COLUMN public.transactions.txn_uid IS 'Unique key: source.table:record_key.';
COMMENT ON COLUMN public.transactions.customer_id IS 'Customer, or NULL when the transaction names no single known customer.';
COMMENT ON COLUMN public.transactions.source IS 'Source the transaction came from.';
COMMENT ON COLUMN public.transactions.source_table IS 'Table of the source.';
COMMENT ON COLUMN public.transactions.record_key IS 'Key in the source table.';
COMMENT ON COLUMN public.transactions.kind IS 'invoice, payment, order, order_line, sale, refund, ...';
COMMENT ON COLUMN public.transactions.amount IS 'Amount in the transaction currency (negative for refunds).';
COMMENT ON COLUMN public.transactions.cost IS 'Cost of goods or services, for profitability.';
COMMENT ON COLUMN public.transactions.currency IS 'ISO currency code.';
COMMENT ON COLUMN public.transactions.quantity IS 'Quantity.';
COMMENT ON COLUMN public.transactions.product IS 'Product or service.';
COMMENT ON COLUMN public.transactions.product_category IS 'Product line or category.';
COMMENT ON COLUMN public.transactions.channel IS 'Sales channel (store, web, phone, ...).';
COMMENT ON COLUMN public.transactions.store IS 'Store, till or branch.';
COMMENT ON COLUMN public.transactions.status IS 'Paid, open, cancelled, ...';
COMMENT ON COLUMN public.transactions.occurred_at IS 'When it happened.';
COMMENT ON COLUMN public.transactions.resolved_by IS 'How the customer was found: party_key, card, email, phone; NULL when unresolved.';

CREATE OR REPLACE VIEW public.interactions AS SELECT * FROM core.fact_interactions;
COMMENT ON VIEW public.interactions IS 'Calls, e-mails, chats, tickets and visits of the contact centre, joined to the customer.';
COMMENT ON COLUMN public.interactions.interaction_uid IS 'Unique key: source.table:record_key.';
COMMENT ON COLUMN public.interactions.customer_id IS 'Customer, or NULL when no single known customer matches.';
COMMENT ON COLUMN public.interactions.source IS 'Source the interaction came from.';
COMMENT ON COLUMN public.interactions.source_table IS 'Table of the source.';
COMMENT ON COLUMN public.interactions.record_key IS 'Key in the source table.';
COMMENT ON COLUMN public.interactions.channel IS 'phone, email, chat, ticket, visit, ...';
COMMENT ON COLUMN public.interactions.direction IS 'inbound or outbound.';
COMMENT ON COLUMN public.interactions.queue IS 'Queue, team or line.';
COMMENT ON COLUMN public.interactions.category IS 'Reason or category.';
COMMENT ON COLUMN public.interactions.is_complaint IS 'A complaint.';
COMMENT ON COLUMN public.interactions.is_abandoned IS 'The caller hung up before an answer.';
COMMENT ON COLUMN public.interactions.duration_s IS 'Duration in seconds.';
COMMENT ON COLUMN public.interactions.status IS 'open, resolved, closed, ...';
COMMENT ON COLUMN public.interactions.opened_at IS 'When it started or was opened.';
COMMENT ON COLUMN public.interactions.resolved_at IS 'When it was resolved.';
COMMENT ON COLUMN public.interactions.resolved_by IS 'How the customer was found: party_key, email, phone; NULL when unresolved.';

CREATE OR REPLACE VIEW public.web_sessions AS SELECT * FROM core.fact_web_sessions;
COMMENT ON VIEW public.web_sessions IS 'Visits to the web site (hits of one cookie without a long pause), joined to the customer.';
COMMENT ON COLUMN public.web_sessions.session_id IS 'Session key.';
COMMENT ON COLUMN public.web_sessions.customer_id IS 'Customer, or NULL for anonymous visits.';
COMMENT ON COLUMN public.web_sessions.cookie_id IS 'Visitor cookie.';
COMMENT ON COLUMN public.web_sessions.user_id IS 'Logged-in user id seen in the session or linked to the cookie.';
COMMENT ON COLUMN public.web_sessions.started_at IS 'First hit.';
COMMENT ON COLUMN public.web_sessions.ended_at IS 'Last hit.';
COMMENT ON COLUMN public.web_sessions.hits IS 'Requests in the session.';
COMMENT ON COLUMN public.web_sessions.page_views IS 'Pages (not static files) viewed.';
COMMENT ON COLUMN public.web_sessions.landing_path IS 'First page of the visit.';
COMMENT ON COLUMN public.web_sessions.is_bot IS 'The visitor is a robot (user agent).';
COMMENT ON COLUMN public.web_sessions.resolved_by IS 'user_id (logged in during the visit) or cookie (cookie linked to a login); NULL when anonymous.';

CREATE OR REPLACE VIEW public.page_views AS SELECT * FROM core.fact_page_views;
COMMENT ON VIEW public.page_views IS 'Pages viewed on the web site (static files left out), joined to the customer: what did they look at.';
COMMENT ON COLUMN public.page_views.hit_uid IS 'Unique key of the request.';
COMMENT ON COLUMN public.page_views.session_id IS 'Visit the page view belongs to.';
COMMENT ON COLUMN public.page_views.customer_id IS 'Customer, or NULL for anonymous visitors.';
COMMENT ON COLUMN public.page_views.occurred_at IS 'Request time.';
COMMENT ON COLUMN public.page_views.path IS 'Path without the query string.';
COMMENT ON COLUMN public.page_views.url IS 'Requested path and query.';
COMMENT ON COLUMN public.page_views.status IS 'HTTP status.';
COMMENT ON COLUMN public.page_views.referrer IS 'Referring page.';
COMMENT ON COLUMN public.page_views.is_bot IS 'Requested by a robot.';
COMMENT ON COLUMN public.page_views.resolved_by IS 'How the customer was found (from the session, or user_id on the hit).';
