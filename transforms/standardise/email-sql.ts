import { quoteLiteral } from '../../foundation/sql.ts';
import { sqlFromFile } from '../../foundation/sql-template.ts';
import { FREE_BRANDS, FREE_DOMAINS, ROLE_LOCALS, YANDEX_ALIASES } from './emails.ts';

const listSql = (values: ReadonlySet<string>): string =>
  `[${[...values].map(quoteLiteral).join(', ')}]`;

/**
 * The e-mail macros (`email-macros.sql`: `cdw_sql_email_decides(raw)`, `cdw_sql_std_email(raw)`)
 * with emails.ts's domain and mailbox lists filled in.
 */
export function emailSqlMacros(): string {
  return sqlFromFile(import.meta.url, 'email-macros.sql', {
    sql: {
      free_domains: listSql(FREE_DOMAINS),
      free_brands: listSql(FREE_BRANDS),
      yandex_aliases: listSql(YANDEX_ALIASES),
      role_locals: listSql(ROLE_LOCALS),
    },
  });
}
