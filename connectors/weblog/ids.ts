import type { IdSource } from './options.ts';

/** Fields a Cookie header may be logged in. */
const COOKIE_FIELDS = ['http_cookie', 'cookie'];

/**
 * Picks a visitor cookie or user id out of a parsed log line: a cookie of the logged Cookie
 * header, a parameter of the requested URL (percent-decoded), or a field as logged.
 */
export function idReader(src: IdSource | undefined, fields: readonly string[]): ((values: readonly (string | null)[], url: string | null) => string | null) | undefined {
  if (src === undefined) return undefined;
  if ('field' in src) {
    const i = fields.indexOf(src.field);
    if (i < 0) throw new Error(`field ${src.field} is not in the log format (fields: ${fields.join(', ')})`);
    return (values) => values[i] ?? null;
  }
  if ('cookie' in src) {
    const i = fields.findIndex((f) => COOKIE_FIELDS.includes(f));
    if (i < 0) throw new Error(`cookie ${src.cookie} needs the Cookie header in the log format ($http_cookie)`);
    return (values) => cookieValue(values[i] ?? null, src.cookie);
  }
  return (_values, url) => queryValue(url, src.query);
}

export function cookieValue(header: string | null, name: string): string | null {
  if (header === null) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v === '' ? null : v;
    }
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
