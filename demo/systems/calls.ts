import { Rng, STREAM, uniformOf } from '../rng.ts';
import { isoT, yyyymmdd } from '../calendar.ts';
import { formatPhone, ruMobile, usNumber, type PhoneStyle } from '../phones.ts';
import { type Market, type Person } from '../model.ts';
import type { CsvFile } from '../sinks/csv-text.ts';

export const CALL_COLUMNS = ['call_id', 'caller', 'queue', 'direction', 'started_at', 'duration_s', 'abandoned', 'category', 'agent_id'];

const CATEGORIES: readonly (readonly [string, number])[] = [
  ['complaint', 12], ['billing_question', 25], ['technical_issue', 25], ['cancellation_request', 5], ['new_sale', 10], ['other', 10],
];
const QUEUE: Readonly<Record<string, string>> = {
  complaint: 'retention', billing_question: 'billing', technical_issue: 'support', cancellation_request: 'retention',
  new_sale: 'sales', offer_question: 'sales', address_change: 'billing', name_change: 'billing', other: 'general', retention_offer: 'retention',
};

/** The contact centre's call records for one night: caller numbers as the switch saw them. */
export class CallLog {
  private seq = 0;

  constructor(
    private readonly day: number,
    private readonly file: CsvFile,
  ) {}

  get rows(): number {
    return this.file.rows;
  }

  /** How the switch writes a caller's number: varies by carrier and route. */
  caller(rng: Rng, digits: string, market: Market): string {
    const style = rng.weighted<PhoneStyle>(market === 'US' ? [['intl', 30], ['digits', 30], ['national', 25], ['e164', 15]] : [['intl', 40], ['e164', 40], ['dotted', 20]]);
    return formatPhone(digits, style);
  }

  call(rng: Rng, caller: string, category: string | undefined): void {
    const outbound = category === undefined && rng.chance(0.12);
    const cat = category ?? (outbound ? rng.pick(['new_sale', 'retention_offer']) : rng.weighted(CATEGORIES));
    const abandoned = !outbound && rng.chance(0.08);
    const t = this.day * 86_400 + rng.int(8 * 3600, 20 * 3600);
    this.seq++;
    this.file.write([
      `CALL-${yyyymmdd(this.day)}-${String(this.seq).padStart(5, '0')}`, caller, QUEUE[cat] ?? 'general', outbound ? 'outbound' : 'inbound',
      isoT(t), abandoned ? rng.int(5, 90) : rng.int(40, 1800), abandoned ? 'Y' : 'N', abandoned ? null : cat, abandoned ? null : `A${rng.int(101, 160)}`,
    ]);
  }

  /** A customer's calls tonight: now and then, and almost surely after a move, marriage or closure. */
  person(seed: number, p: Person, night: number): void {
    const u = uniformOf(seed, STREAM.calls, p.index, night);
    let reason: string | undefined;
    if (night === p.household.moveNight && (p.role === 'mover' || u < 0.6)) reason = 'address_change';
    else if (night === p.marryNight && (p.role === 'marriage' || u < 0.4)) reason = 'name_change';
    else if (night === p.closeNight && u < 0.7) reason = 'cancellation_request';
    if (reason === undefined && u >= 0.004 * p.activity) return;
    const rng = Rng.of(seed, STREAM.calls, p.index, night, 1);
    const withheld = rng.chance(0.04);
    const landline = p.household.landline !== undefined && rng.chance(0.25);
    const caller = withheld ? 'anonymous' : this.caller(rng, landline ? p.household.landline : p.mobile, p.market);
    this.call(rng, caller, reason);
  }

  /**
   * A call a campaign brought, at wall-clock second `t`: the recipient asks about the offer from
   * their mobile (numbers shown, so the switch writes it), or gives up in the queue.
   */
  campaignCall(rng: Rng, caller: string, t: number, abandoned: boolean): void {
    this.seq++;
    this.file.write([
      `CALL-${yyyymmdd(this.day)}-${String(this.seq).padStart(5, '0')}`, caller, QUEUE.offer_question!, 'inbound',
      isoT(t), abandoned ? rng.int(20, 300) : rng.int(60, 900), abandoned ? 'Y' : 'N', abandoned ? null : 'offer_question', abandoned ? null : `A${rng.int(101, 160)}`,
    ]);
  }

  /** Calls from numbers that are no customer's. */
  strangers(seed: number, night: number, count: number): void {
    const rng = Rng.of(seed, STREAM.callsNoise, night);
    for (let i = 0; i < count; i++) {
      const market: Market = rng.chance(0.6) ? 'US' : 'RU';
      const digits = market === 'US' ? usNumber(rng, rng.pick(['212', '415', '617', '312'])) : ruMobile(rng);
      this.call(rng, this.caller(rng, digits, market), undefined);
    }
  }

  /** A record whose timestamp names a day that does not exist. */
  impossibleDate(): void {
    this.seq++;
    const y = yyyymmdd(this.day).slice(0, 4);
    this.file.write([`CALL-${yyyymmdd(this.day)}-${String(this.seq).padStart(5, '0')}`, '+1 212-734-0190', 'general', 'inbound', `${y}-02-30T11:00:00`, 60, 'N', 'other', 'A101']);
  }
}

