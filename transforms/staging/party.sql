-- Standardised party rows of one source table, appended to staging.party_records__next.
INSERT INTO {{target}} BY NAME
WITH t AS (
  SELECT * FROM {{typed_table}} WHERE NOT _rejected
),
addr AS (
  SELECT t.*, cdw_std_address(address, postcode, city, country, $default_country) AS _addr FROM t
),
std AS (
  SELECT addr.*,
         cdw_std_name(full_name, title, first_name, middle_name, last_name, coalesce(_addr.country_code, $default_country)) AS _name,
         cdw_std_email(email) AS _email,
         cdw_std_phone(phone, coalesce(_addr.country_code, $default_country)) AS _phone,
         cdw_std_phone(mobile, coalesce(_addr.country_code, $default_country)) AS _mobile
  FROM addr
)
SELECT
  $source || '.' || $source_table || ':' || record_key AS party_uid,
  $source AS source,
  $source_table AS source_table,
  record_key,
  $system AS system,
  coalesce(title, _name.title) AS title,
  coalesce(first_name, _name."first") AS first_name,
  coalesce(middle_name, _name.middle) AS middle_name,
  coalesce(last_name, _name."last") AS last_name,
  full_name, company, email, phone, mobile, address, postcode, city, country, gender,
  loyalty_card, web_user_id, external_ref, external_ref_source, status,
  birth_date, consent_email, consent_phone, consent_sms, created_at, updated_at,
  _name.first_key AS first_key,
  _name.middle_key AS middle_key,
  _name.last_key AS last_key,
  _name.given_key AS given_key,
  _name.swapped AS name_swapped,
  _email.norm AS email_norm,
  _email."key" AS email_key,
  _email.valid AS email_valid,
  _email.is_free AS email_is_free,
  _email.is_role AS email_is_role,
  _phone.e164 AS phone_e164,
  _mobile.e164 AS mobile_e164,
  _phone."type" AS phone_type,
  _phone.valid AS phone_valid,
  _mobile."type" AS mobile_type,
  _mobile.valid AS mobile_valid,
  _addr.line AS address_norm,
  _addr.postcode AS postcode_norm,
  _addr.city AS city_norm,
  _addr.country_code AS country_code,
  _addr."key" AS address_key,
  NULLIF(trim(regexp_replace(lower(cdw_translit(company)), '[^a-z0-9]+', ' ', 'g')), '') AS company_key,
  CASE WHEN regexp_matches(lower(gender), '^\s*(m|male|man|м|муж|мужской|мужчина)\s*$') THEN 'm'
       WHEN regexp_matches(lower(gender), '^\s*(f|female|woman|ж|жен|женский|женщина)\s*$') THEN 'f' END AS gender_code,
  coalesce(regexp_matches(lower(status), 'clos|inactiv|terminat|cancel|delet|deceas|dead|died|закрыт|расторг|неактив|удал|умер|сконча'), false) AS is_closed,
  coalesce(regexp_matches(lower(status), 'deceas|dead|died|умер|сконча'), false) AS is_deceased,
  _load_id,
  _loaded_at
FROM std
