-- Standardised interactions of one source table, appended to the step's table of changed interactions (staging._interactions__changed, models.ts).
INSERT INTO {{target}} BY NAME
WITH t AS (
  -- party_table names `source.table`; a bare table name is in this source; none means the
  -- source's only party table ($default_party_table, NULL when it has none or several).
  SELECT *,
         CASE WHEN party_table IS NULL THEN CAST($default_party_table AS VARCHAR)
              WHEN contains(party_table, '.') THEN party_table
              ELSE $source || '.' || party_table END AS _party_table,
         -- the contact's name, keyed as party names are (only rows that give one pay for it)
         CASE WHEN coalesce(full_name, first_name, last_name) IS NOT NULL
              THEN cdw_std_name(full_name, NULL, first_name, NULL, last_name, $default_country) END AS _name
  FROM {{typed_table}} WHERE NOT _rejected
)
SELECT
  $source || '.' || $source_table || ':' || record_key AS interaction_uid,
  $source AS source,
  $source_table AS source_table,
  record_key,
  CASE WHEN party_key IS NOT NULL AND _party_table IS NOT NULL THEN _party_table || ':' || party_key END AS party_uid,
  party_key,
  _party_table AS party_table,
  CASE WHEN email IS NOT NULL THEN cdw_email_key(email) END AS email_key,
  CASE WHEN phone IS NOT NULL THEN cdw_phone_e164(phone, $default_country) END AS phone_e164,
  _name.first_key AS contact_first_key,
  _name.given_key AS contact_given_key,
  _name.last_key AS contact_last_key,
  lower(channel) AS channel,
  CASE WHEN regexp_matches(lower(direction), '^(in|inbound|incoming|i|вход|входящий|входящая|входящее)$') THEN 'inbound'
       WHEN regexp_matches(lower(direction), '^(out|outbound|outgoing|o|исход|исходящий|исходящая|исходящее)$') THEN 'outbound'
       ELSE lower(direction) END AS direction,
  queue, category, is_complaint, is_abandoned, duration_s, status, opened_at, resolved_at, updated_at,
  _load_id,
  _loaded_at
FROM t
