import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { Rng, STREAM, uniformOf } from '../rng.ts';
import { BOT_PATHS, BOTS } from '../data/web.ts';
import type { Person } from '../model.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import { TextFile } from '../sinks/text-file.ts';
import { TimeSortedLog } from '../sinks/time-sorted-log.ts';
import { webUserId } from './erp-customers.ts';
import { agentOf, logLine, session, SITE, visitorCookie, visitorIp } from './web-session.ts';
import { echoesOf, liveCampaigns } from './campaign-echo.ts';

export const WEB_LOG = 'web/access.log';
/** The night before which the log is rotated (access.log → access.log.1), once. */
export const ROTATE_NIGHT = 2;

/**
 * The web site's access log: one file appended every night (rotated once), with customers'
 * sessions (cookie, logins), anonymous visitors, bots and a few broken lines.
 */
export function webSystem(): DemoSystem {
  return {
    name: 'web',
    async startNight(ctx: NightContext): Promise<SystemNight> {
      const file = path.join(ctx.dir, WEB_LOG);
      mkdirSync(path.dirname(file), { recursive: true });
      if (ctx.night === ROTATE_NIGHT && existsSync(file)) renameSync(file, `${file}.1`);
      const log = ctx.outputs.add(new TimeSortedLog(new TextFile(file, { append: ctx.night > 1 }), path.join(ctx.dir, '.tmp-web'), ctx.day * 86_400));
      let lines = 0;
      const write = (t: number, line: string) => {
        log.write(t, line);
        lines++;
      };
      const live = liveCampaigns(ctx.dir, ctx.night);
      return {
        person(p: Person): void {
          const registered = p.member.webUser && p.member.erpNight <= ctx.night;
          for (const { campaign, echo } of echoesOf(ctx.seed, live, p)) {
            if (echo.visitNight !== ctx.night) continue;
            // the e-mail's link: the offer's page, then (a registered customer) the login to claim it
            const rng = Rng.of(ctx.seed, STREAM.marketing, campaign.night, p.index, 3);
            const device = rng.int(0, p.devices - 1);
            const cookie = visitorCookie(ctx.seed, p.index, device);
            const ip = visitorIp(rng, p.market);
            const agent = agentOf(ctx.seed, p.index, device);
            const t = ctx.day * 86_400 + echo.visitSecond;
            const page = campaign.product === '' ? 'app' : campaign.product.replaceAll('_', '-');
            const landing = `/offers/${page}?utm_source=email&utm_campaign=${campaign.id}`;
            write(t, logLine(ip, undefined, t, 'GET', landing, 200, rng.int(8_000, 40_000), '-', agent, cookie));
            if (registered) {
              const user = webUserId(p);
              write(t + 20, logLine(ip, undefined, t + 20, 'GET', `/login?user=${user}`, 302, 0, `${SITE}${landing}`, agent, cookie));
              write(t + 24, logLine(ip, user, t + 24, 'GET', '/account/offers', 200, rng.int(4_000, 20_000), `${SITE}${landing}`, agent, cookie));
            }
            ctx.tally.add('web.campaign_visits');
          }
          if (uniformOf(ctx.seed, STREAM.webNight, p.index, ctx.night) >= (registered ? 0.12 : 0.03) * p.activity) return;
          const rng = Rng.of(ctx.seed, STREAM.webNight, p.index, ctx.night, 1);
          const sessions = rng.chance(0.15) ? 2 : 1;
          for (let s = 0; s < sessions; s++) {
            const device = rng.int(0, p.devices - 1);
            const cookie = rng.chance(0.05) ? undefined : visitorCookie(ctx.seed, p.index, device);
            const v = { cookie, ip: visitorIp(rng, p.market), agent: agentOf(ctx.seed, p.index, device), market: p.market };
            const start = ctx.day * 86_400 + rng.int(6 * 3600, 23 * 3600);
            const login = registered && rng.chance(0.6) ? webUserId(p) : undefined;
            const hits = session(rng, v, start, login, write);
            ctx.tally.add('web.customer_hits', hits);
            if (login !== undefined) ctx.tally.add('web.logins');
          }
        },
        async finish(): Promise<void> {
          const rng = Rng.of(ctx.seed, STREAM.webNoise, ctx.night);
          const strangers = Math.max(3, Math.round(ctx.customers * 0.01));
          for (let i = 0; i < strangers; i++) {
            const market = rng.chance(0.6) ? 'US' : 'RU';
            const v = { cookie: rng.hex(16), ip: visitorIp(rng, market), agent: agentOf(ctx.seed, -1 - i, rng.int(0, 5)), market } as const;
            ctx.tally.add('web.anonymous_hits', session(rng, v, ctx.day * 86_400 + rng.int(0, 23 * 3600), undefined, write));
          }
          const bots = Math.max(5, Math.round(ctx.customers * 0.02));
          for (let i = 0; i < bots; i++) {
            const [agent, octet] = rng.pick(BOTS);
            const url = rng.pick(BOT_PATHS);
            const t = ctx.day * 86_400 + rng.int(0, 86_399);
            const status = url === '/wp-login.php' || url === '/.env' ? 404 : 200;
            write(t, logLine(`${octet}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`, undefined, t, 'GET', url, status, rng.int(200, 40_000), '-', agent, undefined));
          }
          ctx.tally.add('web.bot_hits', bots);
          // Lines a real log has now and then: cut off mid-write, and stray output from a proxy.
          const valid = logLine('73.12.34.56', undefined, ctx.day * 86_400 + 43_210, 'GET', '/products/broadband', 200, 5120, '-', 'Mozilla/5.0', 'deadbeefdeadbeef');
          write(ctx.day * 86_400 + 43_210, valid.slice(0, 57));
          write(ctx.day * 86_400 + 50_000, 'upstream timed out (110: Connection timed out) while reading response header');
          write(ctx.day * 86_400 + 60_000, '');
          ctx.tally.add('web.broken_lines', 3);
          for (const reason of ['line cut off mid-write', 'not an access log line (proxy error text)', 'empty line']) {
            ctx.badRows.push({ location: WEB_LOG, at: 'appended tonight', reason });
          }
          ctx.written.set(WEB_LOG, lines);
        },
      };
    },
  };
}
