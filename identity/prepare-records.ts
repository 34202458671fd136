import type { Queryable } from '../foundation/duckdb-client.ts';
import { quoteIdent } from '../foundation/sql.ts';
import { readSql, renderSql } from '../foundation/sql-template.ts';
import {
  customColumn,
  customFieldSql,
  customTfColumn,
  type CustomComparisonSpec,
} from './custom-comparisons.ts';

/** A birth date on this many times more records than the median date is a placeholder. */
export const DEFAULT_BIRTH_DATE_PLACEHOLDER_FACTOR = 20;

/**
 * Builds the temp table `id_records` from staging.party_records (see prepare-records.sql): the
 * records in the shape matching needs, with the same `rec_id`s for the same staging, plus one
 * column per configured comparison (`cx_<name>`, and its term frequency `tf_cx_<name>`).
 * Publish keeps it as identity.records, which explanations read.
 */
export async function prepareRecords(
  wh: Queryable,
  custom: readonly CustomComparisonSpec[] = [],
  birthDatePlaceholderFactor = DEFAULT_BIRTH_DATE_PLACEHOLDER_FACTOR,
): Promise<number> {
  await wh.run(
    renderSql(readSql(import.meta.url, 'prepare-records.sql'), {
      sql: { placeholder_factor: String(Number(birthDatePlaceholderFactor)) },
    }),
  );
  if (custom.length > 0) {
    const values = custom.map((c) => `${customFieldSql(c)} AS ${quoteIdent(customColumn(c))}`);
    await wh.run(`CREATE OR REPLACE TEMP TABLE id_custom AS
      SELECT r.rec_id, r.last_key, ${values.join(', ')}
      FROM id_records r JOIN staging.party_records p ON p.party_uid = r.party_uid`);
    // the share of holders of a value, a holder being a surname (as for names: prepare-records.sql)
    const tfs = custom.map((c) => {
      const col = quoteIdent(customColumn(c));
      return `LEFT JOIN (
          SELECT ${col} AS v, (count(DISTINCT coalesce(last_key, '')) / sum(count(DISTINCT coalesce(last_key, ''))) OVER ())::FLOAT AS tf
          FROM id_custom WHERE ${col} IS NOT NULL GROUP BY 1
        ) ${quoteIdent(`t_${c.name}`)} ON ${quoteIdent(`t_${c.name}`)}.v = x.${col}`;
    });
    await wh.run(`CREATE OR REPLACE TEMP TABLE id_records AS
      SELECT r.*, ${custom
        .map(
          (c) =>
            `x.${quoteIdent(customColumn(c))}, ${quoteIdent(`t_${c.name}`)}.tf AS ${quoteIdent(customTfColumn(c))}`,
        )
        .join(', ')}
      FROM id_records r JOIN id_custom x USING (rec_id) ${tfs.join(' ')}
      ORDER BY r.rec_id`);
    await wh.run('DROP TABLE id_custom');
  }
  return Number(await wh.scalar('SELECT count(*) FROM id_records'));
}
