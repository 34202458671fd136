import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { isoT, nightDay } from '../calendar.ts';
import type { Person } from '../model.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import { CsvFile } from '../sinks/csv-text.ts';
import { campaignPart, demoCampaigns, type DemoCampaign } from './marketing-plan.ts';
import { readCampaignList } from '../marketing-lists.ts';

export const MARKETING_PATHS = {
  campaigns: (date: string) => `marketing/campaigns_${date}.csv`,
  sends: (date: string) => `marketing/sends_${date}.csv`,
  orders: (date: string) => `marketing/orders_${date}.csv`,
};

const CAMPAIGN_COLUMNS = ['campaign_id', 'name', 'channel', 'product', 'variants', 'budget', 'currency', 'starts_at', 'ends_at', 'updated_at'];
const SEND_COLUMNS = ['send_id', 'campaign_id', 'variant', 'region', 'segment', 'holdout', 'email', 'phone', 'card_no', 'cost', 'sent_at', 'delivered_at', 'opened_at', 'clicked_at', 'bounced_at', 'unsubscribed_at', 'complained_at', 'updated_at'];
const ORDER_COLUMNS = ['order_id', 'campaign_id', 'email', 'product', 'amount', 'currency', 'ordered_at'];
/** Cost of one e-mail. */
const SEND_COST = 0.05;

/**
 * The marketing database: each campaign's row and its sends on the night it goes out, and the
 * orders of the campaign's product placed on the shop's landing pages (by recipients, by the
 * control group, by anyone the offer reached) on the nights they are placed. Who is on a list
 * and how they answer is `marketing-plan.ts`; the other systems' files do not change.
 */
export function marketingSystem(): DemoSystem {
  return {
    name: 'marketing',
    async startNight(ctx: NightContext): Promise<SystemNight> {
      mkdirSync(path.join(ctx.dir, 'marketing'), { recursive: true });
      const campaigns = demoCampaigns(ctx.night);
      const live = campaigns.filter((c) => c.night === ctx.night || c.night === ctx.night - 1);
      // the list cdw produced the night before each campaign, when `cdw demo` ran it
      const lists = new Map(live.map((c) => [c.id, readCampaignList(ctx.dir, c.night - 1)]));
      for (const c of live) if (c.night === ctx.night && lists.get(c.id) !== undefined) ctx.tally.add('marketing.sent_to_cdw_list');
      const campaignFile = ctx.outputs.add(new CsvFile(path.join(ctx.dir, MARKETING_PATHS.campaigns(ctx.date)), CAMPAIGN_COLUMNS));
      const sends = ctx.outputs.add(new CsvFile(path.join(ctx.dir, MARKETING_PATHS.sends(ctx.date)), SEND_COLUMNS));
      const orders = ctx.outputs.add(new CsvFile(path.join(ctx.dir, MARKETING_PATHS.orders(ctx.date)), ORDER_COLUMNS));
      const day = nightDay(ctx.night);
      for (const c of live.filter((x) => x.night === ctx.night)) {
        const start = day * 86_400 + 9 * 3600;
        campaignFile.write([c.id, c.name, 'email', c.product === '' ? null : c.product, 'A|B', null, 'USD', isoT(start, 'Z'), isoT(start + 14 * 86_400, 'Z'), isoT(start - 3600, 'Z')]);
      }
      return {
        person(p: Person): void {
          for (const c of live) {
            const part = campaignPart(ctx.seed, c, p, lists.get(c.id));
            if (part === undefined) continue;
            if (c.night === ctx.night) writeSend(c, p, part);
            // a campaign without a product has no landing shop: its answers are visits and calls
            if (part.buyNight === ctx.night && c.product !== '') {
              orders.write([`O-${c.id}-${p.id}`, part.control ? null : c.id, p.email, c.product, c.price, 'USD', isoT(day * 86_400 + part.buySecond, 'Z')]);
              ctx.tally.add(`marketing.${part.control ? 'control_orders' : 'orders'}`);
            }
          }
        },
        async finish(): Promise<void> {
          ctx.written.set(MARKETING_PATHS.campaigns(ctx.date), campaignFile.rows);
          ctx.written.set(MARKETING_PATHS.sends(ctx.date), sends.rows);
          ctx.written.set(MARKETING_PATHS.orders(ctx.date), orders.rows);
        },
      };

      function writeSend(c: DemoCampaign, p: Person, part: NonNullable<ReturnType<typeof campaignPart>>): void {
        const t = day * 86_400 + part.sendSecond;
        const ts = (offset: number) => isoT(t + offset, 'Z');
        const delivered = !part.control && !part.bounced;
        sends.write([
          `${c.id}-${p.id}`, c.id, part.control ? null : part.variant, part.region, 'customers', part.control ? 'Y' : 'N', p.email, null, null,
          part.control ? null : SEND_COST, ts(0), delivered ? ts(60) : null, part.opened ? ts(3600) : null, part.opened && part.buyNight !== Number.POSITIVE_INFINITY ? ts(3700) : null,
          part.bounced ? ts(120) : null, part.unsubscribed ? ts(7200) : null, part.complained ? ts(7300) : null, ts(7400),
        ]);
        ctx.tally.add(`marketing.${part.control ? 'holdout' : 'sends'}`);
        if (part.unsubscribed) ctx.tally.add('marketing.unsubscribes');
        if (part.complained) ctx.tally.add('marketing.complaints');
      }
    },
  };
}
