import { errorMessage } from '../foundation/errors.ts';

/**
 * The first line of a native error with quoted text blanked: DuckDB quotes the offending
 * value in conversion errors ("Could not convert string 'x'…"), and messages must never carry
 * row values.
 */
export function safeDetail(err: unknown): string {
  const line = errorMessage(err).split('\n')[0] ?? '';
  return line
    .replace(/'(?:[^']|'')*'/g, "'…'")
    .replace(/"(?:[^"]|"")*"/g, (m) => (m.length > 66 ? '"…"' : m));
}
