import type { IdSource } from '../../../connectors/weblog/options.ts';

/** Fields a Cookie header may be logged in. */
const COOKIE_FIELDS = ['http_cookie', 'cookie'];

/**
 * Picks a visitor cookie or user id out of a parsed log line: a cookie of the logged Cookie
 * header, a parameter of the requested URL (percent-decoded), or a field as logged.
 * The reader takes the parsed row, where field i of the format is at `row[i + 1]`.
 */
export function idReader(
  src: IdSource | undefined,
  fields: readonly string[],
): ((row: readonly (string | null)[], url: string | null) => string | null) | undefined {
  if (src === undefined) return undefined;
  if ('field' in src) {
    const i = fields.indexOf(src.field);
    if (i < 0)
      throw new Error(`field ${src.field} is not in the log format (fields: ${fields.join(', ')})`);
    return (row) => row[i + 1] ?? null;
  }
  if ('cookie' in src) {
    const i = fields.findIndex((f) => COOKIE_FIELDS.includes(f));
    if (i < 0)
      throw new Error(
        `cookie ${src.cookie} needs the Cookie header in the log format ($http_cookie)`,
      );
    return (row) => cookieValue(row[i + 1] ?? null, src.cookie);
  }
  return (_row, url) => queryValue(url, src.query);
}

export function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  const want = `${name}=`;
  for (let at = header.indexOf(want); at >= 0; at = header.indexOf(want, at + 1)) {
    // Only a whole cookie name: at the start or after "; ".
    let b = at - 1;
    while (b >= 0 && header[b] === ' ') b--;
    if (b >= 0 && header[b] !== ';') continue;
    const from = at + want.length;
    const end = header.indexOf(';', from);
    const v = header.slice(from, end < 0 ? undefined : end).trim();
    return v === '' ? null : v;
  }
  return null;
}

export function queryValue(url: string | null, name: string): string | null {
  if (url === null) return null;
  const q = url.indexOf('?');
  if (q < 0) return null;
  const hash = url.indexOf('#', q);
  for (const pair of url.slice(q + 1, hash < 0 ? undefined : hash).split('&')) {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    if (key === name) {
      const v = eq < 0 ? '' : decode(pair.slice(eq + 1));
      return v === '' ? null : v;
    }
  }
  return null;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replaceAll('+', ' '));
  } catch {
    return s;
  }
}
