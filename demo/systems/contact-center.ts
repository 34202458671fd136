import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Person } from '../model.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import { CsvFile } from '../sinks/csv-text.ts';
import { TextFile } from '../sinks/text-file.ts';
import { CALL_COLUMNS, CallLog } from './calls.ts';
import { TicketLog } from './tickets.ts';

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
      return {
        person(p: Person): void {
          calls.person(ctx.seed, p, ctx.night);
          tickets.person(ctx.seed, p);
        },
        async finish(): Promise<void> {
          calls.strangers(ctx.seed, ctx.night, Math.max(2, Math.round(ctx.customers * 0.001)));
          calls.impossibleDate();
          ctx.badRows.push({ location: CC_PATHS.calls(ctx.date), at: `line ${calls.rows + 1}`, reason: 'impossible started_at (February 30)' });
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
