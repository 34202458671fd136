/**
 * A small SQL lexer (PostgreSQL rules for strings, quoted names, dollar quotes and nested
 * comments). It splits a query string into statements and finds the first keywords, so the
 * server can classify statements without guessing inside literals or comments.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'op' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const OP_CHARS = '+-*/<>=~!@#%^&|`?';

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (sql[i] === '/' && sql[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (sql[i] === '*' && sql[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (
      c === "'" ||
      ((c === 'E' ||
        c === 'e' ||
        c === 'B' ||
        c === 'b' ||
        c === 'X' ||
        c === 'x' ||
        c === 'N' ||
        c === 'n') &&
        sql[i + 1] === "'")
    ) {
      const escapes = c === 'E' || c === 'e';
      i += c === "'" ? 1 : 2;
      while (i < n) {
        if (escapes && sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
      out.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') {
          i++;
          break;
        } else i++;
      }
      out.push({ kind: 'quoted', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        out.push({ kind: 'string', text: sql.slice(start, i), start, end: i });
        continue;
      }
      const p = /^\$\d+/.exec(sql.slice(i, i + 12));
      if (p) {
        i += p[0].length;
        out.push({ kind: 'param', text: p[0], start, end: i });
        continue;
      }
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i]!)) i++;
      out.push({ kind: 'word', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9.eE_]/.test(sql[i]!)) {
        if ((sql[i] === 'e' || sql[i] === 'E') && (sql[i + 1] === '-' || sql[i + 1] === '+')) i++;
        i++;
      }
      out.push({ kind: 'number', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === ':' && sql[i + 1] === ':') {
      i += 2;
      out.push({ kind: 'op', text: '::', start, end: i });
      continue;
    }
    if (OP_CHARS.includes(c)) {
      while (
        i < n &&
        OP_CHARS.includes(sql[i]!) &&
        !(sql[i] === '-' && sql[i + 1] === '-') &&
        !(sql[i] === '/' && sql[i + 1] === '*')
      )
        i++;
      out.push({ kind: 'op', text: sql.slice(start, i), start, end: i });
      continue;
    }
    i++;
    out.push({ kind: 'punct', text: c, start, end: i });
  }
  return out;
}

/** The statements of a query string, without their terminating semicolons; empty ones dropped. */
export function splitStatements(sql: string): string[] {
  const toks = tokenize(sql);
  const out: string[] = [];
  let from = 0;
  let depth = 0;
  for (const t of toks) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth = Math.max(0, depth - 1);
    else if (t.kind === 'punct' && t.text === ';' && depth === 0) {
      out.push(sql.slice(from, t.start));
      from = t.end;
    }
  }
  out.push(sql.slice(from));
  return out.filter((s) => tokenize(s).length > 0).map((s) => s.trim());
}

/** The leading words of a statement, upper-cased (e.g. ['SET', 'SESSION', …]). */
export function leadingWords(sql: string, count: number): string[] {
  const out: string[] = [];
  for (const t of tokenize(sql)) {
    if (t.kind !== 'word' || out.length >= count) break;
    out.push(t.text.toUpperCase());
  }
  return out;
}

/**
 * PostgreSQL spellings DuckDB's parser cannot read, rewritten token by token:
 * `OPERATOR(pg_catalog.~)` → `~`, and `::pg_catalog.text` or `CAST(x AS pg_catalog.text)` → `text`.
 */
export function normalizePgSyntax(sql: string): string {
  const toks = tokenize(sql);
  const edits: { start: number; end: number; text: string }[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const a = toks[i + 1];
    const b = toks[i + 2];
    const c = toks[i + 3];
    const d = toks[i + 4];
    const e = toks[i + 5];
    // jsonb is json to DuckDB (`x::jsonb`, `CAST(x AS jsonb)`).
    if (
      t.kind === 'word' &&
      t.text.toLowerCase() === 'jsonb' &&
      (toks[i - 1]?.text === '::' ||
        (toks[i - 1]?.text.toUpperCase() === 'AS' && (a?.text === ')' || a?.text === '[')))
    ) {
      edits.push({ start: t.start, end: t.end, text: 'json' });
      continue;
    }
    if (t.kind === 'word' && t.text.toUpperCase() === 'OPERATOR' && a?.text === '(') {
      if (b?.kind === 'word' && c?.text === '.' && d?.kind === 'op' && e?.text === ')') {
        edits.push({ start: t.start, end: e.end, text: ` ${d.text} ` });
        i += 5;
      } else if (b?.kind === 'op' && c?.text === ')') {
        edits.push({ start: t.start, end: c.end, text: ` ${b.text} ` });
        i += 3;
      }
    } else if (
      (t.text === '::' || (t.kind === 'word' && t.text.toUpperCase() === 'AS')) &&
      a?.kind === 'word' &&
      a.text.toLowerCase() === 'pg_catalog' &&
      b?.text === '.'
    ) {
      edits.push({ start: a.start, end: b.end, text: '' });
      i += 2;
    }
  }
  let out = sql;
  for (const ed of edits.reverse()) out = out.slice(0, ed.start) + ed.text + out.slice(ed.end);
  return out;
}
