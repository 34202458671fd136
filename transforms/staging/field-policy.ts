import type { EntityName } from '../../foundation/entities.ts';

/**
 * What happens to a value that cannot be typed. The default (a field not listed) is
 * "flag": the row is kept, the field is NULL and the value is recorded in
 * `meta.rejected_rows` with stage `staging_value`. Listed fields are stricter:
 * - `required`: missing or untypable rejects the row (stage `staging`);
 * - `strict`: empty is NULL, but a present value that cannot be typed rejects the row —
 *   money and quantities, where a silent NULL would change sums.
 */
export type FieldRule = 'required' | 'strict';

export const FIELD_RULES: Readonly<Record<EntityName, Readonly<Record<string, FieldRule>>>> = {
  party: { record_key: 'required' },
  transaction: {
    record_key: 'required',
    occurred_at: 'required',
    amount: 'strict',
    cost: 'strict',
    quantity: 'strict',
  },
  interaction: { record_key: 'required', opened_at: 'required' },
  web_hit: { record_key: 'required', occurred_at: 'required' },
  campaign: { record_key: 'required', cost: 'strict' },
  campaign_contact: {
    record_key: 'required',
    campaign_key: 'required',
    sent_at: 'required',
    cost: 'strict',
  },
};

/** A value outside a plausible range is treated like an untypable one (NULL and flagged). */
export interface FieldRange {
  /** SQL bounds, inclusive; may use `$birth_date_min_year`. */
  readonly min: string;
  readonly max: string;
  readonly reason: string;
}

export const FIELD_RANGES: Readonly<
  Partial<Record<EntityName, Readonly<Record<string, FieldRange>>>>
> = {
  party: {
    birth_date: {
      min: 'make_date(CAST($birth_date_min_year AS INTEGER), 1, 1)',
      max: 'current_date',
      reason: 'impossible birth date (before transforms.birth_date_min_year or in the future)',
    },
  },
};

export function fieldRule(entity: EntityName, field: string): FieldRule | undefined {
  return FIELD_RULES[entity][field];
}
