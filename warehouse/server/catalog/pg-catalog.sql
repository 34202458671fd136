-- The PostgreSQL catalog as cdw shows it, built over DuckDB's own catalog functions.
-- Installed once per server into the in-memory database `cdwpg` (schemas `pg` for pg_catalog,
-- `info` for information_schema). Client queries reach these through the rewriter, which turns
-- `pg_catalog.pg_class` into `cdwpg.pg.pg_class(vis, db, usr, adm)`:
--   vis  the DuckDB schemas the session may see (NULL = all), db the database name the client
--   connected to, usr the user name, adm whether the user is an admin.
-- DuckDB's `main` schema is shown as `public` (merged into it when both exist).
-- The tables cdwpg.pg.types and cdwpg.pg.type_map are filled from warehouse/server/pg-types.ts.

CREATE MACRO cdwpg.pg.cdw_visible(vis, s) AS (vis IS NULL OR list_contains(vis, s));
-- current_setting(name) with a computed name: the session's settings only, never DuckDB's.
CREATE MACRO cdwpg.pg.cdw_current_setting(n, names, vals) AS (list_extract(vals, list_position(names, lower(n))));
CREATE MACRO cdwpg.pg.quote_ident(x) AS CASE WHEN regexp_matches(x, '^[a-z_][a-z0-9_$]*$') THEN x ELSE '"' || replace(x, '"', '""') || '"' END;
CREATE MACRO cdwpg.pg.cdw_schema_name(s) AS (CASE WHEN s = 'main' THEN 'public' ELSE s END);

CREATE MACRO cdwpg.pg.cdw_namespaces(vis) AS TABLE
  WITH s AS (
    SELECT oid, schema_name, comment FROM duckdb_schemas()
    WHERE database_name = current_database() AND cdwpg.pg.cdw_visible(vis, schema_name)
  )
  SELECT oid::BIGINT AS oid, cdwpg.pg.cdw_schema_name(schema_name) AS nspname, schema_name AS duck_schema, comment
  FROM s
  WHERE NOT (schema_name = 'main' AND EXISTS (SELECT 1 FROM s WHERE schema_name = 'public'))
  UNION ALL SELECT 11, 'pg_catalog', NULL, 'system catalog'
  UNION ALL SELECT 13000, 'information_schema', NULL, NULL;

-- Tables and views the session may see, with the namespace they are shown in.
CREATE MACRO cdwpg.pg.cdw_rels(vis) AS TABLE
  WITH r AS (
    SELECT table_oid::BIGINT AS oid, schema_name, table_name AS relname, 'r' AS relkind, comment,
           estimated_size::DOUBLE AS reltuples, column_count::INTEGER AS relnatts, has_primary_key AS relhasindex, NULL::VARCHAR AS definition
    FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal AND NOT temporary
    UNION ALL
    SELECT view_oid::BIGINT, schema_name, view_name, 'v', comment, -1, column_count::INTEGER, false, sql
    FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary
  ),
  n AS (SELECT * FROM cdwpg.pg.cdw_namespaces(vis)),
  pub AS (SELECT oid FROM n WHERE nspname = 'public'),
  shadowed AS (SELECT relname FROM r WHERE schema_name = 'public')
  SELECT r.*, coalesce(n.oid, pub.oid) AS relnamespace, cdwpg.pg.cdw_schema_name(r.schema_name) AS nspname
  FROM r LEFT JOIN n ON n.duck_schema = r.schema_name
         CROSS JOIN pub
         LEFT JOIN shadowed sh ON r.schema_name = 'main' AND sh.relname = r.relname
  WHERE cdwpg.pg.cdw_visible(vis, r.schema_name) AND sh.relname IS NULL;

CREATE MACRO cdwpg.pg.cdw_constraints(vis) AS TABLE
  SELECT c.*, r.oid AS relid, r.nspname, r.relnamespace,
         CASE c.constraint_type WHEN 'PRIMARY KEY' THEN 'p' WHEN 'UNIQUE' THEN 'u' WHEN 'FOREIGN KEY' THEN 'f' WHEN 'CHECK' THEN 'c' END AS contype,
         1500000000 + r.oid * 64 + c.constraint_index::BIGINT AS conoid,
         1000000000 + r.oid * 64 + c.constraint_index::BIGINT AS indexoid,
         list_transform(c.constraint_column_indexes, i -> (i + 1)::SMALLINT) AS conkey
  FROM duckdb_constraints() c JOIN cdwpg.pg.cdw_rels(vis) r ON r.oid = c.table_oid
  WHERE c.database_name = current_database() AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY', 'CHECK');

CREATE MACRO cdwpg.pg.cdw_col_type_oid(dt) AS (
  CASE WHEN regexp_matches(dt, '\[\d*\]$')
       THEN coalesce((SELECT t.arrayoid FROM cdwpg.pg.type_map m JOIN cdwpg.pg.types t ON t.oid = m.oid
                      WHERE m.duck = regexp_replace(regexp_replace(dt, '\[\d*\]$', ''), '\(.*$', '')), 1009)
       ELSE coalesce((SELECT m.oid FROM cdwpg.pg.type_map m WHERE m.duck = regexp_replace(dt, '\(.*$', '')), 25) END);

CREATE MACRO cdwpg.pg.cdw_all_types() AS TABLE
  SELECT oid, name, sqlname, len, arrayoid, category, 0::BIGINT AS elem FROM cdwpg.pg.types
  UNION ALL
  SELECT arrayoid, '_' || name, sqlname || '[]', -1, 0, 'A', oid FROM cdwpg.pg.types WHERE arrayoid <> 0;

-- User-defined types: DuckDB's ENUMs in the schemas the session may see (OIDs are DuckDB's,
-- which share one counter with relations and schemas, as in PostgreSQL).
CREATE MACRO cdwpg.pg.cdw_enums(vis) AS TABLE
  WITH n AS (SELECT * FROM cdwpg.pg.cdw_namespaces(vis))
  SELECT t.type_oid::BIGINT AS oid, t.type_name AS typname,
         coalesce(n.oid, (SELECT oid FROM n WHERE nspname = 'public')) AS typnamespace,
         cdwpg.pg.cdw_schema_name(t.schema_name) AS nspname, t.labels, t.comment
  FROM duckdb_types() t LEFT JOIN n ON n.duck_schema = t.schema_name
  WHERE t.database_name = current_database() AND t.logical_type = 'ENUM' AND NOT t.internal
    AND cdwpg.pg.cdw_visible(vis, t.schema_name);

CREATE MACRO cdwpg.pg.format_type(typ, typmod, vis) AS coalesce((
  SELECT CASE
    WHEN cdw_ft.elem <> 0 THEN cdw_ft.sqlname
    WHEN cdw_ft.name = 'numeric' AND typmod IS NOT NULL AND typmod >= 4 THEN 'numeric(' || ((typmod - 4) >> 16) || ',' || ((typmod - 4) & 65535) || ')'
    WHEN cdw_ft.name IN ('varchar', 'bpchar') AND typmod IS NOT NULL AND typmod >= 4 THEN cdw_ft.sqlname || '(' || (typmod - 4) || ')'
    ELSE cdw_ft.sqlname END
  FROM cdwpg.pg.cdw_all_types() cdw_ft WHERE cdw_ft.oid = typ),
  (SELECT CASE WHEN cdw_fe.nspname = 'public' THEN cdwpg.pg.quote_ident(cdw_fe.typname)
               ELSE cdwpg.pg.quote_ident(cdw_fe.nspname) || '.' || cdwpg.pg.quote_ident(cdw_fe.typname) END
   FROM cdwpg.pg.cdw_enums(vis) cdw_fe WHERE cdw_fe.oid = typ),
  CASE WHEN typ IS NULL THEN NULL ELSE '???' END);

CREATE MACRO cdwpg.pg.pg_namespace(vis, db, usr, adm) AS TABLE
  SELECT oid, nspname, 10::BIGINT AS nspowner, NULL::VARCHAR[] AS nspacl FROM cdwpg.pg.cdw_namespaces(vis);

CREATE MACRO cdwpg.pg.pg_class(vis, db, usr, adm) AS TABLE
  SELECT oid, relname, relnamespace, 0::BIGINT AS reltype, 0::BIGINT AS reloftype, 10::BIGINT AS relowner,
         CASE relkind WHEN 'r' THEN 2 ELSE 0 END::BIGINT AS relam, oid AS relfilenode, 0::BIGINT AS reltablespace,
         0 AS relpages, reltuples::REAL AS reltuples, 0 AS relallvisible, 0::BIGINT AS reltoastrelid, relhasindex,
         false AS relisshared, 'p' AS relpersistence, relkind, relnatts::SMALLINT AS relnatts, 0::SMALLINT AS relchecks,
         relkind = 'v' AS relhasrules, false AS relhastriggers, false AS relhassubclass, false AS relrowsecurity,
         false AS relforcerowsecurity, true AS relispopulated, 'd' AS relreplident, false AS relispartition,
         0::BIGINT AS relrewrite, 0::BIGINT AS relfrozenxid, 0::BIGINT AS relminmxid, NULL::VARCHAR[] AS relacl,
         NULL::VARCHAR[] AS reloptions, NULL::VARCHAR AS relpartbound
  FROM cdwpg.pg.cdw_rels(vis)
  UNION ALL
  SELECT indexoid, constraint_name, relnamespace, 0, 0, 10, 403, indexoid, 0,
         0, 0, 0, 0, false, false, 'p', 'i', len(conkey)::SMALLINT, 0, false, false, false, false, false, true, 'n', false,
         0, 0, 0, NULL, NULL, NULL
  FROM cdwpg.pg.cdw_constraints(vis) WHERE contype = 'p';

CREATE MACRO cdwpg.pg.pg_attribute(vis, db, usr, adm) AS TABLE
  SELECT r.oid AS attrelid, c.column_name AS attname, cdwpg.pg.cdw_col_type_oid(c.data_type) AS atttypid, -1 AS attstattarget,
         coalesce((SELECT t.len FROM cdwpg.pg.cdw_all_types() t WHERE t.oid = cdwpg.pg.cdw_col_type_oid(c.data_type)), -1)::SMALLINT AS attlen,
         c.column_index::SMALLINT AS attnum, 0 AS attndims, -1 AS attcacheoff,
         CASE WHEN c.data_type LIKE 'DECIMAL(%' THEN ((c.numeric_precision << 16) | c.numeric_scale) + 4 ELSE -1 END AS atttypmod,
         false AS attbyval, 'i' AS attalign, 'x' AS attstorage, '' AS attcompression, NOT c.is_nullable AS attnotnull,
         c.column_default IS NOT NULL AS atthasdef, false AS atthasmissing, '' AS attidentity, '' AS attgenerated,
         false AS attisdropped, true AS attislocal, 0 AS attinhcount, 0::BIGINT AS attcollation, NULL::VARCHAR[] AS attacl,
         NULL::VARCHAR[] AS attoptions, NULL::VARCHAR[] AS attfdwoptions, NULL::VARCHAR AS attmissingval
  FROM duckdb_columns() c JOIN cdwpg.pg.cdw_rels(vis) r ON r.oid = c.table_oid
  WHERE c.database_name = current_database()
  UNION ALL
  SELECT k.indexoid, k.constraint_column_names[i], 0, -1, -1, i::SMALLINT, 0, -1, -1, false, 'i', 'p', '', true, false, false, '', '', false, true, 0, 0, NULL, NULL, NULL, NULL
  FROM cdwpg.pg.cdw_constraints(vis) k, range(1, len(k.constraint_column_names) + 1) AS g(i) WHERE k.contype = 'p';

CREATE MACRO cdwpg.pg.pg_type(vis, db, usr, adm) AS TABLE
  SELECT oid, name AS typname, 11::BIGINT AS typnamespace, 10::BIGINT AS typowner, len::SMALLINT AS typlen,
         len BETWEEN 1 AND 8 AS typbyval, 'b' AS typtype, category AS typcategory, false AS typispreferred, true AS typisdefined,
         ',' AS typdelim, 0::BIGINT AS typrelid, CASE WHEN elem <> 0 THEN 'array_subscript_handler' ELSE '-' END AS typsubscript,
         elem AS typelem, arrayoid AS typarray,
         CASE WHEN elem <> 0 THEN 'array_in' ELSE name || 'in' END AS typinput,
         CASE WHEN elem <> 0 THEN 'array_out' ELSE name || 'out' END AS typoutput,
         CASE WHEN elem <> 0 THEN 'array_recv' ELSE name || 'recv' END AS typreceive,
         CASE WHEN elem <> 0 THEN 'array_send' ELSE name || 'send' END AS typsend,
         '-' AS typmodin, '-' AS typmodout, '-' AS typanalyze, 'i' AS typalign, CASE WHEN len = -1 THEN 'x' ELSE 'p' END AS typstorage,
         false AS typnotnull, 0::BIGINT AS typbasetype, -1 AS typtypmod, 0 AS typndims,
         CASE WHEN category = 'S' THEN 100 ELSE 0 END::BIGINT AS typcollation, NULL::VARCHAR AS typdefaultbin,
         NULL::VARCHAR AS typdefault, NULL::VARCHAR[] AS typacl
  FROM cdwpg.pg.cdw_all_types()
  UNION ALL
  SELECT oid, typname, typnamespace, 10, 4, true, 'e', 'E', false, true, ',', 0, '-', 0, 0, 'enum_in', 'enum_out',
         'enum_recv', 'enum_send', '-', '-', '-', 'i', 'p', false, 0, -1, 0, 0, NULL, NULL, NULL
  FROM cdwpg.pg.cdw_enums(vis);

CREATE MACRO cdwpg.pg.pg_attrdef(vis, db, usr, adm) AS TABLE
  SELECT 1200000000 + r.oid * 64 + c.column_index AS oid, r.oid AS adrelid, c.column_index::SMALLINT AS adnum, c.column_default AS adbin
  FROM duckdb_columns() c JOIN cdwpg.pg.cdw_rels(vis) r ON r.oid = c.table_oid
  WHERE c.database_name = current_database() AND c.column_default IS NOT NULL;

CREATE MACRO cdwpg.pg.pg_index(vis, db, usr, adm) AS TABLE
  SELECT indexoid AS indexrelid, relid AS indrelid, len(conkey)::SMALLINT AS indnatts, len(conkey)::SMALLINT AS indnkeyatts,
         true AS indisunique, false AS indnullsnotdistinct, true AS indisprimary, false AS indisexclusion, true AS indimmediate,
         false AS indisclustered, true AS indisvalid, false AS indcheckxmin, true AS indisready, true AS indislive,
         false AS indisreplident, conkey AS indkey, list_transform(conkey, k -> 0::BIGINT) AS indcollation,
         list_transform(conkey, k -> 0::BIGINT) AS indclass, list_transform(conkey, k -> 0::SMALLINT) AS indoption,
         NULL::VARCHAR AS indexprs, NULL::VARCHAR AS indpred
  FROM cdwpg.pg.cdw_constraints(vis) WHERE contype = 'p';

CREATE MACRO cdwpg.pg.cdw_constraint_def(k) AS (
  CASE k.contype
    WHEN 'p' THEN 'PRIMARY KEY (' || array_to_string(k.constraint_column_names, ', ') || ')'
    WHEN 'u' THEN 'UNIQUE (' || array_to_string(k.constraint_column_names, ', ') || ')'
    WHEN 'f' THEN 'FOREIGN KEY (' || array_to_string(k.constraint_column_names, ', ') || ') REFERENCES '
                  || k.referenced_table || '(' || array_to_string(k.referenced_column_names, ', ') || ')'
    ELSE 'CHECK (' || coalesce(k.expression, k.constraint_text) || ')' END);

CREATE MACRO cdwpg.pg.pg_constraint(vis, db, usr, adm) AS TABLE
  SELECT k.conoid AS oid, k.constraint_name AS conname, k.relnamespace AS connamespace,
         k.contype, false AS condeferrable, false AS condeferred, true AS convalidated, k.relid AS conrelid, 0::BIGINT AS contypid,
         -- A foreign key's index is the referenced table's primary key (pgjdbc joins on it).
         CASE WHEN k.contype = 'p' THEN k.indexoid WHEN k.contype = 'f' THEN coalesce(fpk.indexoid, 0) ELSE 0 END::BIGINT AS conindid,
         0::BIGINT AS conparentid,
         coalesce(fr.oid, 0)::BIGINT AS confrelid,
         'a' AS confupdtype, 'a' AS confdeltype, 's' AS confmatchtype, true AS conislocal, 0 AS coninhcount, true AS connoinherit,
         k.conkey,
         CASE WHEN k.contype = 'f' THEN list_transform(k.referenced_column_names, x -> list_position(fc.cols, x)::SMALLINT) END AS confkey,
         NULL::BIGINT[] AS conpfeqop, NULL::BIGINT[] AS conppeqop, NULL::BIGINT[] AS conffeqop, NULL::SMALLINT[] AS confdelsetcols,
         NULL::BIGINT[] AS conexclop, k.expression AS conbin, cdwpg.pg.cdw_constraint_def(k) AS condef,
         2606::BIGINT AS tableoid
  FROM cdwpg.pg.cdw_constraints(vis) k
  LEFT JOIN cdwpg.pg.cdw_rels(vis) fr ON k.contype = 'f' AND fr.relname = k.referenced_table AND fr.schema_name = k.schema_name
  LEFT JOIN (SELECT table_oid, list(column_name ORDER BY column_index) AS cols FROM duckdb_columns() WHERE database_name = current_database() GROUP BY table_oid) fc
    ON fc.table_oid = fr.oid
  LEFT JOIN (SELECT relid, indexoid FROM cdwpg.pg.cdw_constraints(vis) WHERE contype = 'p') fpk ON fpk.relid = fr.oid;

CREATE MACRO cdwpg.pg.pg_description(vis, db, usr, adm) AS TABLE
  SELECT oid AS objoid, 1259::BIGINT AS classoid, 0 AS objsubid, comment AS description FROM cdwpg.pg.cdw_rels(vis) WHERE comment IS NOT NULL
  UNION ALL
  SELECT r.oid, 1259, c.column_index, c.comment FROM duckdb_columns() c JOIN cdwpg.pg.cdw_rels(vis) r ON r.oid = c.table_oid
  WHERE c.database_name = current_database() AND c.comment IS NOT NULL
  UNION ALL
  SELECT oid, 2615, 0, comment FROM cdwpg.pg.cdw_namespaces(vis) WHERE comment IS NOT NULL
  UNION ALL
  SELECT oid, 1255, 0, comment FROM cdwpg.pg.cdw_procs(vis) WHERE comment IS NOT NULL
  UNION ALL
  SELECT oid, 1247, 0, comment FROM cdwpg.pg.cdw_enums(vis) WHERE comment IS NOT NULL;

CREATE MACRO cdwpg.pg.pg_am(vis, db, usr, adm) AS TABLE
  SELECT * FROM (VALUES (2::BIGINT, 'heap', 'heap_tableam_handler', 't'), (403::BIGINT, 'btree', 'bthandler', 'i')) v(oid, amname, amhandler, amtype);

CREATE MACRO cdwpg.pg.pg_collation(vis, db, usr, adm) AS TABLE
  SELECT * FROM (VALUES (100::BIGINT, 'default', 11::BIGINT, 10::BIGINT, 'd', true, -1, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR),
                        (950::BIGINT, 'C', 11::BIGINT, 10::BIGINT, 'c', true, -1, 'C', 'C', NULL, NULL))
    v(oid, collname, collnamespace, collowner, collprovider, collisdeterministic, collencoding, collcollate, collctype, colliculocale, collversion);

CREATE MACRO cdwpg.pg.pg_database(vis, db, usr, adm) AS TABLE
  SELECT 16384::BIGINT AS oid, db AS datname, 10::BIGINT AS datdba, 6 AS encoding, 'c' AS datlocprovider, false AS datistemplate,
         true AS datallowconn, -1 AS datconnlimit, 0::BIGINT AS datfrozenxid, 0::BIGINT AS datminmxid, 1663::BIGINT AS dattablespace,
         'C.UTF-8' AS datcollate, 'C.UTF-8' AS datctype, NULL::VARCHAR AS daticulocale, NULL::VARCHAR AS datcollversion, NULL::VARCHAR[] AS datacl;

CREATE MACRO cdwpg.pg.pg_roles(vis, db, usr, adm) AS TABLE
  SELECT usr AS rolname, adm AS rolsuper, true AS rolinherit, adm AS rolcreaterole, adm AS rolcreatedb, true AS rolcanlogin,
         false AS rolreplication, -1 AS rolconnlimit, '********' AS rolpassword, NULL::TIMESTAMPTZ AS rolvaliduntil,
         adm AS rolbypassrls, NULL::VARCHAR[] AS rolconfig, 10::BIGINT AS oid;

CREATE MACRO cdwpg.pg.pg_user(vis, db, usr, adm) AS TABLE
  SELECT usr AS usename, 10::BIGINT AS usesysid, adm AS usecreatedb, adm AS usesuper, false AS userepl, adm AS usebypassrls,
         '********' AS passwd, NULL::TIMESTAMPTZ AS valuntil, NULL::VARCHAR[] AS useconfig;

CREATE MACRO cdwpg.pg.pg_tables(vis, db, usr, adm) AS TABLE
  SELECT nspname AS schemaname, relname AS tablename, 'cdw' AS tableowner, NULL::VARCHAR AS tablespace, relhasindex AS hasindexes,
         false AS hasrules, false AS hastriggers, false AS rowsecurity
  FROM cdwpg.pg.cdw_rels(vis) WHERE relkind = 'r';

CREATE MACRO cdwpg.pg.pg_views(vis, db, usr, adm) AS TABLE
  SELECT nspname AS schemaname, relname AS viewname, 'cdw' AS viewowner, definition FROM cdwpg.pg.cdw_rels(vis) WHERE relkind = 'v';

CREATE MACRO cdwpg.pg.pg_matviews(vis, db, usr, adm) AS TABLE
  SELECT NULL::VARCHAR AS schemaname, NULL::VARCHAR AS matviewname, NULL::VARCHAR AS matviewowner, NULL::VARCHAR AS tablespace,
         false AS hasindexes, false AS ispopulated, NULL::VARCHAR AS definition WHERE false;

CREATE MACRO cdwpg.pg.pg_indexes(vis, db, usr, adm) AS TABLE
  SELECT k.nspname AS schemaname, r.relname AS tablename, k.constraint_name AS indexname, NULL::VARCHAR AS tablespace,
         'CREATE UNIQUE INDEX ' || k.constraint_name || ' ON ' || k.nspname || '.' || r.relname || ' USING btree (' || array_to_string(k.constraint_column_names, ', ') || ')' AS indexdef
  FROM cdwpg.pg.cdw_constraints(vis) k JOIN cdwpg.pg.cdw_rels(vis) r ON r.oid = k.relid WHERE k.contype = 'p';

CREATE MACRO cdwpg.pg.pg_stat_user_tables(vis, db, usr, adm) AS TABLE
  SELECT oid AS relid, nspname AS schemaname, relname, 0::BIGINT AS seq_scan, NULL::TIMESTAMPTZ AS last_seq_scan, 0::BIGINT AS seq_tup_read,
         0::BIGINT AS idx_scan, NULL::TIMESTAMPTZ AS last_idx_scan, 0::BIGINT AS idx_tup_fetch, 0::BIGINT AS n_tup_ins, 0::BIGINT AS n_tup_upd,
         0::BIGINT AS n_tup_del, 0::BIGINT AS n_tup_hot_upd, reltuples::BIGINT AS n_live_tup, 0::BIGINT AS n_dead_tup,
         0::BIGINT AS n_mod_since_analyze, 0::BIGINT AS n_ins_since_vacuum, NULL::TIMESTAMPTZ AS last_vacuum,
         NULL::TIMESTAMPTZ AS last_autovacuum, NULL::TIMESTAMPTZ AS last_analyze, NULL::TIMESTAMPTZ AS last_autoanalyze,
         0::BIGINT AS vacuum_count, 0::BIGINT AS autovacuum_count, 0::BIGINT AS analyze_count, 0::BIGINT AS autoanalyze_count
  FROM cdwpg.pg.cdw_rels(vis) WHERE relkind = 'r';

CREATE MACRO cdwpg.pg.pg_stat_all_tables(vis, db, usr, adm) AS TABLE SELECT * FROM cdwpg.pg.pg_stat_user_tables(vis, db, usr, adm);

-- The session's settings (the rewriter passes their names and values), as SHOW ALL lists them.
CREATE MACRO cdwpg.pg.pg_settings(names, vals) AS TABLE
  SELECT name, setting, NULL::VARCHAR AS unit, 'cdw' AS category, name AS short_desc, NULL::VARCHAR AS extra_desc, 'user' AS context,
         'string' AS vartype, 'default' AS source, NULL::VARCHAR AS min_val, NULL::VARCHAR AS max_val, NULL::VARCHAR[] AS enumvals,
         setting AS boot_val, setting AS reset_val, NULL::VARCHAR AS sourcefile, NULL::INTEGER AS sourceline, false AS pending_restart
  FROM (SELECT unnest(names) AS name, unnest(vals) AS setting);

CREATE MACRO cdwpg.pg.pg_tablespace(vis, db, usr, adm) AS TABLE
  SELECT * FROM (VALUES (1663::BIGINT, 'pg_default', 10::BIGINT, NULL::VARCHAR[], NULL::VARCHAR[]), (1664::BIGINT, 'pg_global', 10::BIGINT, NULL, NULL))
    v(oid, spcname, spcowner, spcacl, spcoptions);

-- Macros and table macros of the schemas the session may see (DuckDB's built-ins are not listed,
-- as PostgreSQL's \df leaves out pg_catalog). Parameters are untyped in DuckDB: anyelement.
CREATE MACRO cdwpg.pg.cdw_procs(vis) AS TABLE
  SELECT DISTINCT ON (f.function_oid) f.function_oid::BIGINT AS oid, f.function_name AS proname, n.oid AS pronamespace,
         f.function_type = 'table_macro' AS proretset, f.parameters AS proargnames, f.comment, f.macro_definition AS prosrc
  FROM duckdb_functions() f JOIN cdwpg.pg.cdw_namespaces(vis) n ON n.duck_schema = f.schema_name
  WHERE f.database_name = current_database() AND f.function_type IN ('macro', 'table_macro') AND NOT f.internal;

CREATE MACRO cdwpg.pg.pg_proc(vis, db, usr, adm) AS TABLE
  SELECT oid, proname, pronamespace, 10::BIGINT AS proowner, 14::BIGINT AS prolang,
         100::REAL AS procost, CASE WHEN proretset THEN 1000 ELSE 0 END::REAL AS prorows, 0::BIGINT AS provariadic, '-' AS prosupport, 'f' AS prokind,
         false AS prosecdef, false AS proleakproof, false AS proisstrict, proretset,
         'v' AS provolatile, 'u' AS proparallel, len(proargnames)::SMALLINT AS pronargs, 0::SMALLINT AS pronargdefaults,
         CASE WHEN proretset THEN 2249 ELSE 2283 END::BIGINT AS prorettype, list_transform(proargnames, a -> 2283::BIGINT) AS proargtypes,
         NULL::BIGINT[] AS proallargtypes, NULL::VARCHAR[] AS proargmodes,
         proargnames, NULL::VARCHAR AS proargdefaults, NULL::BIGINT[] AS protrftypes, prosrc,
         NULL::VARCHAR AS probin, NULL::VARCHAR AS prosqlbody, NULL::VARCHAR[] AS proconfig, NULL::VARCHAR[] AS proacl,
         1255::BIGINT AS tableoid
  FROM cdwpg.pg.cdw_procs(vis);

CREATE MACRO cdwpg.pg.pg_inherits(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS inhrelid, NULL::BIGINT AS inhparent, NULL::INTEGER AS inhseqno, NULL::BOOLEAN AS inhdetachpending WHERE false;

CREATE MACRO cdwpg.pg.pg_trigger(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::BIGINT AS tgrelid, NULL::BIGINT AS tgparentid, NULL::VARCHAR AS tgname, NULL::BIGINT AS tgfoid,
         NULL::SMALLINT AS tgtype, NULL::VARCHAR AS tgenabled, NULL::BOOLEAN AS tgisinternal, NULL::BIGINT AS tgconstrrelid,
         NULL::BIGINT AS tgconstrindid, NULL::BIGINT AS tgconstraint, NULL::BOOLEAN AS tgdeferrable, NULL::BOOLEAN AS tginitdeferred,
         NULL::SMALLINT AS tgnargs, NULL::SMALLINT[] AS tgattr, NULL::BLOB AS tgargs, NULL::VARCHAR AS tgqual,
         NULL::VARCHAR AS tgoldtable, NULL::VARCHAR AS tgnewtable, 2620::BIGINT AS tableoid
  WHERE false;

CREATE MACRO cdwpg.pg.pg_policy(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS polname, NULL::BIGINT AS polrelid, NULL::VARCHAR AS polcmd, NULL::BOOLEAN AS polpermissive,
         NULL::BIGINT[] AS polroles, NULL::VARCHAR AS polqual, NULL::VARCHAR AS polwithcheck
  WHERE false;

CREATE MACRO cdwpg.pg.pg_statistic_ext(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::BIGINT AS stxrelid, NULL::VARCHAR AS stxname, NULL::BIGINT AS stxnamespace, NULL::BIGINT AS stxowner,
         NULL::INTEGER AS stxstattarget, NULL::SMALLINT[] AS stxkeys, NULL::VARCHAR[] AS stxkind, NULL::VARCHAR AS stxexprs
  WHERE false;

CREATE MACRO cdwpg.pg.pg_publication(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS pubname, NULL::BIGINT AS pubowner, NULL::BOOLEAN AS puballtables, NULL::BOOLEAN AS pubinsert,
         NULL::BOOLEAN AS pubupdate, NULL::BOOLEAN AS pubdelete, NULL::BOOLEAN AS pubtruncate, NULL::BOOLEAN AS pubviaroot
  WHERE false;

CREATE MACRO cdwpg.pg.pg_publication_namespace(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::BIGINT AS pnpubid, NULL::BIGINT AS pnnspid WHERE false;

CREATE MACRO cdwpg.pg.pg_publication_rel(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::BIGINT AS prpubid, NULL::BIGINT AS prrelid, NULL::VARCHAR AS prqual, NULL::SMALLINT[] AS prattrs WHERE false;

CREATE MACRO cdwpg.pg.pg_rewrite(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS rulename, NULL::BIGINT AS ev_class, NULL::VARCHAR AS ev_type, NULL::VARCHAR AS ev_enabled,
         NULL::BOOLEAN AS is_instead, NULL::VARCHAR AS ev_qual, NULL::VARCHAR AS ev_action, 2618::BIGINT AS tableoid WHERE false;

CREATE MACRO cdwpg.pg.pg_opclass(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::BIGINT AS opcmethod, NULL::VARCHAR AS opcname, NULL::BIGINT AS opcnamespace, NULL::BIGINT AS opcowner,
         NULL::BIGINT AS opcfamily, NULL::BIGINT AS opcintype, NULL::BOOLEAN AS opcdefault, NULL::BIGINT AS opckeytype,
         2616::BIGINT AS tableoid WHERE false;

CREATE MACRO cdwpg.pg.pg_opfamily(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::BIGINT AS opfmethod, NULL::VARCHAR AS opfname, NULL::BIGINT AS opfnamespace, NULL::BIGINT AS opfowner,
         2753::BIGINT AS tableoid WHERE false;

CREATE MACRO cdwpg.pg.pg_depend(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS classid, NULL::BIGINT AS objid, NULL::INTEGER AS objsubid, NULL::BIGINT AS refclassid, NULL::BIGINT AS refobjid,
         NULL::INTEGER AS refobjsubid, NULL::VARCHAR AS deptype WHERE false;

-- A label's OID is derived (1.8e9 + 1024 · type OID + position), like the constraints'.
CREATE MACRO cdwpg.pg.pg_enum(vis, db, usr, adm) AS TABLE
  SELECT 1800000000 + e.oid * 1024 + g.i AS oid, e.oid AS enumtypid, g.i::REAL AS enumsortorder, e.labels[g.i] AS enumlabel
  FROM cdwpg.pg.cdw_enums(vis) e, range(1, len(e.labels) + 1) AS g(i);

CREATE MACRO cdwpg.pg.pg_sequence(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS seqrelid, NULL::BIGINT AS seqtypid, NULL::BIGINT AS seqstart, NULL::BIGINT AS seqincrement, NULL::BIGINT AS seqmax,
         NULL::BIGINT AS seqmin, NULL::BIGINT AS seqcache, NULL::BOOLEAN AS seqcycle WHERE false;

CREATE MACRO cdwpg.pg.pg_extension(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS extname, NULL::BIGINT AS extowner, NULL::BIGINT AS extnamespace, NULL::BOOLEAN AS extrelocatable,
         NULL::VARCHAR AS extversion, NULL::BIGINT[] AS extconfig, NULL::VARCHAR[] AS extcondition WHERE false;

CREATE MACRO cdwpg.pg.pg_foreign_table(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS ftrelid, NULL::BIGINT AS ftserver, NULL::VARCHAR[] AS ftoptions WHERE false;

CREATE MACRO cdwpg.pg.pg_partitioned_table(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS partrelid, NULL::VARCHAR AS partstrat, NULL::SMALLINT AS partnatts, NULL::BIGINT AS partdefid,
         NULL::SMALLINT[] AS partattrs WHERE false;

CREATE MACRO cdwpg.pg.pg_event_trigger(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS evtname, NULL::VARCHAR AS evtevent WHERE false;

CREATE MACRO cdwpg.pg.pg_auth_members(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS roleid, NULL::BIGINT AS member, NULL::BIGINT AS grantor, NULL::BOOLEAN AS admin_option WHERE false;

CREATE MACRO cdwpg.pg.pg_language(vis, db, usr, adm) AS TABLE
  SELECT * FROM (VALUES (13::BIGINT, 'internal'), (14::BIGINT, 'sql')) v(oid, lanname);

CREATE MACRO cdwpg.pg.pg_stat_activity(vis, db, usr, adm) AS TABLE
  SELECT 16384::BIGINT AS datid, db AS datname, NULL::INTEGER AS pid, usr AS usename, NULL::VARCHAR AS application_name,
         NULL::VARCHAR AS client_addr, NULL::TIMESTAMPTZ AS backend_start, NULL::TIMESTAMPTZ AS query_start, 'active' AS state,
         NULL::VARCHAR AS query WHERE false;

CREATE MACRO cdwpg.pg.pg_shdescription(vis, db, usr, adm) AS TABLE
  SELECT NULL::BIGINT AS objoid, NULL::BIGINT AS classoid, NULL::VARCHAR AS description WHERE false;

CREATE MACRO cdwpg.pg.pg_partition_ancestors_t(x) AS TABLE SELECT x::BIGINT AS relid, 1 AS depth;

-- Functions. Those that depend on the session get extra arguments from the rewriter.
CREATE MACRO cdwpg.pg.pg_get_userbyid(x) AS 'cdw';
CREATE MACRO cdwpg.pg.pg_table_is_visible(x, sp) AS (
  SELECT count(*) > 0 FROM cdwpg.pg.pg_class(NULL, NULL, NULL, NULL) cdw_c JOIN cdwpg.pg.cdw_namespaces(NULL) cdw_n ON cdw_n.oid = cdw_c.relnamespace
  WHERE cdw_c.oid = x AND list_contains(sp, cdw_n.nspname));
-- Built-in types are in pg_catalog, always searched; an enum when its schema is on the path.
CREATE MACRO cdwpg.pg.pg_type_is_visible(x, sp) AS coalesce(
  (SELECT list_contains(sp, cdw_e.nspname) FROM cdwpg.pg.cdw_enums(NULL) cdw_e WHERE cdw_e.oid = x), true);
CREATE MACRO cdwpg.pg.pg_function_is_visible(x) AS true;
CREATE MACRO cdwpg.pg.pg_opclass_is_visible(x) AS true;
CREATE MACRO cdwpg.pg.pg_opfamily_is_visible(x) AS true;
CREATE MACRO cdwpg.pg.pg_get_expr(e, rel) AS e, (e, rel, pretty) AS e;
CREATE MACRO cdwpg.pg.pg_get_constraintdef(x) AS (SELECT condef FROM cdwpg.pg.pg_constraint(NULL, NULL, NULL, NULL) WHERE oid = x),
  (x, pretty) AS (SELECT condef FROM cdwpg.pg.pg_constraint(NULL, NULL, NULL, NULL) WHERE oid = x);
CREATE MACRO cdwpg.pg.pg_get_indexdef(x) AS (SELECT indexdef FROM cdwpg.pg.pg_indexes(NULL, NULL, NULL, NULL) cdw_i JOIN cdwpg.pg.pg_class(NULL, NULL, NULL, NULL) cdw_c ON cdw_c.relname = cdw_i.indexname WHERE cdw_c.oid = x),
  -- Column col of the index (psqlODBC asks for 1, 2, … until it gets ''); 0 = the whole definition.
  (x, col, pretty) AS CASE WHEN col = 0
    THEN (SELECT indexdef FROM cdwpg.pg.pg_indexes(NULL, NULL, NULL, NULL) cdw_i JOIN cdwpg.pg.pg_class(NULL, NULL, NULL, NULL) cdw_c ON cdw_c.relname = cdw_i.indexname WHERE cdw_c.oid = x)
    ELSE coalesce((SELECT cdwpg.pg.quote_ident(cdw_k.constraint_column_names[col]) FROM cdwpg.pg.cdw_constraints(NULL) cdw_k
                   WHERE cdw_k.indexoid = x AND cdw_k.contype = 'p'), '') END;
-- PostgreSQL gives the view's query only (DuckDB keeps the whole CREATE VIEW).
CREATE MACRO cdwpg.pg.cdw_view_query(d) AS
  ' ' || rtrim(regexp_replace(d, '^\s*CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?VIEW\s+.*?\s+AS\s+', '', 's'), '; ' || chr(10)) || ';';
-- Resolved among the relations the session may see (vis, added by rewrite.ts): a view of a
-- hidden schema answers as an OID that names no relation does in PostgreSQL, with NULL.
CREATE MACRO cdwpg.pg.pg_get_viewdef(x, vis) AS (SELECT cdwpg.pg.cdw_view_query(cdw_v.definition) FROM cdwpg.pg.cdw_rels(vis) cdw_v WHERE cdw_v.oid = x),
  (x, pretty, vis) AS (SELECT cdwpg.pg.cdw_view_query(cdw_v.definition) FROM cdwpg.pg.cdw_rels(vis) cdw_v WHERE cdw_v.oid = x);
CREATE MACRO cdwpg.pg.pg_get_partkeydef(x) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.pg_get_ruledef(x) AS NULL::VARCHAR, (x, pretty) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.pg_get_function_result(x, vis) AS (
  SELECT CASE WHEN proretset THEN 'SETOF record' ELSE 'anyelement' END FROM cdwpg.pg.cdw_procs(vis) WHERE oid = x);
CREATE MACRO cdwpg.pg.pg_get_function_arguments(x, vis) AS (
  SELECT array_to_string(list_transform(proargnames, a -> a || ' anyelement'), ', ') FROM cdwpg.pg.cdw_procs(vis) WHERE oid = x);
CREATE MACRO cdwpg.pg.pg_get_function_identity_arguments(x, vis) AS cdwpg.pg.pg_get_function_arguments(x, vis);
CREATE MACRO cdwpg.pg.pg_get_function_sqlbody(x) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.array_remove(a, x) AS list_filter(a, e -> e IS DISTINCT FROM x);
CREATE MACRO cdwpg.pg.pg_get_triggerdef(x) AS NULL::VARCHAR, (x, pretty) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.pg_get_statisticsobjdef_columns(x) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.pg_relation_is_publishable(x) AS false;
CREATE MACRO cdwpg.pg.pg_encoding_to_char(x) AS 'UTF8';
CREATE MACRO cdwpg.pg.pg_get_serial_sequence(t, c) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.pg_partition_ancestors(x) AS unnest([x::BIGINT]);
-- Comments are looked up among the objects the session may see (vis, added by rewrite.ts).
CREATE MACRO cdwpg.pg.col_description(rel, attnum, vis) AS (
  SELECT cdw_d.description FROM cdwpg.pg.pg_description(vis, NULL, NULL, NULL) cdw_d
  WHERE cdw_d.objoid = rel AND cdw_d.objsubid = attnum AND cdw_d.classoid = 1259);
CREATE MACRO cdwpg.pg.obj_description(x, vis) AS (
  SELECT cdw_d.description FROM cdwpg.pg.pg_description(vis, NULL, NULL, NULL) cdw_d WHERE cdw_d.objoid = x AND cdw_d.objsubid = 0 LIMIT 1),
  (x, cat, vis) AS (
  SELECT cdw_d.description FROM cdwpg.pg.pg_description(vis, NULL, NULL, NULL) cdw_d WHERE cdw_d.objoid = x AND cdw_d.objsubid = 0 LIMIT 1);
CREATE MACRO cdwpg.pg.shobj_description(x, cat) AS NULL::VARCHAR;
CREATE MACRO cdwpg.pg.array_upper(a, d) AS CASE WHEN len(a) = 0 THEN NULL ELSE len(a) END;
CREATE MACRO cdwpg.pg.array_lower(a, d) AS CASE WHEN len(a) = 0 THEN NULL ELSE 1 END;
CREATE MACRO cdwpg.pg.has_table_privilege(a) AS true, (a, b) AS true, (a, b, c) AS true;
CREATE MACRO cdwpg.pg.has_schema_privilege(a) AS true, (a, b) AS true, (a, b, c) AS true;
CREATE MACRO cdwpg.pg.has_database_privilege(a) AS true, (a, b) AS true, (a, b, c) AS true;
CREATE MACRO cdwpg.pg.has_column_privilege(a, b) AS true, (a, b, c) AS true, (a, b, c, d) AS true;
CREATE MACRO cdwpg.pg.pg_has_role(a, b) AS true, (a, b, c) AS true;
CREATE MACRO cdwpg.pg.pg_is_in_recovery() AS false;
CREATE MACRO cdwpg.pg.pg_relation_size(x) AS 0::BIGINT, (x, f) AS 0::BIGINT;
CREATE MACRO cdwpg.pg.pg_total_relation_size(x) AS 0::BIGINT;
CREATE MACRO cdwpg.pg.pg_table_size(x) AS 0::BIGINT;
CREATE MACRO cdwpg.pg.pg_indexes_size(x) AS 0::BIGINT;
CREATE MACRO cdwpg.pg.pg_database_size(x) AS 0::BIGINT;
CREATE MACRO cdwpg.pg.pg_size_pretty(x) AS format_bytes(x::BIGINT);
CREATE MACRO cdwpg.pg.txid_current() AS 1::BIGINT;
-- format(): %s, %I, %L and %% as in PostgreSQL (Metabase: format('%I.%I', schema, table)::regclass).
-- A value inserted is marked (chr(1) for its %) so a later argument never fills a % it brought.
CREATE MACRO cdwpg.pg.cdw_format_arg(t, v) AS CASE t
  WHEN 's' THEN coalesce(v::VARCHAR, '')
  WHEN 'I' THEN cdwpg.pg.quote_ident(v::VARCHAR)
  ELSE coalesce('''' || replace(v::VARCHAR, '''', '''''') || '''', 'NULL') END;
CREATE MACRO cdwpg.pg.cdw_format_apply(f, x, v) AS
  CASE WHEN x.t = '' THEN f ELSE x.pre || replace(cdwpg.pg.cdw_format_arg(x.t, v), '%', chr(1)) || x.post END;
CREATE MACRO cdwpg.pg.cdw_format_one(f, v) AS
  cdwpg.pg.cdw_format_apply(f, regexp_extract(f, '^(.*?)%([sIL])(.*)$', ['pre', 't', 'post'], 's'), v);
CREATE MACRO cdwpg.pg.cdw_format_end(f) AS replace(replace(f, chr(1), '%'), chr(2), '%');
CREATE MACRO cdwpg.pg.format(f) AS replace(f, '%%', '%'),
  (f, a) AS cdwpg.pg.cdw_format_end(cdwpg.pg.cdw_format_one(replace(f, '%%', chr(2)), a)),
  (f, a, b) AS cdwpg.pg.cdw_format_end(cdwpg.pg.cdw_format_one(cdwpg.pg.cdw_format_one(replace(f, '%%', chr(2)), a), b)),
  (f, a, b, c) AS cdwpg.pg.cdw_format_end(cdwpg.pg.cdw_format_one(cdwpg.pg.cdw_format_one(cdwpg.pg.cdw_format_one(replace(f, '%%', chr(2)), a), b), c));
CREATE MACRO cdwpg.pg.cdw_rel_by_name(x, vis) AS (
  WITH p AS (SELECT string_split(replace(x::VARCHAR, '"', ''), '.') AS parts)
  SELECT coalesce(
    (SELECT r.oid FROM cdwpg.pg.cdw_rels(vis) r, p
     WHERE lower(r.relname) = lower(p.parts[-1]) AND (len(p.parts) = 1 OR lower(r.nspname) = lower(p.parts[-2]))
     ORDER BY (r.nspname = 'public') DESC LIMIT 1),
    (SELECT s.oid FROM cdwpg.pg.sysrels s, p WHERE s.relname = lower(p.parts[-1]))));
CREATE MACRO cdwpg.pg.cdw_regclass(x, vis) AS (
  CASE WHEN x IS NULL THEN NULL
       WHEN regexp_matches(x::VARCHAR, '^\d+$') THEN x::VARCHAR::BIGINT
       ELSE coalesce(cdwpg.pg.cdw_rel_by_name(x, vis), error('relation "' || x::VARCHAR || '" does not exist')) END);
CREATE MACRO cdwpg.pg.to_regclass(x, vis) AS cdwpg.pg.cdw_rel_by_name(x, vis);
CREATE MACRO cdwpg.pg.cdw_regclass_name(x, vis) AS (
  CASE WHEN x IS NULL THEN NULL
       WHEN NOT regexp_matches(x::VARCHAR, '^\d+$') THEN x::VARCHAR
       ELSE coalesce((SELECT CASE WHEN nspname = 'public' THEN relname ELSE nspname || '.' || relname END FROM cdwpg.pg.cdw_rels(vis) WHERE oid = x::VARCHAR::BIGINT),
                     (SELECT relname FROM cdwpg.pg.sysrels WHERE oid = x::VARCHAR::BIGINT), x::VARCHAR) END);
CREATE MACRO cdwpg.pg.cdw_regtype(x) AS (
  CASE WHEN x IS NULL THEN NULL WHEN regexp_matches(x::VARCHAR, '^\d+$') THEN x::VARCHAR::BIGINT
       ELSE (SELECT oid FROM cdwpg.pg.cdw_all_types() WHERE name = lower(regexp_replace(x::VARCHAR, '^pg_catalog\.', '')) OR sqlname = lower(x::VARCHAR) LIMIT 1) END);
CREATE MACRO cdwpg.pg.cdw_regtype_name(x, vis) AS (
  CASE WHEN x IS NULL THEN NULL WHEN NOT regexp_matches(x::VARCHAR, '^\d+$') THEN x::VARCHAR
       ELSE cdwpg.pg.format_type(x::VARCHAR::BIGINT, NULL, vis) END);
CREATE MACRO cdwpg.pg.cdw_regnamespace(x, vis) AS (
  CASE WHEN x IS NULL THEN NULL WHEN regexp_matches(x::VARCHAR, '^\d+$') THEN x::VARCHAR::BIGINT
       ELSE (SELECT oid FROM cdwpg.pg.cdw_namespaces(vis) WHERE nspname = x::VARCHAR) END);
CREATE MACRO cdwpg.pg.cdw_regnamespace_name(x, vis) AS (
  CASE WHEN x IS NULL THEN NULL WHEN NOT regexp_matches(x::VARCHAR, '^\d+$') THEN x::VARCHAR
       ELSE (SELECT nspname FROM cdwpg.pg.cdw_namespaces(vis) WHERE oid = x::VARCHAR::BIGINT) END);
CREATE MACRO cdwpg.pg.cdw_regproc(x) AS regexp_replace(x::VARCHAR, '^pg_catalog\.', '');

-- information_schema
CREATE MACRO cdwpg.info._pg_expandarray(arr) AS unnest(list_transform(range(1, len(arr) + 1), i -> struct_pack(x := arr[i], n := i::INTEGER)));

CREATE MACRO cdwpg.info.schemata(vis, db, usr, adm) AS TABLE
  SELECT db AS catalog_name, nspname AS schema_name, 'cdw' AS schema_owner, NULL::VARCHAR AS default_character_set_catalog,
         NULL::VARCHAR AS default_character_set_schema, NULL::VARCHAR AS default_character_set_name, NULL::VARCHAR AS sql_path
  FROM cdwpg.pg.cdw_namespaces(vis);

CREATE MACRO cdwpg.info.tables(vis, db, usr, adm) AS TABLE
  SELECT db AS table_catalog, nspname AS table_schema, relname AS table_name, CASE relkind WHEN 'r' THEN 'BASE TABLE' ELSE 'VIEW' END AS table_type,
         NULL::VARCHAR AS self_referencing_column_name, NULL::VARCHAR AS reference_generation, NULL::VARCHAR AS user_defined_type_catalog,
         NULL::VARCHAR AS user_defined_type_schema, NULL::VARCHAR AS user_defined_type_name,
         CASE relkind WHEN 'r' THEN 'YES' ELSE 'NO' END AS is_insertable_into, 'NO' AS is_typed, NULL::VARCHAR AS commit_action
  FROM cdwpg.pg.cdw_rels(vis);

CREATE MACRO cdwpg.info.views(vis, db, usr, adm) AS TABLE
  SELECT db AS table_catalog, nspname AS table_schema, relname AS table_name, definition AS view_definition, 'NONE' AS check_option,
         'NO' AS is_updatable, 'NO' AS is_insertable_into, 'NO' AS is_trigger_updatable, 'NO' AS is_trigger_deletable, 'NO' AS is_trigger_insertable_into
  FROM cdwpg.pg.cdw_rels(vis) WHERE relkind = 'v';

CREATE MACRO cdwpg.info.columns(vis, db, usr, adm) AS TABLE
  SELECT db AS table_catalog, r.nspname AS table_schema, r.relname AS table_name, c.column_name, c.column_index AS ordinal_position,
         c.column_default, CASE WHEN c.is_nullable THEN 'YES' ELSE 'NO' END AS is_nullable,
         CASE WHEN regexp_matches(c.data_type, '\[\d*\]$') THEN 'ARRAY' ELSE coalesce((SELECT t.sqlname FROM cdwpg.pg.cdw_all_types() t WHERE t.oid = cdwpg.pg.cdw_col_type_oid(c.data_type)), 'text') END AS data_type,
         c.character_maximum_length, NULL::INTEGER AS character_octet_length, c.numeric_precision, c.numeric_precision_radix, c.numeric_scale,
         NULL::INTEGER AS datetime_precision, NULL::VARCHAR AS interval_type, NULL::INTEGER AS interval_precision,
         NULL::VARCHAR AS character_set_catalog, NULL::VARCHAR AS character_set_schema, NULL::VARCHAR AS character_set_name,
         NULL::VARCHAR AS collation_catalog, NULL::VARCHAR AS collation_schema, NULL::VARCHAR AS collation_name,
         NULL::VARCHAR AS domain_catalog, NULL::VARCHAR AS domain_schema, NULL::VARCHAR AS domain_name,
         db AS udt_catalog, 'pg_catalog' AS udt_schema,
         coalesce((SELECT t.name FROM cdwpg.pg.cdw_all_types() t WHERE t.oid = cdwpg.pg.cdw_col_type_oid(c.data_type)), 'text') AS udt_name,
         NULL::VARCHAR AS scope_catalog, NULL::VARCHAR AS scope_schema, NULL::VARCHAR AS scope_name, NULL::INTEGER AS maximum_cardinality,
         c.column_index::VARCHAR AS dtd_identifier, 'NO' AS is_self_referencing, 'NO' AS is_identity, NULL::VARCHAR AS identity_generation,
         NULL::VARCHAR AS identity_start, NULL::VARCHAR AS identity_increment, NULL::VARCHAR AS identity_maximum, NULL::VARCHAR AS identity_minimum,
         NULL::VARCHAR AS identity_cycle, 'NEVER' AS is_generated, NULL::VARCHAR AS generation_expression,
         CASE WHEN r.relkind = 'r' THEN 'YES' ELSE 'NO' END AS is_updatable, c.comment AS column_comment
  FROM duckdb_columns() c JOIN cdwpg.pg.cdw_rels(vis) r ON r.oid = c.table_oid
  WHERE c.database_name = current_database();

CREATE MACRO cdwpg.info.table_constraints(vis, db, usr, adm) AS TABLE
  SELECT db AS constraint_catalog, k.nspname AS constraint_schema, k.constraint_name, db AS table_catalog, k.nspname AS table_schema,
         k.table_name, k.constraint_type, 'NO' AS is_deferrable, 'NO' AS initially_deferred, 'YES' AS enforced, NULL::VARCHAR AS nulls_distinct
  FROM cdwpg.pg.cdw_constraints(vis) k;

CREATE MACRO cdwpg.info.key_column_usage(vis, db, usr, adm) AS TABLE
  SELECT db AS constraint_catalog, k.nspname AS constraint_schema, k.constraint_name, db AS table_catalog, k.nspname AS table_schema,
         k.table_name, k.constraint_column_names[i] AS column_name, i AS ordinal_position,
         CASE WHEN k.contype = 'f' THEN i END AS position_in_unique_constraint
  FROM cdwpg.pg.cdw_constraints(vis) k, range(1, len(k.constraint_column_names) + 1) g(i) WHERE k.contype IN ('p', 'u', 'f');

CREATE MACRO cdwpg.info.referential_constraints(vis, db, usr, adm) AS TABLE
  SELECT db AS constraint_catalog, k.nspname AS constraint_schema, k.constraint_name, db AS unique_constraint_catalog,
         k.nspname AS unique_constraint_schema, NULL::VARCHAR AS unique_constraint_name, 'NONE' AS match_option,
         'NO ACTION' AS update_rule, 'NO ACTION' AS delete_rule
  FROM cdwpg.pg.cdw_constraints(vis) k WHERE k.contype = 'f';

CREATE MACRO cdwpg.info.routines(vis, db, usr, adm) AS TABLE
  SELECT NULL::VARCHAR AS specific_catalog, NULL::VARCHAR AS specific_schema, NULL::VARCHAR AS specific_name, NULL::VARCHAR AS routine_catalog,
         NULL::VARCHAR AS routine_schema, NULL::VARCHAR AS routine_name, NULL::VARCHAR AS routine_type, NULL::VARCHAR AS data_type WHERE false;
