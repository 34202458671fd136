import type pg from 'pg';
import type { ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import type { CheckResult } from '../types.ts';
import { dbTableOptions } from '../core/db/db-options.ts';
import { connectPg, pgEndpoint } from './connection.ts';
import { pgProblem, translatePgError } from './errors.ts';
import { pgRelation } from './sql.ts';

/** Connects and reads the columns of every table (LIMIT 0); reports the first problem per table. */
export async function checkPostgres(source: ResolvedSource): Promise<CheckResult> {
  let client;
  try {
    client = await connectPg(source);
  } catch (err) {
    return {
      ok: false,
      detail: pgProblem(err instanceof Error && err.cause !== undefined ? err.cause : err).text,
    };
  }
  try {
    const problems: string[] = [];
    for (const t of source.tables.filter((x) => x.enabled)) {
      try {
        const cols = await columnsOf(client, t);
        const need = [...t.primaryKey, ...(t.cursor ? [t.cursor.column] : [])].filter(
          (c) => !cols.some((x) => x.toLowerCase() === c.toLowerCase()),
        );
        if (need.length > 0)
          problems.push(`${t.name}: no column ${need.join(', ')} (cursor/primary_key)`);
      } catch (err) {
        problems.push(`${t.name}: ${pgProblem(err).text}`);
      }
    }
    return problems.length === 0
      ? {
          ok: true,
          detail: `connected, ${source.tables.length} table${source.tables.length === 1 ? '' : 's'} readable`,
        }
      : { ok: false, detail: problems.join('; ') };
  } finally {
    await client.end().catch(() => undefined);
  }
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
  return r.fields.map((f) => f.name);
}
