import { Rng, STREAM } from '../rng.ts';
import { clfTs } from '../calendar.ts';
import { ACCOUNT_PAGES, ASSETS, BROWSERS, PAGES, REFERRERS_RU, REFERRERS_US, RU_IP_FIRST, US_IP_FIRST } from '../data/web.ts';
import type { Market } from '../model.ts';

export const SITE = 'https://www.demo-company.example';

/** One visitor's browser: its cookie, address and user agent. */
export interface Visitor {
  readonly cookie: string | undefined;
  readonly ip: string;
  readonly agent: string;
  readonly market: Market;
}

/** The visitor cookie of a person's device: stable across nights. */
export function visitorCookie(seed: number, personIndex: number, device: number): string {
  return Rng.of(seed, STREAM.cookie, personIndex, device).hex(16);
}

export function visitorIp(rng: Rng, market: Market): string {
  return `${rng.pick(market === 'US' ? US_IP_FIRST : RU_IP_FIRST)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function agentOf(seed: number, personIndex: number, device: number): string {
  return BROWSERS[Rng.of(seed, STREAM.cookie, personIndex, device, 1).int(0, BROWSERS.length - 1)]!;
}

/**
 * A combined-format access log line with the Cookie header appended (nginx:
 * `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
 * "$http_referer" "$http_user_agent" "$http_cookie"`).
 */
export function logLine(ip: string, user: string | undefined, t: number, method: string, url: string, status: number, bytes: number, referrer: string, agent: string, cookie: string | undefined): string {
  const c = cookie === undefined ? '-' : `_vid=${cookie}; lang=${cookie.charCodeAt(0) % 2 === 0 ? 'en' : 'ru'}`;
  return `${ip} - ${user ?? '-'} [${clfTs(t)}] "${method} ${url} HTTP/1.1" ${status} ${bytes} "${referrer}" "${agent}" "${c}"`;
}

/**
 * One browsing session: a landing page, a few more pages with their assets, and for a
 * registered customer sometimes a login (`/login?user=…`) after which the log's remote-user
 * field carries the user id.
 */
export function session(rng: Rng, v: Visitor, start: number, userId: string | undefined, write: (t: number, line: string) => void): number {
  let t = start;
  let referrer = rng.weighted(v.market === 'US' ? REFERRERS_US : REFERRERS_RU);
  let user: string | undefined;
  const pages = rng.int(1, 8);
  const loginAt = userId !== undefined ? rng.int(0, Math.max(0, pages - 1)) : -1;
  let hits = 0;
  for (let i = 0; i < pages; i++) {
    if (i === loginAt && userId !== undefined) {
      write(t, logLine(v.ip, undefined, t, 'GET', `/login?user=${userId}`, 302, 0, referrer, v.agent, v.cookie));
      user = userId;
      hits++;
      t += rng.int(1, 4);
    }
    const page = user !== undefined && rng.chance(0.5) ? rng.pick(ACCOUNT_PAGES) : rng.weighted(PAGES);
    const status = rng.chance(0.01) ? 404 : rng.chance(0.002) ? 500 : 200;
    write(t, logLine(v.ip, user, t, 'GET', page, status, rng.int(2_000, 60_000), referrer, v.agent, v.cookie));
    hits++;
    if (rng.chance(0.4)) {
      const asset = rng.pick(ASSETS);
      write(t + 1, logLine(v.ip, user, t + 1, 'GET', asset, rng.chance(0.5) ? 304 : 200, rng.int(300, 90_000), `${SITE}${page}`, v.agent, v.cookie));
      hits++;
    }
    referrer = `${SITE}${page}`;
    t += rng.int(5, 240);
  }
  return hits;
}
