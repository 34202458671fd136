import { tokenize, type Token } from './lexer.ts';
import { parseCopy, type CopyOut } from './copy-command.ts';

/**
 * Statements the server answers itself instead of DuckDB: session settings, transaction
 * control and the housekeeping clients send on connect. Anything else is `sql`.
 */
export type SessionCommand =
  | {
      readonly kind: 'set';
      readonly name: string;
      readonly value: string | null;
      readonly local: boolean;
    }
  | { readonly kind: 'reset'; readonly name: string }
  | { readonly kind: 'show'; readonly name: string }
  | { readonly kind: 'begin'; readonly readOnly: boolean }
  | { readonly kind: 'commit' }
  | { readonly kind: 'rollback' }
  | { readonly kind: 'savepoint'; readonly name: string }
  | { readonly kind: 'release'; readonly name: string }
  | { readonly kind: 'rollback_to'; readonly name: string }
  | { readonly kind: 'discard' }
  | { readonly kind: 'deallocate'; readonly name: string | null }
  | { readonly kind: 'noop'; readonly tag: string }
  | { readonly kind: 'unsupported'; readonly what: string }
  /** DECLARE name CURSOR FOR query: a named portal over the query (a read). */
  | {
      readonly kind: 'declare';
      readonly name: string;
      readonly query: string;
      readonly hold: boolean;
      readonly binary: boolean;
    }
  /** FETCH / MOVE forward: `count` rows (null = ALL) of a cursor. */
  | {
      readonly kind: 'fetch';
      readonly name: string;
      readonly count: number | null;
      readonly move: boolean;
    }
  | { readonly kind: 'close_cursor'; readonly name: string | null }
  /** COPY … TO STDOUT: the rows of `copy.select`, sent as CopyData. */
  | { readonly kind: 'copy_out'; readonly copy: CopyOut }
  | { readonly kind: 'sql' };

function unquote(t: Token): string {
  if (t.kind === 'string') {
    const body = t.text.startsWith("'") ? t.text.slice(1, -1) : t.text.slice(2, -1);
    return body.replaceAll("''", "'");
  }
  if (t.kind === 'quoted') return t.text.slice(1, -1).replaceAll('""', '"');
  return t.text;
}

/** The value list of SET (`a, 'b'` → `a, b`); identifiers keep their case as PostgreSQL does for values. */
function valueOf(toks: readonly Token[]): string {
  const parts: string[] = [];
  let cur = '';
  for (const t of toks) {
    if (t.text === ',') {
      parts.push(cur);
      cur = '';
    } else cur += unquote(t);
  }
  parts.push(cur);
  return parts.join(', ');
}

const TX_WORDS = new Set(['WORK', 'TRANSACTION']);

/** A savepoint's name as PostgreSQL folds it (unquoted names are lower-cased). */
function savepointName(t: Token | undefined): string {
  if (!t) return '';
  return t.kind === 'quoted' ? unquote(t) : t.text.toLowerCase();
}

export function classify(sql: string): SessionCommand {
  const toks = tokenize(sql);
  const w = (i: number) =>
    toks[i]?.kind === 'word' ? toks[i].text.toUpperCase() : (toks[i]?.text ?? '');
  const first = w(0);
  switch (first) {
    case 'SET': {
      let i = 1;
      let local = false;
      if (w(i) === 'SESSION' && w(i + 1) === 'CHARACTERISTICS') return { kind: 'noop', tag: 'SET' };
      if (w(i) === 'TRANSACTION') return { kind: 'noop', tag: 'SET' };
      if (w(i) === 'SESSION' && w(i + 1) === 'AUTHORIZATION')
        return { kind: 'unsupported', what: 'SET SESSION AUTHORIZATION' };
      if (w(i) === 'SESSION' || w(i) === 'LOCAL') {
        local = w(i) === 'LOCAL';
        i++;
      }
      if (w(i) === 'TIME' && w(i + 1) === 'ZONE')
        return { kind: 'set', name: 'timezone', value: valueOf(toks.slice(i + 2)), local };
      if (w(i) === 'NAMES')
        return { kind: 'set', name: 'client_encoding', value: valueOf(toks.slice(i + 1)), local };
      // A dotted name (custom setting, or DuckDB's `SET VARIABLE x`) is kept whole.
      let name = '';
      while (i < toks.length && w(i) !== 'TO' && w(i) !== '=') {
        name += toks[i]!.kind === 'quoted' ? unquote(toks[i]!) : toks[i]!.text.toLowerCase();
        i++;
      }
      if (name === '' || name.startsWith('variable')) return { kind: 'sql' };
      const rest = toks.slice(i + 1);
      const isDefault =
        rest.length === 1 && rest[0]!.kind === 'word' && rest[0]!.text.toUpperCase() === 'DEFAULT';
      return { kind: 'set', name, value: isDefault ? null : valueOf(rest), local };
    }
    case 'RESET':
      return {
        kind: 'reset',
        name:
          w(1) === 'ALL'
            ? 'all'
            : toks
                .slice(1)
                .map((t) => t.text.toLowerCase())
                .join(''),
      };
    case 'SHOW':
      if (w(1) === 'TRANSACTION' && w(2) === 'ISOLATION')
        return { kind: 'show', name: 'transaction_isolation' };
      if (w(1) === 'TIME' && w(2) === 'ZONE') return { kind: 'show', name: 'timezone' };
      if (toks.length === 2) return { kind: 'show', name: unquote(toks[1]!).toLowerCase() };
      return { kind: 'sql' };
    case 'BEGIN':
    case 'START': {
      const words = toks.map((t) => t.text.toUpperCase());
      return { kind: 'begin', readOnly: words.includes('ONLY') && words.includes('READ') };
    }
    case 'COMMIT':
    case 'END':
      return toks.length <= 2 && (toks.length === 1 || TX_WORDS.has(w(1)))
        ? { kind: 'commit' }
        : { kind: 'unsupported', what: `${first} with options` };
    case 'ROLLBACK':
    case 'ABORT': {
      // ROLLBACK [WORK | TRANSACTION] TO [SAVEPOINT] name
      let i = TX_WORDS.has(w(1)) ? 2 : 1;
      if (w(i) !== 'TO') return { kind: 'rollback' };
      i++;
      if (w(i) === 'SAVEPOINT') i++;
      return { kind: 'rollback_to', name: savepointName(toks[i]) };
    }
    case 'SAVEPOINT':
      return { kind: 'savepoint', name: savepointName(toks[1]) };
    case 'RELEASE':
      return { kind: 'release', name: savepointName(toks[w(1) === 'SAVEPOINT' ? 2 : 1]) };
    case 'DISCARD':
      return { kind: 'discard' };
    case 'DEALLOCATE': {
      const rest = toks.slice(w(1) === 'PREPARE' ? 2 : 1);
      return {
        kind: 'deallocate',
        name:
          rest.length === 1 && w(toks.length - 1) === 'ALL' ? null : unquote(rest[0] ?? toks[0]!),
      };
    }
    case 'COPY':
      return parseCopy(sql);
    case 'LISTEN':
    case 'UNLISTEN':
    case 'NOTIFY':
      return { kind: 'noop', tag: first };
    case 'DECLARE':
      return declareCursor(sql, toks);
    case 'FETCH':
    case 'MOVE':
      return fetchCursor(toks, first === 'MOVE');
    case 'CLOSE':
      return w(1) === 'ALL'
        ? { kind: 'close_cursor', name: null }
        : { kind: 'close_cursor', name: savepointName(toks[1]) };
    default:
      return { kind: 'sql' };
  }
}

/** DECLARE name [BINARY] [ASENSITIVE | INSENSITIVE] [[NO] SCROLL] CURSOR [WITH[OUT] HOLD] FOR query */
function declareCursor(sql: string, toks: readonly Token[]): SessionCommand {
  const name = savepointName(toks[1]);
  let binary = false;
  let hold = false;
  let i = 2;
  const word = (k: number) => (toks[k]?.kind === 'word' ? toks[k].text.toUpperCase() : '');
  for (; i < toks.length && word(i) !== 'FOR'; i++) {
    if (word(i) === 'BINARY') binary = true;
    if (word(i) === 'WITH' && word(i + 1) === 'HOLD') hold = true;
    if (word(i) === 'SCROLL' && word(i - 1) !== 'NO')
      return { kind: 'unsupported', what: 'scrollable cursors' };
  }
  const forTok = toks[i];
  if (!forTok || name === '') return { kind: 'unsupported', what: 'this form of DECLARE' };
  return { kind: 'declare', name, query: sql.slice(forTok.end).trim(), hold, binary };
}

/** FETCH / MOVE [NEXT | FORWARD [n | ALL] | n | ALL] [FROM | IN] name (forward only). */
function fetchCursor(toks: readonly Token[], move: boolean): SessionCommand {
  const word = (k: number) => (toks[k]?.kind === 'word' ? toks[k].text.toUpperCase() : '');
  let i = 1;
  let count: number | null = 1;
  if (word(i) === 'NEXT') i++;
  else if (word(i) === 'FORWARD') {
    i++;
    if (toks[i]?.kind === 'number') count = Number(toks[i++]!.text);
    else if (word(i) === 'ALL') {
      count = null;
      i++;
    }
  } else if (toks[i]?.kind === 'number') count = Number(toks[i++]!.text);
  else if (word(i) === 'ALL') {
    count = null;
    i++;
  } else if (['PRIOR', 'FIRST', 'LAST', 'ABSOLUTE', 'RELATIVE', 'BACKWARD'].includes(word(i)))
    return { kind: 'unsupported', what: 'cursors that move backward (cdw cursors go forward)' };
  if (word(i) === 'FROM' || word(i) === 'IN') i++;
  return { kind: 'fetch', name: savepointName(toks[i]), count, move };
}

/** Whether a DML statement returns rows (has a top-level RETURNING). */
export function hasReturning(sql: string): boolean {
  let depth = 0;
  for (const t of tokenize(sql)) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && t.text.toUpperCase() === 'RETURNING') return true;
  }
  return false;
}

/** The CommandComplete tag for a statement DuckDB ran (other than SELECT and DML). */
export function ddlTag(sql: string): string {
  const words = tokenize(sql)
    .filter((t) => t.kind === 'word')
    .slice(0, 6)
    .map((t) => t.text.toUpperCase());
  const [head = '', ...rest] = words;
  if (head === 'CREATE' || head === 'DROP' || head === 'ALTER') {
    const obj = rest.find(
      (x) =>
        ![
          'OR',
          'REPLACE',
          'TEMP',
          'TEMPORARY',
          'UNIQUE',
          'IF',
          'NOT',
          'EXISTS',
          'PERSISTENT',
        ].includes(x),
    );
    return obj ? `${head} ${obj}` : head;
  }
  return head;
}
