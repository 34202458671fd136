/**
 * Aligned plain-text table for terminals: numbers right-aligned, NULL shown as empty. `align`
 * says it per column instead (for cells already rendered as text).
 */
export function formatTable(
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  opts: { align?: readonly ('left' | 'right')[] } = {},
): string {
  const cells = rows.map((r) => r.map(cellText));
  const numeric = columns.map(
    (_, i) =>
      opts.align?.[i] === 'right' ||
      (opts.align === undefined &&
        rows.length > 0 &&
        rows.every(
          (r) =>
            r[i] === null ||
            r[i] === undefined ||
            typeof r[i] === 'number' ||
            typeof r[i] === 'bigint',
        )),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const pad = (s: string, i: number) =>
    numeric[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!);
  const out = [
    columns
      .map((c, i) => pad(c, i))
      .join('  ')
      .trimEnd(),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map((r) =>
      r
        .map((c, i) => pad(c, i))
        .join('  ')
        .trimEnd(),
    ),
  ];
  return out.join('\n');
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date)
    return v
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2);
  if (typeof v === 'object')
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v).replace(/\s+/g, ' ');
}

/** `1204 customers`: what a unit recomputed because it changed; empty when it does not say. */
export function touchedText(
  count: number | bigint | null | undefined,
  what: string | null | undefined,
): string {
  return count === null || count === undefined ? '' : `${count} ${what ?? ''}`.trim();
}
