import type { Logger } from '../../foundation/logger.ts';
import type { Warehouse } from '../../foundation/duckdb-client.ts';
import { profilesSql } from './sql-file.ts';

/**
 * Creates (or replaces) the documented `public` views and the point-in-time macros over core:
 * customers, customer_history, customer_as_of(d), customer_at(ts), transactions,
 * interactions, web_sessions, page_views, and — when identity's tables exist — households and
 * customer_records. Idempotent; the profiles step runs it every night.
 * Returns the names of the views it could not create because an input is missing.
 */
export async function createPublicViews(wh: Warehouse, logger: Logger): Promise<string[]> {
  const skipped: string[] = [];
  await wh.run(profilesSql('public-views'));
  if (await wh.tableExists('core', 'dim_household')) await wh.run(profilesSql('public-households'));
  else skipped.push('public.households');
  if (
    (await wh.tableExists('core', 'customer_xref')) &&
    (await wh.tableExists('staging', 'party_records'))
  )
    await wh.run(profilesSql('public-records'));
  else skipped.push('public.customer_records');
  if (skipped.length > 0)
    logger.warn(
      `profiles: ${skipped.join(', ')} not created; identity/transform tables are missing`,
    );
  return skipped;
}
