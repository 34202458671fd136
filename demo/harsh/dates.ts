import type { Rng } from '../rng.ts';
import { civilFromDays, daysFromCivil } from '../calendar.ts';

/**
 * Birth dates as the harsh noise model writes them: a day off (a date kept as a midnight
 * timestamp and shown in another time zone), day and month swapped (03/07 read the other way),
 * the year's last two digits swapped, and placeholders clerks type when the customer gives no
 * date — the same placeholder for thousands of strangers.
 */

/** 1900-01-01 and 1970-01-01: the placeholders real systems are full of. */
export const PLACEHOLDER_DAYS = { century: daysFromCivil(1900, 1, 1), epoch: 0 } as const;

export interface BirthOdds {
  readonly oneDayOff: number;
  readonly dayMonthSwapped: number;
  readonly yearDigitsSwapped: number;
  /** Chance a record without a birth date gets `placeholderDay` instead. */
  readonly placeholder: number;
  readonly placeholderDay: number;
}

export interface RoughBirth {
  /** Day the record holds; undefined when it still holds none. */
  readonly day: number | undefined;
  /** The tally key of what happened, if anything. */
  readonly slip: 'birth_date_one_day_off' | 'birth_date_day_month_swapped' | 'birth_date_year_digits_swapped' | 'birth_date_placeholder' | undefined;
}

/** What one record does to a birth date (missing or `birthDay`): mostly nothing. */
export function roughBirth(rng: Rng, birthDay: number, missing: boolean, odds: BirthOdds): RoughBirth {
  if (missing) return rng.chance(odds.placeholder) ? { day: odds.placeholderDay, slip: 'birth_date_placeholder' } : { day: undefined, slip: undefined };
  let r = rng.next();
  if (r < odds.oneDayOff) return { day: birthDay + (rng.chance(0.7) ? -1 : 1), slip: 'birth_date_one_day_off' };
  r -= odds.oneDayOff;
  const c = civilFromDays(birthDay);
  if (r < odds.dayMonthSwapped) {
    // Only dates that stay valid when read the other way round (a 25th cannot be a month).
    return c.d <= 12 && c.d !== c.m ? { day: daysFromCivil(c.y, c.d, c.m), slip: 'birth_date_day_month_swapped' } : { day: birthDay, slip: undefined };
  }
  r -= odds.dayMonthSwapped;
  if (r < odds.yearDigitsSwapped) {
    const y = Math.floor(c.y / 100) * 100 + (c.y % 10) * 10 + Math.floor((c.y % 100) / 10);
    const leapDay = c.m === 2 && c.d === 29;
    return y !== c.y && y >= 1920 && y <= 2008 && !leapDay ? { day: daysFromCivil(y, c.m, c.d), slip: 'birth_date_year_digits_swapped' } : { day: birthDay, slip: undefined };
  }
  return { day: birthDay, slip: undefined };
}
