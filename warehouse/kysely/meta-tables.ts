import { Kysely } from 'kysely';
import type { DuckDBConnection } from '@duckdb/node-api';
import { DuckDBDialect } from './duckdb-dialect.ts';

/** Typed view of the `meta` schema for Kysely queries. */
export interface MetaDatabase {
  'meta.runs': {
    run_id: string;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    trigger: string;
    pid: number | null;
    host: string | null;
    message: string | null;
  };
  'meta.run_steps': {
    run_id: string;
    step: string;
    source: string;
    status: string;
    rows_in: number | null;
    rows_out: number | null;
    rows_rejected: number | null;
    started_at: Date;
    finished_at: Date | null;
    error: string | null;
  };
  'meta.loads': {
    load_id: string;
    run_id: string;
    source: string;
    source_table: string;
    status: string;
    started_at: Date;
    finished_at: Date | null;
    rows_landed: number | null;
    rows_rejected: number | null;
  };
  'meta.source_state': {
    source: string;
    source_table: string;
    cursor_value: string | null;
    state: string | null;
    load_id: string | null;
    updated_at: Date;
  };
}

export function metaDb(conn: DuckDBConnection): Kysely<MetaDatabase> {
  return new Kysely<MetaDatabase>({ dialect: new DuckDBDialect(conn) });
}
