import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Queryable } from '../../../foundation/duckdb-client.ts';
import { isPhoneCountry, standardisePhone } from '../../../transforms/standardise/phones.ts';
import { reportSql } from '../sql-file.ts';
import { JobError } from '../../errors.ts';

/** What happened to the numbers of a purchased list. read = invalid + existing_customer + duplicate + kept. */
export interface ProspectResult {
  readonly read: number;
  readonly invalid: number;
  readonly existingCustomer: number;
  readonly duplicate: number;
  readonly kept: number;
}

const BATCH = 50_000;

/**
 * Checks purchased numbers against the customers' numbers into the temp table `prospect_checked`
 * (line, raw, e164, invalid_reason, status: invalid | existing_customer | duplicate | kept). Numbers
 * are standardised to E.164 with the transforms' phone standardiser, national forms read in `country`.
 */
export async function checkProspects(
  wh: Queryable,
  numbers: readonly string[],
  country: string,
): Promise<ProspectResult> {
  if (!isPhoneCountry(country))
    throw new JobError(
      'prospects_country',
      `--country ${country} is not a country code the phone standardiser knows (e.g. RU, US, GB)`,
    );
  for (const t of ['party_records', 'interactions', 'transactions']) {
    if (!(await wh.tableExists('staging', t)))
      throw new JobError(
        'prospects_not_ready',
        `staging.${t} does not exist yet; run "cdw run" first`,
      );
  }
  await wh.run(
    'CREATE OR REPLACE TEMP TABLE prospect_numbers (line INTEGER, raw VARCHAR, e164 VARCHAR, invalid_reason VARCHAR)',
  );
  for (let start = 0; start < numbers.length; start += BATCH) {
    const chunk = numbers.slice(start, start + BATCH);
    const std = chunk.map((n) => standardisePhone(n, country));
    // lists go in as JSON: one statement per batch instead of one per number
    await wh.run(
      `INSERT INTO prospect_numbers
       SELECT unnest(CAST($1::JSON AS INTEGER[])), unnest(CAST($2::JSON AS VARCHAR[])), unnest(CAST($3::JSON AS VARCHAR[])), unnest(CAST($4::JSON AS VARCHAR[]))`,
      [
        JSON.stringify(chunk.map((_, i) => start + i + 1)),
        JSON.stringify(chunk),
        JSON.stringify(std.map((s) => s.e164)),
        JSON.stringify(std.map((s) => s.reason)),
      ],
    );
  }
  await wh.run(reportSql('lists/prospects.sql'));
  const rows = await wh.all<{ status: string; n: number }>(
    'SELECT status, count(*) AS n FROM prospect_checked GROUP BY status',
  );
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return {
    read: numbers.length,
    invalid: n('invalid'),
    existingCustomer: n('existing_customer'),
    duplicate: n('duplicate'),
    kept: n('kept'),
  };
}

/** The call list: numbers that are nobody's in the company, once each, in list order. */
export const PROSPECT_LIST_QUERY =
  "SELECT e164 AS phone, raw AS as_given FROM prospect_checked WHERE status = 'kept' ORDER BY line";

/** Every input line with what happened to it. */
export const PROSPECT_CHECKED_QUERY =
  'SELECT line, raw AS as_given, e164 AS phone, status, invalid_reason FROM prospect_checked ORDER BY line';

/**
 * Reads a purchased list: one number per line, or a CSV whose header has a column named
 * phone, number, msisdn, mobile or tel (else its first column). Blank lines are skipped.
 */
export function readNumbersFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    throw new JobError(
      'prospects_file',
      `cannot read the numbers file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`,
      { cause: err },
    );
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.toLowerCase() ?? '';
  const delimiter = [',', ';', '\t'].find((d) => header.includes(d));
  if (delimiter === undefined || !/[a-z]/.test(header)) return lines.map((l) => l.trim());
  const records = parse(lines.join('\n'), {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
  }) as string[][];
  const names = (records[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = Math.max(
    0,
    names.findIndex((h) =>
      ['phone', 'number', 'msisdn', 'mobile', 'tel', 'telephone', 'phone_number'].includes(h),
    ),
  );
  return records
    .slice(1)
    .map((r) => (r[col] ?? '').trim())
    .filter((v) => v !== '');
}
