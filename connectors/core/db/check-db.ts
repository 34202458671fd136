import type { ResolvedSource, ResolvedTable } from '../../../foundation/config-types.ts';
import type { CheckProblem, CheckResult } from '../../types.ts';
import { mappingProblems, withSqlParser } from '../check-mapping.ts';
import { dbTableOptions } from './db-options.ts';

/** What `checkDbSource` needs of one database kind: its driver, behind four calls. */
export interface DbCheckDriver<C> {
  /** A connection; errors come out as the kind translates them (the `cause` keeps the driver's). */
  connect(source: ResolvedSource): Promise<C>;
  /** The columns of a table's result (`LIMIT 0`). */
  columnsOf(client: C, table: ResolvedTable): Promise<string[]>;
  /** What went wrong and what to check, from a driver error (no source name, no row values). */
  problem(err: unknown): string;
  close(client: C): Promise<void>;
}

/**
 * `check` of a database source (PostgreSQL, MySQL): connects once, reads the columns of every
 * enabled table, and checks that every column its config names is among them. Each problem is
 * located by the config key it is about: the connection, a table's `table`/`query`, a mapping.
 */
export async function checkDbSource<C>(
  source: ResolvedSource,
  driver: DbCheckDriver<C>,
): Promise<CheckResult> {
  let client: C;
  try {
    client = await driver.connect(source);
  } catch (err) {
    const text = driver.problem(err instanceof Error && err.cause !== undefined ? err.cause : err);
    return { ok: false, detail: text, problems: [{ key: 'connection', message: text }] };
  }
  try {
    const problems: CheckProblem[] = [];
    const tables = source.tables.filter((t) => t.enabled);
    await withSqlParser(async (parser) => {
      for (const t of tables) {
        let columns: string[];
        try {
          columns = await driver.columnsOf(client, t);
        } catch (err) {
          const o = dbTableOptions(t.options);
          const key = o.query !== undefined ? 'query' : o.table !== undefined ? 'table' : 'name';
          problems.push({ table: t.name, key, message: driver.problem(err) });
          continue;
        }
        problems.push(...(await mappingProblems(parser, t, columns, `the source's ${t.name}`)));
      }
    });
    return problems.length === 0
      ? {
          ok: true,
          detail: `connected, ${tables.length} table${tables.length === 1 ? '' : 's'} readable`,
          problems,
        }
      : {
          ok: false,
          detail: problems
            .map((p) => `${p.table === undefined ? '' : `${p.table}: `}${p.message}`)
            .join('; '),
          problems,
        };
  } finally {
    await driver.close(client);
  }
}
