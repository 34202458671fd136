-- Standardised parts of one source table's party rows (not rejected) → {{std_table}}: taken
-- from meta.party_std_cache when the same inputs were standardised before by the same code
-- (`$std_version`, see party-std-cache.ts), computed by the cdw_std_* functions otherwise (CASE
-- evaluates a function only for the rows that need it). The unit fills the cache first
-- (party-std-fill.ts, worker threads), so the functions run here only for what it missed.
-- The key must stay party-std-misses.sql's.
CREATE OR REPLACE TEMP TABLE {{std_table}} AS
WITH t AS (
  SELECT *,
         md5(json_array(full_name, title, first_name, middle_name, last_name, email, phone, mobile,
                        address, postcode, city, country, $default_country::VARCHAR, phone_country)) AS _std_key
  FROM {{typed_table}} WHERE NOT _rejected
),
c AS (
  SELECT t.*, m.addr AS _c_addr, m.name AS _c_name, m.email AS _c_email, m.phone AS _c_phone, m.mobile AS _c_mobile,
         m.k IS NOT NULL AS _std_cached
  FROM t LEFT JOIN meta.party_std_cache m ON m.k = t._std_key AND m.version = $std_version
),
addr AS (
  SELECT c.* EXCLUDE (_c_addr),
         CASE WHEN _std_cached THEN _c_addr ELSE cdw_std_address(address, postcode, city, country, $default_country) END AS _addr
  FROM c
)
SELECT addr.* EXCLUDE (_c_name, _c_email, _c_phone, _c_mobile),
       CASE WHEN _std_cached THEN _c_name
            ELSE cdw_std_name(full_name, title, first_name, middle_name, last_name, coalesce(_addr.country_code, $default_country)) END AS _name,
       CASE WHEN _std_cached THEN _c_email ELSE cdw_std_email(email) END AS _email,
       CASE WHEN _std_cached THEN _c_phone ELSE cdw_std_phone(phone, coalesce(cdw_country_code(phone_country), _addr.country_code, $default_country)) END AS _phone,
       CASE WHEN _std_cached THEN _c_mobile ELSE cdw_std_phone(mobile, coalesce(cdw_country_code(phone_country), _addr.country_code, $default_country)) END AS _mobile
FROM addr
