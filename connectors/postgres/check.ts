import type pg from 'pg';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { CheckResult } from '../types.ts';
import { checkDbSource } from '../core/db/check-db.ts';
import { dbTableOptions } from '../core/db/db-options.ts';
import { connectPg, pgEndpoint } from './connection.ts';
import { pgProblem, translatePgError } from './errors.ts';
import { pgRelation } from './sql.ts';

/** Connects and reads the columns of every table (LIMIT 0); the shared loop is `checkDbSource`. */
export function checkPostgres(source: ResolvedSource): Promise<CheckResult> {
  return checkDbSource<pg.Client>(source, {
    connect: (s) => connectPg(s),
    columnsOf,
    problem: (err) => pgProblem(err).text,
    close: (c) => c.end().catch(() => undefined),
  });
}

export async function postgresColumns(
  source: ResolvedSource,
  table: ResolvedTable,
): Promise<string[]> {
  const client = await connectPg(source, table.name);
  try {
    return await columnsOf(client, table);
  } catch (err) {
    throw translatePgError(err, {
      source: source.name,
      table: table.name,
      endpoint: pgEndpoint(source),
    });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function columnsOf(client: pg.Client, t: ResolvedTable): Promise<string[]> {
  const o = dbTableOptions(t.options);
  const r = await client.query(`SELECT * FROM ${pgRelation(o, t.name)} q LIMIT 0`);
  const all = r.fields.map((f) => f.name);
  return o.columns === undefined
    ? all
    : all.filter((c) => o.columns!.some((x) => x.toLowerCase() === c.toLowerCase()));
}
