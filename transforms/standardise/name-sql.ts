import { quoteLiteral } from '../../foundation/sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { givenNameEntries } from './nicknames.ts';
import { RUSSIAN_FEMININE, RUSSIAN_SURNAME_SHAPE, SURNAMES } from './surnames.ts';

/**
 * The name macros (`name-macros.sql`: `cdw_sql_name_decides`, `cdw_sql_std_name`) with the
 * surname list and shapes of surnames.ts filled in, and the given-name table of nicknames.ts as
 * the temporary table `cdw_given_names(variant, canonical)`.
 */
export function nameSqlMacros(): string {
  const values = givenNameEntries()
    .map(([v, c]) => `(${quoteLiteral(v)}, ${quoteLiteral(c)})`)
    .join(', ');
  return `${sqlFromFile(import.meta.url, 'name-macros.sql', {
    sql: {
      surnames: `[${[...SURNAMES].map(quoteLiteral).join(', ')}]`,
      russian_feminine: quoteLiteral(RUSSIAN_FEMININE.source),
      russian_surname_shape: quoteLiteral(RUSSIAN_SURNAME_SHAPE.source),
    },
  })}
  CREATE OR REPLACE TEMP TABLE cdw_given_names (variant VARCHAR PRIMARY KEY, canonical VARCHAR);
  INSERT INTO cdw_given_names VALUES ${values};`;
}
