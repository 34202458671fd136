/**
 * How many people hold one identifier value, counted by their first names: records whose
 * names are compatible — the same name, a nickname of it (same name group), an initial of it,
 * or a typo away — are one holder; a record without a first name is no one in particular and
 * starts no holder of its own. "J. Perry", "James Perry" and "Jim Perry" hold a mailbox as one
 * person; "Anna Perry" and "James Perry" as two (a family mailbox).
 */
export interface HolderName {
  /** The first name as a comparison key (transliterated, lower case). */
  readonly first: string;
  /** Its name group (nicknames fold into one), or the name itself. */
  readonly given: string;
}

/** Whether two first names can be one person's. */
export function compatibleNames(a: HolderName, b: HolderName): boolean {
  if (a.first === b.first || a.given === b.given) return true;
  if (a.first.length === 1 || b.first.length === 1) return a.first[0] === b.first[0];
  const shorter = Math.min(a.first.length, b.first.length);
  return shorter >= 4 && editDistanceAtMostOne(a.first, b.first);
}

/**
 * The holders of one value: names are taken longest first (full names before initials), each
 * joining the first holder whose name it is compatible with, else starting a new one.
 */
export function countHolders(names: readonly HolderName[]): number {
  const sorted = [...names].sort(
    (x, y) => y.first.length - x.first.length || (x.first < y.first ? -1 : 1),
  );
  const heads: HolderName[] = [];
  for (const n of sorted) if (!heads.some((h) => compatibleNames(h, n))) heads.push(n);
  return heads.length;
}

/** Damerau–Levenshtein distance ≤ 1: one insertion, deletion, substitution or transposition. */
function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length || i === b.length) return Math.abs(a.length - b.length) <= 1;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
