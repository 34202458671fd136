/** A compiled log format: the names of its fields and how a line is split into them. */
export interface LogFormat {
  readonly fields: readonly string[];
  /** The value of each field (in `fields` order), or undefined when the line does not match. */
  match(line: string): readonly (string | undefined)[] | undefined;
}

/** A piece of a template: text that must be there, or a field up to the next literal character. */
type Part =
  { readonly literal: string } | { readonly quoted: boolean; readonly stop: number | undefined };

const BACKSLASH = 0x5c;

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
  const parts: Part[] = [];
  const token = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
  let at = 0;
  for (let m = token.exec(pattern); m !== null; m = token.exec(pattern)) {
    if (m.index > at) parts.push({ literal: pattern.slice(at, m.index) });
    const next = pattern[m.index + m[0].length];
    const quoted = pattern[m.index - 1] === '"' && next === '"';
    parts.push({ quoted, stop: next === undefined ? undefined : next.charCodeAt(0) });
    fields.push(m[1]!);
    at = m.index + m[0].length;
  }
  if (at < pattern.length) parts.push({ literal: pattern.slice(at) });
  if (fields.length === 0) throw new Error('the pattern has no $field');
  const dup = fields.find((f, i) => fields.indexOf(f) !== i);
  if (dup !== undefined) throw new Error(`$${dup} appears twice in the pattern`);
  return { fields, match: (line) => scan(parts, line) };
}

/**
 * Splits a line by a template in one pass, without backtracking or recursion (a regular
 * expression with a repeated group overflows the stack on a line of megabytes): a field runs to
 * the first character that starts the next literal (for a field in quotes, to the first quote
 * not escaped by a backslash), the literal must follow, and the last field takes the rest.
 */
function scan(parts: readonly Part[], line: string): (string | undefined)[] | undefined {
  const out: string[] = [];
  let pos = 0;
  for (const p of parts) {
    if ('literal' in p) {
      if (!line.startsWith(p.literal, pos)) return undefined;
      pos += p.literal.length;
      continue;
    }
    let end: number;
    if (p.quoted) {
      // The first quote not escaped: one after an even run of backslashes (pairs escape each other).
      end = -1;
      for (let q = line.indexOf('"', pos); q >= 0; q = line.indexOf('"', q + 1)) {
        let b = q - 1;
        while (b >= pos && line.charCodeAt(b) === BACKSLASH) b--;
        if ((q - 1 - b) % 2 === 0) {
          end = q;
          break;
        }
      }
      if (end < 0) return undefined;
    } else if (p.stop === undefined) end = line.length;
    else {
      end = line.indexOf(String.fromCharCode(p.stop), pos);
      if (end < 0) return undefined;
    }
    out.push(line.slice(pos, end));
    pos = end;
  }
  return pos === line.length ? out : undefined;
}

/** A user's regular expression with named groups (a line too complex for it is rejected, see line-files). */
function fromRegex(pattern: string): LogFormat {
  const regex = new RegExp(pattern);
  const fields = [
    ...new Set([...pattern.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!)),
  ];
  if (fields.length === 0) throw new Error('the regular expression has no named group (?<name>…)');
  return {
    fields,
    match(line) {
      const m = regex.exec(line);
      return m === null ? undefined : fields.map((f) => m.groups?.[f]);
    },
  };
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
