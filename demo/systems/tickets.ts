import { Rng, STREAM, uniformOf } from '../rng.ts';
import { isoT, nightDay, yyyymmdd } from '../calendar.ts';
import { emailTypo } from '../typos.ts';
import { NEVER, type Person } from '../model.ts';
import type { TextFile } from '../sinks/text-file.ts';

const CATEGORIES: readonly (readonly [string, number])[] = [
  ['complaint', 20], ['billing', 25], ['technical', 25], ['delivery', 10], ['cancellation', 5], ['general', 15],
];
const SUBJECTS: Readonly<Record<string, string>> = {
  complaint: 'Complaint about service', billing: 'Question about my bill', technical: 'Internet keeps dropping',
  delivery: 'Where is my order?', cancellation: 'Please cancel my plan', general: 'General question',
};
/** Tickets are resolved within this many nights (or stay open); later nights look back this far. */
const WINDOW = 5;

interface Ticket {
  readonly id: string;
  readonly email: string;
  readonly channel: string;
  readonly category: string;
  readonly openedAt: number;
  readonly resolveNight: number;
  readonly resolvedAt: number;
}

/**
 * Help-desk tickets (e-mail and chat) as JSON lines, one file per night. A ticket appears on
 * the night it was opened and again on the night it was resolved. Ticket numbers count the
 * day's tickets in pass order, so every night replays the last few nights for every customer.
 */
export class TicketLog {
  private readonly counters = new Map<number, number>();
  rows = 0;

  constructor(
    private readonly night: number,
    private readonly file: TextFile,
  ) {}

  private ticket(rng: Rng, night: number, email: string): Ticket {
    const day = nightDay(night);
    const seq = (this.counters.get(night) ?? 0) + 1;
    this.counters.set(night, seq);
    const openedAt = day * 86_400 + rng.int(6 * 3600, 23 * 3600);
    const after = rng.weighted<number>([[0, 35], [1, 25], [2, 15], [3, 6], [4, 5], [5, 4], [NEVER, 10]]);
    const resolveNight = night + after;
    const resolvedAt = after === 0 ? openedAt + rng.int(600, 3 * 3600) : nightDay(resolveNight) * 86_400 + rng.int(8 * 3600, 20 * 3600);
    return {
      id: `T-${yyyymmdd(day)}-${String(seq).padStart(5, '0')}`, email,
      channel: rng.chance(0.6) ? 'email' : 'chat', category: rng.weighted(CATEGORIES), openedAt, resolveNight, resolvedAt,
    };
  }

  private write(t: Ticket): void {
    const resolved = this.night >= t.resolveNight;
    const updated = resolved ? Math.max(t.resolvedAt, t.openedAt) : t.openedAt;
    this.file.write(
      `${JSON.stringify({
        ticket_id: t.id, email: t.email, channel: t.channel, category: t.category, subject: SUBJECTS[t.category],
        status: resolved ? 'resolved' : 'open', opened_at: isoT(t.openedAt, 'Z'), resolved_at: resolved ? isoT(t.resolvedAt, 'Z') : null,
        updated_at: isoT(updated, 'Z'),
      })}\n`,
    );
    this.rows++;
  }

  person(seed: number, p: Person): void {
    for (let j = Math.max(1, this.night - WINDOW); j <= this.night; j++) {
      if (uniformOf(seed, STREAM.tickets, p.index, j) >= 0.002 * p.activity) continue;
      const rng = Rng.of(seed, STREAM.tickets, p.index, j, 1);
      const email = rng.chance(0.94) ? p.email : emailTypo(rng, p.email);
      const t = this.ticket(rng, j, email);
      if (j === this.night || t.resolveNight === this.night) this.write(t);
    }
  }

  /** Tickets from addresses that are no customer's, resolved the same day. */
  strangers(seed: number, count: number): void {
    const rng = Rng.of(seed, STREAM.tickets, -1, this.night);
    for (let i = 0; i < count; i++) {
      const t = this.ticket(rng, this.night, `visitor${rng.digits(6)}@${rng.pick(['gmail.com', 'yahoo.com', 'mail.ru'])}`);
      this.write({ ...t, resolveNight: this.night, resolvedAt: t.openedAt + 1800 });
    }
  }

  /** A line cut off mid-write. */
  truncated(): void {
    this.file.write(`{"ticket_id":"T-${yyyymmdd(nightDay(this.night))}-99999","email":"unknown@exa\n`);
    this.rows++;
  }
}
