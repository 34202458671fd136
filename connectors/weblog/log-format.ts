/** A compiled log format: the names of its fields and how a line is split into them. */
export interface LogFormat {
  readonly fields: readonly string[];
  /** The value of each field (in `fields` order), or undefined when the line does not match. */
  match(line: string): readonly (string | undefined)[] | undefined;
  /**
   * The same split as an RE2 expression (DuckDB's `regexp_extract`): its capturing groups in
   * order, each named by its field (or by a name no field has, for a group that is not one).
   */
  readonly sql: { readonly regex: string; readonly groups: readonly string[] };
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
  return { fields, match: (line) => scan(parts, line), sql: templateRegex(parts, fields) };
}

/**
 * A template as the RE2 expression that splits a line exactly as `scan` does: a field matches
 * up to the first character of the literal after it (a field in quotes, to the first quote not
 * escaped: backslash pairs are taken as one), the whole line must match.
 */
function templateRegex(
  parts: readonly Part[],
  fields: readonly string[],
): { regex: string; groups: readonly string[] } {
  const re = parts.map((p) => {
    if ('literal' in p) return escapeRe2(p.literal);
    if (p.quoted) return String.raw`((?:[^"\\]|\\.)*)`;
    if (p.stop === undefined) return '(.*)';
    return `([^${escapeRe2(String.fromCharCode(p.stop))}]*)`;
  });
  return { regex: `^${re.join('')}$`, groups: fields };
}

/** Text matched literally by RE2: every character that is not a letter, digit or space escaped. */
function escapeRe2(text: string): string {
  return text.replace(/[^A-Za-z0-9 ]/g, (c) => (c.charCodeAt(0) < 0x80 ? `\\${c}` : c));
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
  const unsupported = re2Unsupported(pattern);
  if (unsupported !== undefined)
    throw new Error(
      `the regular expression uses ${unsupported}, which the transform's SQL split (RE2, as DuckDB's regexp functions) cannot run`,
    );
  return {
    fields,
    sql: { regex: pattern.replaceAll('(?<', '(?P<'), groups: regexGroups(pattern) },
    match(line) {
      const m = regex.exec(line);
      return m === null ? undefined : fields.map((f) => m.groups?.[f]);
    },
  };
}

/**
 * The capturing groups of a regular expression in order: a named group by its name, any other
 * by `_<n>` (RE2 numbers them the same way JavaScript does). Escapes, character classes and
 * `(?…)` groups that capture nothing are skipped.
 */
function regexGroups(pattern: string): string[] {
  const out: string[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') {
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(pattern.slice(i));
      if (named !== null) out.push(named[1]!);
      else if (pattern[i + 1] !== '?') out.push(`_${out.length + 1}`);
    }
  }
  return out;
}

/**
 * The first construct of a JavaScript regular expression that RE2 lacks: look-ahead and
 * look-behind groups, back-references (`\\1`, `\\k<name>`), and `\\1`–`\\9` in a class (octal in
 * JavaScript); undefined when none.
 */
function re2Unsupported(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && !inClass))
        return `a back-reference or octal escape (\\${next}…)`;
      i++;
    } else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(' && /^\(\?(=|!|<=|<!)/.test(pattern.slice(i)))
      return `a look-around group (${/^\((\?<?[=!])/.exec(pattern.slice(i))![1]}…)`;
  }
  return undefined;
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
