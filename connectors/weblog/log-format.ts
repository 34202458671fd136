/** A compiled log format: a regular expression and the names of its groups (numbered, or named for a user's regex). */
export interface LogFormat {
  readonly regex: RegExp;
  readonly fields: readonly string[];
  readonly named: boolean;
}

const COMMON = '$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent';

export const BUILT_IN: Readonly<Record<'common' | 'combined', string>> = {
  common: COMMON,
  combined: `${COMMON} "$http_referer" "$http_user_agent"`,
};

/**
 * Compiles an nginx `log_format`-style template: `$name` captures up to the next literal
 * character (inside quotes, escaped quotes `\"` included), the rest must match literally.
 * A pattern starting with `^` is taken as a regular expression with named groups.
 */
export function compileFormat(pattern: string): LogFormat {
  if (pattern.startsWith('^')) return fromRegex(pattern);
  const fields: string[] = [];
  let re = '^';
  const token = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let at = 0;
  for (let m = token.exec(pattern); m !== null; m = token.exec(pattern)) {
    re += escape(pattern.slice(at, m.index));
    const next = pattern[m.index + m[0].length];
    const quoted = pattern[m.index - 1] === '"' && next === '"';
    re += quoted
      ? '((?:[^"\\\\]|\\\\.)*)'
      : next === undefined
        ? '(.*)'
        : `([^${escapeClass(next)}]*)`;
    fields.push(m[1]!);
    at = m.index + m[0].length;
  }
  re += `${escape(pattern.slice(at))}$`;
  if (fields.length === 0) throw new Error('the pattern has no $field');
  const dup = fields.find((f, i) => fields.indexOf(f) !== i);
  if (dup !== undefined) throw new Error(`$${dup} appears twice in the pattern`);
  return { regex: new RegExp(re), fields, named: false };
}

function fromRegex(pattern: string): LogFormat {
  const regex = new RegExp(pattern);
  const fields = [
    ...new Set([...pattern.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!)),
  ];
  if (fields.length === 0) throw new Error('the regular expression has no named group (?<name>…)');
  return { regex, fields, named: true };
}

/** Whether a pattern compiles; the problem otherwise (for config validation). */
export function formatProblem(pattern: string): string | undefined {
  try {
    compileFormat(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\]\\^-]/g, '\\$&');
}
