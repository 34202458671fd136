-- The party inputs of one source table's rows (not rejected) that meta.party_std_cache has no
-- entry for from this code (`$std_version`): new inputs, and inputs standardised by an older
-- version (re-standardised as they are read). One row per key; the key is party-std.sql's.
CREATE OR REPLACE TEMP TABLE {{misses}} AS
SELECT _std_key AS k,
       any_value(full_name) AS full_name, any_value(title) AS title, any_value(first_name) AS first_name,
       any_value(middle_name) AS middle_name, any_value(last_name) AS last_name, any_value(email) AS email,
       any_value(phone) AS phone, any_value(mobile) AS mobile, any_value(address) AS address,
       any_value(postcode) AS postcode, any_value(city) AS city, any_value(country) AS country,
       $default_country::VARCHAR AS default_country, any_value(phone_country) AS phone_country
FROM (
  SELECT *,
         md5(json_array(full_name, title, first_name, middle_name, last_name, email, phone, mobile,
                        address, postcode, city, country, $default_country::VARCHAR, phone_country)) AS _std_key
  FROM {{typed_table}} WHERE NOT _rejected
) t
WHERE NOT EXISTS (SELECT 1 FROM meta.party_std_cache m WHERE m.k = t._std_key AND m.version = $std_version)
GROUP BY _std_key
