import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { wallClockIn } from '../calendar.ts';
import type { Person } from '../model.ts';
import { Rng, STREAM } from '../rng.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import { CsvFile } from '../sinks/csv-text.ts';
import { TextFile } from '../sinks/text-file.ts';
import { CALL_COLUMNS, CallLog } from './calls.ts';
import { TicketLog } from './tickets.ts';
import { echoesOf, liveCampaigns } from './campaign-echo.ts';

/** The switch writes local time: the zone cdw.yaml declares for the source (config-yaml.ts). */
const SWITCH_ZONE = 'America/New_York';

export const CC_PATHS = {
  calls: (date: string) => `contact_center/calls_${date}.csv`,
  tickets: (date: string) => `contact_center/tickets_${date}.jsonl`,
};

/** Contact centre: the phone switch's call records and the help desk's tickets, one file each per night. */
export function contactCenterSystem(): DemoSystem {
  return {
    name: 'contact_center',
    async startNight(ctx: NightContext): Promise<SystemNight> {
      mkdirSync(path.join(ctx.dir, 'contact_center'), { recursive: true });
      const calls = new CallLog(ctx.day, ctx.outputs.add(new CsvFile(path.join(ctx.dir, CC_PATHS.calls(ctx.date)), CALL_COLUMNS)));
      const tickets = new TicketLog(ctx.night, ctx.outputs.add(new TextFile(path.join(ctx.dir, CC_PATHS.tickets(ctx.date)))));
      const live = liveCampaigns(ctx.dir, ctx.night);
      // calls the campaigns brought, written after every other call so no call's id moves
      const campaignCalls: (() => void)[] = [];
      return {
        person(p: Person): void {
          calls.person(ctx.seed, p, ctx.night);
          tickets.person(ctx.seed, p);
          for (const { campaign, echo } of echoesOf(ctx.seed, live, p)) {
            if (echo.callNight !== ctx.night) continue;
            campaignCalls.push(() => {
              const rng = Rng.of(ctx.seed, STREAM.marketing, campaign.night, p.index, 2);
              calls.campaignCall(rng, calls.caller(rng, p.mobile, p.market), wallClockIn(ctx.day * 86_400 + echo.callSecond, SWITCH_ZONE), echo.callAbandoned);
            });
            ctx.tally.add('contact_center.campaign_calls');
          }
        },
        async finish(): Promise<void> {
          calls.strangers(ctx.seed, ctx.night, Math.max(2, Math.round(ctx.customers * 0.001)));
          calls.impossibleDate();
          ctx.badRows.push({ location: CC_PATHS.calls(ctx.date), at: `line ${calls.rows + 1}`, reason: 'impossible started_at (February 30)' });
          for (const write of campaignCalls) write();
          tickets.strangers(ctx.seed, Math.max(1, Math.round(ctx.customers * 0.0005)));
          tickets.truncated();
          ctx.badRows.push({ location: CC_PATHS.tickets(ctx.date), at: `line ${tickets.rows}`, reason: 'JSON cut off mid-line' });
          ctx.written.set(CC_PATHS.calls(ctx.date), calls.rows);
          ctx.written.set(CC_PATHS.tickets(ctx.date), tickets.rows);
        },
      };
    },
  };
}
