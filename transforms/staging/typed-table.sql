-- One canonical, typed row per live source record: the latest version of each key (by cursor,
-- then load order), keys whose last event is a tombstone left out. Rows that cannot be typed
-- stay here with `_rejected`; their reasons are in `_issues`. Only raw rows that pass the row
-- filter are read: all of them on a full restage, else every version of the keys that changed.
-- The version window runs only over keys with more than one version (most have one), and a
-- sort key that is also a typed field (a text cursor mapped as a timestamp) is parsed once.
CREATE OR REPLACE TABLE {{typed_table}} AS
WITH keyed AS (
  SELECT rowid AS _rid, {{key_sql}} AS _key, {{tombstone_sql}} AS _del, _loaded_at AS _la, _load_id AS _lid{{sort_columns}}
  FROM {{raw_table}}
  WHERE {{row_filter}}
),
tombs AS (
  SELECT _key, max(_la) AS _deleted_at FROM keyed WHERE _del AND _key IS NOT NULL GROUP BY _key
),
versioned AS (
  SELECT _key FROM keyed WHERE NOT _del AND _key IS NOT NULL GROUP BY _key HAVING count(*) > 1
),
latest AS (
  SELECT _rid, _key, _la AS _last_seen{{sort_carry}}
  FROM keyed
  WHERE NOT _del AND (_key IS NULL OR _key NOT IN (SELECT _key FROM versioned))
  UNION ALL BY NAME
  SELECT _rid, _key, max(_la) OVER (PARTITION BY _key) AS _last_seen{{sort_carry}}
  FROM keyed
  WHERE NOT _del AND _key IN (SELECT _key FROM versioned)
  QUALIFY row_number() OVER (PARTITION BY _key ORDER BY {{sort_order}}_la DESC, _lid DESC, _rid DESC) = 1
),
live AS (
  SELECT l._rid AS __cdw_rid{{live_carry}} FROM latest l LEFT JOIN tombs t ON t._key = l._key
  WHERE t._deleted_at IS NULL OR t._deleted_at < l._last_seen
),
input AS (
  SELECT r.rowid AS _rid, r._load_id, r._loaded_at{{input_carry}}, {{input_columns}}
  FROM {{raw_table}} AS r JOIN live ON live.__cdw_rid = r.rowid
),
typed AS (
  SELECT _rid, _load_id, _loaded_at, {{typed_columns}}
  FROM input
),
checked AS (
  SELECT _rid, _load_id, _loaded_at, {{final_columns}},
         list_filter([{{issue_items}}], lambda i: i IS NOT NULL) AS _issues
  FROM typed
)
SELECT *, len(list_filter(_issues, lambda i: i.fatal)) > 0 AS _rejected
FROM checked
