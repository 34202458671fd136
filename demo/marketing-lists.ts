import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isoDate, nightDay } from './calendar.ts';

/** The segment whose campaign list the demo's marketing system sends to, when cdw made one. */
export const LIST_SEGMENT = 'high_value';

/** Where `cdw demo` keeps the campaign list cdw produced after a night (e-mail channel). */
export function campaignListPath(dir: string, night: number): string {
  return path.join(dir, 'marketing', 'lists', `list_${isoDate(nightDay(night))}.csv`);
}

/**
 * The e-mail addresses (lower case) of the campaign list cdw produced after `night`, or
 * undefined when there is none (the first night, `--no-run`, a generator run without cdw).
 */
export function readCampaignList(dir: string, night: number): ReadonlySet<string> | undefined {
  const file = campaignListPath(dir, night);
  if (!existsSync(file)) return undefined;
  const [header, ...lines] = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  const at = (header ?? '').split(',').indexOf('email');
  if (at < 0) return undefined;
  // the list's columns are ids, names and the address; a quoted name may hold a comma, so the
  // address is the last field
  return new Set(lines.map((l) => l.slice(l.lastIndexOf(',') + 1).replace(/^"|"$/g, '').trim().toLowerCase()).filter((e) => e !== ''));
}
