-- Events whose party reference names no record in staging.party_records.
SELECT count(*) AS failed
FROM {{table}} AS e
WHERE {{filter}} AND e.{{column}} IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM staging.party_records AS p WHERE p.party_uid = e.{{column}})
