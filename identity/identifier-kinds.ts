/**
 * Strong identifiers that link records deterministically, as data. Each kind names the
 * `identity.records` columns holding its values and the default shared-identifier limit:
 * a value held by more distinct people (counted as distinct given names) is not used to link
 * on its own. `xref` is the explicit cross-reference (`external_ref` → another record's key).
 */
export interface IdentifierKind {
  readonly name: string;
  /** Columns of identity.records holding values of this kind (NULL when absent). */
  readonly columns: readonly string[];
  readonly defaultLimit: number;
  /**
   * Whether a link on it also needs the first names not to disagree: shared e-mails and
   * household landlines must not merge spouses; a loyalty card or web login may be shared too.
   */
  readonly needsNameAgreement: boolean;
}

export const IDENTIFIER_KINDS: readonly IdentifierKind[] = [
  { name: 'email', columns: ['email_key'], defaultLimit: 3, needsNameAgreement: true },
  {
    name: 'phone',
    columns: ['phone_e164', 'mobile_e164'],
    defaultLimit: 4,
    needsNameAgreement: true,
  },
  { name: 'loyalty_card', columns: ['loyalty_card'], defaultLimit: 2, needsNameAgreement: true },
  { name: 'web_user_id', columns: ['web_user_id'], defaultLimit: 2, needsNameAgreement: true },
  // one person's number: a value two people hold is a data error, and links nothing
  {
    name: 'national_id',
    columns: ['national_id_key'],
    defaultLimit: 1,
    needsNameAgreement: true,
  },
];

/** The explicit cross-reference kind (external_ref + external_ref_source → party_uid). */
export const XREF_KIND = 'xref';

/** Every deterministic link kind and whether its links need the first names not to disagree. */
export const DETERMINISTIC_KINDS: readonly Pick<IdentifierKind, 'name' | 'needsNameAgreement'>[] = [
  ...IDENTIFIER_KINDS,
  // an explicit cross-reference is a statement of a source system, not a coincidence of values
  { name: XREF_KIND, needsNameAgreement: false },
];

export const DETERMINISTIC_KIND_NAMES: readonly string[] = DETERMINISTIC_KINDS.map((k) => k.name);
