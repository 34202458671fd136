import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Rng, STREAM } from '../rng.ts';
import { isoTs, nightDay } from '../calendar.ts';
import { emailTypo } from '../typos.ts';
import { EVENT_HORIZON } from '../people.ts';
import type { Person } from '../model.ts';
import type { DemoSystem, NightContext, SystemNight } from '../night.ts';
import { CsvFile } from '../sinks/csv-text.ts';
import { phoneCountry, typedPhone } from '../harsh/phones.ts';

/** The source and table the sign-ups are read as (cdw.yaml and truth.csv name them so). */
export const SIGNUPS_SOURCE = 'web_signups';
export const SIGNUPS_TABLE = 'signups';
export const SIGNUPS_PATH = (date: string) => `web/signups_${date}.csv`;
export const SIGNUP_COLUMNS = ['signup_id', 'site', 'form', 'email', 'phone', 'newsletter', 'created_at'] as const;

export type SignupForm = 'newsletter' | 'callback' | 'account';

export interface SignupPlan {
  readonly id: string;
  /** Night the sign-up reaches the export (1 for sign-ups made before the first night). */
  readonly night: number;
  readonly createdAt: number;
  /** The version of the site the form was on (the person's market): US or RU. */
  readonly site: 'US' | 'RU';
  readonly form: SignupForm;
  readonly email: string | null;
  readonly phone: string | null;
  readonly newsletter: boolean;
  /** Tally keys (`web.…`) of what the sign-up shows. */
  readonly problems: readonly string[];
}

function variantEmail(rng: Rng, email: string, count: (k: string) => void): string {
  const at = email.indexOf('@');
  const r = rng.next();
  if (r < 0.08) {
    count('signup_plus_address');
    return `${email.slice(0, at)}+${rng.pick(['shop', 'news', 'promo'])}${email.slice(at)}`;
  }
  if (r < 0.12) {
    count('signup_email_capitalised');
    return email.replace(/(^|[.@])([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  }
  if (r < 0.14) {
    count('signup_typo_email');
    return emailTypo(rng, email);
  }
  return email;
}

/**
 * A person's sign-up on the web shop (harsh noise only), or undefined: a newsletter form (an
 * e-mail), a callback request (a phone) or an account (both) — never a name — on the site of
 * the person's market. 15 % of persons
 * leave one, most before the first night, some on a later night. The e-mail is the person's own
 * (now and then with a +tag, capitals or a slip); the phone is typed as people type it, with or
 * without a country code, and is the foreign mobile for most who have one.
 */
export function planSignup(seed: number, p: Person): SignupPlan | undefined {
  const rng = Rng.of(seed, STREAM.signups, p.index);
  if (!rng.chance(0.15)) return undefined;
  const problems: string[] = [];
  const count = (k: string) => problems.push(`web.${k}`);
  const joined = p.household.createdNight;
  const night = rng.chance(joined === 1 ? 0.15 : 0.3) ? joined + rng.int(1, EVENT_HORIZON) : joined;
  const anchor = nightDay(1);
  const day = night === 1 ? anchor - 1 - rng.int(0, Math.max(0, anchor - 1 - p.since)) : nightDay(night);
  const createdAt = day * 86_400 + rng.int(7 * 3600, 23 * 3600);
  const form = rng.weighted<SignupForm>([['newsletter', 45], ['callback', 25], ['account', 30]]);
  count(form === 'newsletter' ? 'signup_email_only' : form === 'callback' ? 'signup_phone_only' : 'signup_email_and_phone');
  const email = form === 'callback' ? null : variantEmail(rng, p.email, count);
  let phone: string | null = null;
  if (form !== 'newsletter') {
    const foreign = p.foreignMobile !== undefined && rng.chance(0.7);
    const digits = foreign ? p.foreignMobile! : p.mobile;
    if (foreign) count('foreign_mobile');
    const typed = typedPhone(rng, digits);
    if (!typed.withCode && phoneCountry(digits) !== p.market) count('foreign_phone_without_country_code');
    phone = typed.text;
  }
  return { id: `S${String(p.index + 1).padStart(7, '0')}`, night, createdAt, site: p.market, form, email, phone, newsletter: form === 'newsletter' || rng.chance(0.4), problems };
}

/**
 * The web shop's sign-up export (harsh noise only): one CSV file per night with the sign-ups
 * made that day — forms that ask for an e-mail or a phone and no name. Every row is a party
 * record of an existing person and is in truth.csv.
 */
export function webSignupsSystem(): DemoSystem {
  return {
    name: SIGNUPS_SOURCE,
    async startNight(ctx: NightContext): Promise<SystemNight> {
      mkdirSync(path.join(ctx.dir, 'web'), { recursive: true });
      const file = ctx.outputs.add(new CsvFile(path.join(ctx.dir, SIGNUPS_PATH(ctx.date)), SIGNUP_COLUMNS));
      return {
        person(p: Person): void {
          const s = planSignup(ctx.seed, p);
          if (s === undefined || s.night !== ctx.night) return;
          for (const k of s.problems) ctx.tally.add(k);
          file.write([s.id, s.site, s.form, s.email, s.phone, s.newsletter, isoTs(s.createdAt)]);
          ctx.truth.add(SIGNUPS_SOURCE, SIGNUPS_TABLE, s.id, p);
        },
        async finish(): Promise<void> {
          ctx.written.set(SIGNUPS_PATH(ctx.date), file.rows);
        },
      };
    },
  };
}
