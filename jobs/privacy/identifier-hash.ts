/**
 * Identifiers of erased people are kept only as salted SHA-256 hashes of a normal form (so a
 * phone written `+1 (555) 010-0199` and `555.010.0199` hash alike), enough to recognise a new
 * record of the same person and never enough to read the value back.
 */
export const HASHED_KINDS = [
  'email',
  'phone',
  'web_user_id',
  'loyalty_card',
  'national_id',
] as const;
export type HashedKind = (typeof HASHED_KINDS)[number];

/** SQL of the normal form of an identifier of `kind` written in `expr` (NULL when too short). */
export function normalSql(kind: HashedKind, expr: string): string {
  if (kind === 'phone') {
    const digits = `regexp_replace(CAST(${expr} AS VARCHAR), '[^0-9]', '', 'g')`;
    return `CASE WHEN length(${digits}) >= 7 THEN right(${digits}, 10) END`;
  }
  return `nullif(lower(trim(CAST(${expr} AS VARCHAR))), '')`;
}

/** SQL of the stored hash; `salt` is SQL too (the warehouse's salt from meta.privacy_salt). */
export function hashSql(kind: HashedKind, expr: string, salt: string): string {
  return `sha256(${salt} || ':${kind}:' || ${normalSql(kind, expr)})`;
}

export const SALT_SQL = '(SELECT salt FROM meta.privacy_salt LIMIT 1)';
