import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Rng, STREAM, uniformOf } from '../rng.ts';
import { ruTs, yyyymmdd } from '../calendar.ts';
import type { Person } from '../model.ts';
import { FIRST_ORDINARY_PERSON } from '../scenarios.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import { CsvFile } from '../sinks/csv-text.ts';
import { CARD_COLUMNS, cardRow, planCard } from './pos-cards.ts';
import { PosSales, RU_SALES_COLUMNS, US_SALES_COLUMNS } from './pos-sales.ts';

/** The Russian chain's files: semicolons, Windows-1251, CRLF — as its tills export them. */
export const RU_FILE = { delimiter: ';', encoding: 'win1251', eol: '\r\n' } as const;

export const POS_PATHS = {
  cards: 'pos/loyalty_cards.csv',
  ruSales: (date: string) => `pos/sales_${date}.csv`,
  usSales: (date: string) => `pos/us/sales_${date}.csv`,
};

/**
 * POS: the loyalty card list (rewritten whole every night) and the till receipts of two
 * store chains, one file per chain per night.
 */
export function posSystem(): DemoSystem {
  return {
    name: 'pos',
    async startNight(ctx: NightContext): Promise<SystemNight> {
      mkdirSync(path.join(ctx.dir, 'pos', 'us'), { recursive: true });
      const cards = ctx.outputs.add(new CsvFile(path.join(ctx.dir, POS_PATHS.cards), CARD_COLUMNS, RU_FILE));
      const ru = ctx.outputs.add(new CsvFile(path.join(ctx.dir, POS_PATHS.ruSales(ctx.date)), RU_SALES_COLUMNS, RU_FILE));
      const us = ctx.outputs.add(new CsvFile(path.join(ctx.dir, POS_PATHS.usSales(ctx.date)), US_SALES_COLUMNS));
      const sales = new PosSales(ctx.day, ru, us);
      let badCardPending = true;
      return {
        person(p: Person): void {
          if (p.member.pos === 0 || p.member.posNight > ctx.night) return;
          let active = '';
          for (let slot = 0; slot < p.member.pos; slot++) {
            const created = p.member.posNight === ctx.night;
            const c = planCard(ctx.seed, p, slot, created ? ctx.tally : undefined, ctx.noise);
            // The same card carries the impossible date every night: the list is a full snapshot.
            const bad = badCardPending && c.createdNight === 1 && p.index >= FIRST_ORDINARY_PERSON && !c.birthMissing;
            if (bad) {
              badCardPending = false;
              if (ctx.night === 1) ctx.badRows.push({ location: POS_PATHS.cards, at: `line ${cards.rows + 2}`, reason: 'impossible birth_date 30.02' });
            }
            cards.write(cardRow(c, p, ctx.night, bad));
            if (created) ctx.truth.add('pos', 'loyalty_cards', c.no, p);
            active = c.no;
          }
          if (uniformOf(ctx.seed, STREAM.posNight, p.index, ctx.night) < 0.06 * p.activity) {
            const rng = Rng.of(ctx.seed, STREAM.posNight, p.index, ctx.night, 1);
            const visits = rng.chance(0.1) ? 2 : 1;
            for (let i = 0; i < visits; i++) sales.sale(rng, p.market, rng.chance(0.92) ? active : null);
          }
        },
        async finish(): Promise<void> {
          sales.anonymous(ctx.seed, ctx.night, Math.max(2, Math.round(ctx.customers * 0.012)));
          // A till that dropped two fields: one column count error per night.
          ru.writeRaw(`МСК-01-${yyyymmdd(ctx.day)}-90001;МСК-01;3;${ruTs(ctx.day * 86_400 + 13 * 3600 + 7)};1499,00;RUB;2`);
          ctx.badRows.push({ location: POS_PATHS.ruSales(ctx.date), at: `line ${ru.rows + 1}`, reason: 'wrong column count (7 of 9)' });
          ctx.written.set(POS_PATHS.cards, cards.rows);
          ctx.written.set(POS_PATHS.ruSales(ctx.date), ru.rows);
          ctx.written.set(POS_PATHS.usSales(ctx.date), us.rows);
        },
      };
    },
  };
}
