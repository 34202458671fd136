import { ENTITIES, type FieldSpec, type PersonalKind } from './entities.ts';
import { InternalError } from './errors.ts';

/**
 * Personal columns of the warehouse, declared once: the canonical fields marked `personal` in
 * entities.ts, and the columns the layers derive from them (normalised forms, match keys,
 * name parts), each with the field it comes from. A column of staging, identity, core, marts or
 * public with one of these names holds personal data; erasure clears it in the rows of the
 * erased person, masking hides it from analysts without the `pii` grant.
 */
const DERIVED: Readonly<Record<string, string>> = {
  // staging.party_records / identity.records: normalised forms and match keys
  email_norm: 'email',
  email_key: 'email',
  email_head: 'email',
  email_tail: 'email',
  email_user: 'email',
  email_local: 'email',
  phone_e164: 'phone',
  mobile_e164: 'phone',
  phone_heads: 'phone',
  phone_tails: 'phone',
  phones: 'phone',
  first_key: 'first_name',
  middle_key: 'middle_name',
  last_key: 'last_name',
  given_key: 'first_name',
  names_key: 'full_name',
  first_initial: 'first_name',
  last_initial: 'last_name',
  first_sk: 'first_name',
  last_sk: 'last_name',
  surname_stem: 'last_name',
  last_given: 'full_name',
  name_suffix: 'full_name',
  contact_first_key: 'first_name',
  contact_given_key: 'first_name',
  contact_last_key: 'last_name',
  member_name: 'full_name',
  household_members: 'full_name', // customer_360: the other members, with their names
  address_key: 'address',
  address_norm: 'address',
  postcode_norm: 'postcode',
  postcode_area: 'postcode',
  birth_str: 'birth_date',
  birth_year: 'birth_date',
  national_id_key: 'national_id',
  // a record's free-form extra fields (`attributes.<name>` in a mapping)
  attributes: 'external_ref',
  // a column named only `name` is personal in these relations (elsewhere it names a segment, a
  // check, a source): `relation.column`
  'customer_records.name': 'full_name',
};

function canonicalPersonal(): Map<string, PersonalKind> {
  const out = new Map<string, PersonalKind>();
  for (const fields of Object.values(ENTITIES))
    for (const [field, spec] of Object.entries(fields as Record<string, FieldSpec>))
      if (spec.personal !== undefined && !out.has(field)) out.set(field, spec.personal);
  return out;
}

function allPersonal(): Map<string, PersonalKind> {
  const out = canonicalPersonal();
  for (const [column, field] of Object.entries(DERIVED)) {
    const kind = out.get(field);
    if (kind === undefined)
      throw new InternalError(
        `personal-data: ${column} derives from ${field}, which is not personal`,
      );
    out.set(column, kind);
  }
  return out;
}

/** column name → kind of personal data, for every personal column of every layer. */
export const PERSONAL_COLUMNS: ReadonlyMap<string, PersonalKind> = allPersonal();

/**
 * The kind of personal data a column holds (by its name, or `relation.column` for a generic
 * name), or undefined when it is not personal.
 */
export function personalKind(column: string, relation?: string): PersonalKind | undefined {
  const c = column.toLowerCase();
  return (
    PERSONAL_COLUMNS.get(c) ??
    (relation === undefined ? undefined : PERSONAL_COLUMNS.get(`${relation.toLowerCase()}.${c}`))
  );
}

/** Whether a canonical field of an entity is personal. */
export function isPersonalField(entity: keyof typeof ENTITIES, field: string): boolean {
  return (ENTITIES[entity] as Record<string, FieldSpec>)[field]?.personal !== undefined;
}
