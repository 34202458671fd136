-- One canonical, typed row per live source record: the latest version of each key (by cursor,
-- then load order), keys whose last event is a tombstone left out. Rows that cannot be typed
-- stay here with `_rejected`; their reasons are in `_issues`. Only raw rows that pass the row
-- filter are read: all of them on a full restage, else every version of the keys that changed.
CREATE OR REPLACE TABLE {{typed_table}} AS
WITH keyed AS (
  SELECT rowid AS _rid, {{key_sql}} AS _key, {{tombstone_sql}} AS _del, _loaded_at AS _la, _load_id AS _lid{{sort_columns}}
  FROM {{raw_table}}
  WHERE {{row_filter}}
),
tombs AS (
  SELECT _key, max(_la) AS _deleted_at FROM keyed WHERE _del AND _key IS NOT NULL GROUP BY _key
),
latest AS (
  SELECT _rid, _key, max(_la) OVER (PARTITION BY _key) AS _last_seen
  FROM keyed
  WHERE NOT _del
  QUALIFY _key IS NULL OR row_number() OVER (PARTITION BY _key ORDER BY {{sort_order}}_la DESC, _lid DESC, _rid DESC) = 1
),
live AS (
  SELECT l._rid FROM latest l LEFT JOIN tombs t ON t._key = l._key
  WHERE t._deleted_at IS NULL OR t._deleted_at < l._last_seen
),
input AS (
  SELECT rowid AS _rid, _load_id, _loaded_at, {{input_columns}}
  FROM {{raw_table}}
  WHERE rowid IN (SELECT _rid FROM live)
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
