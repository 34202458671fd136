/**
 * The attributes of a customer profile, grouped. A group's columns always come from the same
 * source record (an address is never stitched from two records); survivorship rules are set per
 * group. This is the only list of profile attributes: golden record, history, hash and lineage
 * derive from it. The golden `full_name` is composed of the golden first, middle and last names
 * when there are any (`composedOf`), so it never shows a surname the profile no longer has.
 */

export type RuleName =
  'source_priority' | 'most_recent' | 'most_frequent' | 'longest' | 'non_empty';
export const RULE_NAMES: readonly RuleName[] = [
  'source_priority',
  'most_recent',
  'most_frequent',
  'longest',
  'non_empty',
];

/** One golden column: its name and the SQL expression over a staging party record `p`. */
export interface AttributeColumn {
  readonly name: string;
  readonly expr: string;
  /**
   * Golden columns this one is composed of when any is non-empty (joined by spaces); the
   * group's own value is the fallback. Its change follows theirs (no own change time) and it
   * has a lineage row only when it is not composed.
   */
  readonly composedOf?: readonly string[];
}

/** A survivorship unit. */
export interface AttributeGroup {
  readonly name: string;
  readonly columns: readonly AttributeColumn[];
  /** SQL over `p`: this record has a value for the group. */
  readonly present: string;
  /**
   * SQL over `p`: the normalised value. Rules choose a key (`most_frequent` counts keys); among
   * the records with the chosen key the one that gives the current golden values is kept, so
   * the same address or name written differently by another system is not a change.
   */
  readonly key: string;
  readonly defaultRule: readonly RuleName[];
}

const text = (col: string) => `nullif(trim(p.${col}), '')`;
const col = (name: string, expr = text(name)): AttributeColumn => ({ name, expr });

export const ATTRIBUTE_GROUPS: readonly AttributeGroup[] = [
  {
    // Given names: the most frequent form wins, so a nickname or a typo in one system does not.
    name: 'name',
    columns: [col('title'), col('first_name'), col('middle_name')],
    present: `${text('first_name')} IS NOT NULL`,
    key: `coalesce(p.first_key, lower(${text('first_name')}))`,
    defaultRule: ['most_frequent', 'most_recent'],
  },
  {
    // The name in one field, as given; the golden full_name is composed of the parts when there are any.
    name: 'full_name',
    columns: [
      {
        name: 'full_name',
        expr: text('full_name'),
        composedOf: ['first_name', 'middle_name', 'last_name'],
      },
    ],
    present: `${text('full_name')} IS NOT NULL`,
    key: `lower(${text('full_name')})`,
    defaultRule: ['most_recent'],
  },
  {
    // Family names change (marriage): the newest record is the one that knows.
    name: 'last_name',
    columns: [col('last_name')],
    present: `${text('last_name')} IS NOT NULL`,
    key: `coalesce(p.last_key, lower(${text('last_name')}))`,
    defaultRule: ['most_recent', 'most_frequent'],
  },
  single('company', ['most_frequent', 'most_recent']),
  {
    name: 'email',
    columns: [col('email', `coalesce(nullif(trim(p.email_norm), ''), lower(${text('email')}))`)],
    present: `${text('email')} IS NOT NULL`,
    key: `coalesce(p.email_key, lower(${text('email')}))`,
    defaultRule: ['source_priority', 'most_recent'],
  },
  {
    name: 'phone',
    columns: [col('phone', `coalesce(p.phone_e164, ${text('phone')})`)],
    present: `${text('phone')} IS NOT NULL`,
    key: `coalesce(p.phone_e164, ${text('phone')})`,
    defaultRule: ['most_recent'],
  },
  {
    name: 'mobile',
    columns: [col('mobile', `coalesce(p.mobile_e164, ${text('mobile')})`)],
    present: `${text('mobile')} IS NOT NULL`,
    key: `coalesce(p.mobile_e164, ${text('mobile')})`,
    defaultRule: ['most_recent'],
  },
  {
    name: 'address',
    columns: [
      col('address'),
      col('postcode'),
      col('city'),
      col('country', `coalesce(p.country_code, ${text('country')})`),
    ],
    present: `coalesce(${text('address')}, ${text('postcode')}, ${text('city')}) IS NOT NULL`,
    key: `coalesce(p.address_key, p.address_norm || '|' || coalesce(p.postcode_norm, ''), lower(${text('address')}), '')`,
    defaultRule: ['most_recent'],
  },
  {
    name: 'birth_date',
    columns: [col('birth_date', 'p.birth_date')],
    present: 'p.birth_date IS NOT NULL',
    key: 'CAST(p.birth_date AS VARCHAR)',
    defaultRule: ['most_frequent', 'source_priority'],
  },
  single('gender', ['most_frequent', 'most_recent']),
  {
    name: 'loyalty_card',
    columns: [col('loyalty_card')],
    present: `${text('loyalty_card')} IS NOT NULL`,
    key: `upper(regexp_replace(p.loyalty_card, '[^0-9A-Za-z]', '', 'g'))`,
    defaultRule: ['most_recent'],
  },
  single('web_user_id', ['most_recent']),
  flag('consent_email'),
  flag('consent_phone'),
  flag('consent_sms'),
];

/** Columns derived from all of a customer's records (not survivorship): tracked in history too. */
export const DERIVED_TRACKED = ['is_closed', 'is_deceased'] as const;

/** Every tracked history column in order: group columns, then derived flags. */
export function trackedColumns(): string[] {
  return [...ATTRIBUTE_GROUPS.flatMap((g) => g.columns.map((c) => c.name)), ...DERIVED_TRACKED];
}

function single(name: string, rule: readonly RuleName[]): AttributeGroup {
  return {
    name,
    columns: [col(name)],
    present: `${text(name)} IS NOT NULL`,
    key: `lower(${text(name)})`,
    defaultRule: rule,
  };
}

function flag(name: string): AttributeGroup {
  return {
    name,
    columns: [col(name, `p.${name}`)],
    present: `p.${name} IS NOT NULL`,
    key: `CAST(p.${name} AS VARCHAR)`,
    defaultRule: ['most_recent'],
  };
}

/** Columns composed of others, with the groups their parts come from. */
export function composedColumns(): {
  column: AttributeColumn;
  group: AttributeGroup;
  partGroups: string[];
}[] {
  const groupOf = new Map(
    ATTRIBUTE_GROUPS.flatMap((g) => g.columns.map((c) => [c.name, g.name] as const)),
  );
  return ATTRIBUTE_GROUPS.flatMap((group) =>
    group.columns
      .filter((c) => c.composedOf !== undefined)
      .map((column) => ({
        column,
        group,
        partGroups: [...new Set((column.composedOf ?? []).map((n) => groupOf.get(n)!))],
      })),
  );
}
