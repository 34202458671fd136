import { PgError } from '../pg-error.ts';
import { quoteIdent } from '../../../foundation/sql.ts';
import { tokenize, type Token } from './lexer.ts';

/** `COPY … TO STDOUT`: what to read and how to write it, as PostgreSQL's COPY options say. */
export interface CopyOut {
  /** The SELECT that gives the rows (a table and its columns become `SELECT cols FROM t`). */
  readonly select: string;
  readonly format: 'text' | 'csv';
  readonly delimiter: string;
  readonly null: string;
  readonly header: boolean;
  readonly quote: string;
  readonly escape: string;
  /** Columns always quoted in CSV (`*` = all). */
  readonly forceQuote: readonly string[] | '*';
}

/** What a COPY statement is: rows to the client, a refusal, or SQL for DuckDB (to a file). */
export type CopyStatement =
  | { readonly kind: 'copy_out'; readonly copy: CopyOut }
  | { readonly kind: 'unsupported'; readonly what: string }
  | { readonly kind: 'sql' };

function unquoteString(t: Token): string {
  const body = t.text.startsWith("'") ? t.text.slice(1, -1) : t.text.slice(2, -1);
  return body.replaceAll("''", "'");
}

/** An option value: a string, a name, a number, or a keyword. */
function valueText(t: Token | undefined): string {
  if (!t) throw new PgError('42601', 'syntax error at end of COPY options');
  if (t.kind === 'string') return unquoteString(t);
  if (t.kind === 'quoted') return t.text.slice(1, -1).replaceAll('""', '"');
  return t.text;
}

/**
 * Reads a COPY statement. `COPY t [(cols)] TO STDOUT …` and `COPY (query) TO STDOUT …` become
 * a SELECT whose rows the session sends as CopyData (so the analyst policy applies to it like
 * any SELECT); COPY FROM STDIN is refused; COPY to or from a file stays SQL for DuckDB.
 */
export function parseCopy(sql: string): CopyStatement {
  const toks = tokenize(sql);
  const word = (i: number) => (toks[i]?.kind === 'word' ? toks[i].text.toUpperCase() : '');
  let i = 1;
  let select: string;
  if (toks[i]?.text === '(') {
    const close = matching(toks, i);
    select = sql.slice(toks[i]!.end, toks[close]!.start);
    i = close + 1;
  } else {
    const start = i;
    while (
      toks[i] &&
      (toks[i]!.kind === 'word' || toks[i]!.kind === 'quoted' || toks[i]!.text === '.') &&
      !['TO', 'FROM'].includes(word(i))
    )
      i++;
    if (i === start) throw new PgError('42601', 'syntax error in COPY: expected a table name');
    const table = sql.slice(toks[start]!.start, toks[i - 1]!.end);
    let columns = '*';
    if (toks[i]?.text === '(') {
      const close = matching(toks, i);
      columns = toks
        .slice(i + 1, close)
        .filter((t) => t.text !== ',')
        .map((t) => (t.kind === 'quoted' ? t.text : quoteIdent(t.text.toLowerCase())))
        .join(', ');
      i = close + 1;
    }
    select = `SELECT ${columns} FROM ${table}`;
  }
  const direction = word(i);
  const target = word(i + 1);
  if (direction === 'FROM')
    return target === 'STDIN'
      ? { kind: 'unsupported', what: 'COPY FROM STDIN (loading data through the server)' }
      : { kind: 'sql' };
  if (direction !== 'TO') throw new PgError('42601', 'syntax error in COPY: expected TO or FROM');
  if (target !== 'STDOUT') return { kind: 'sql' };
  return { kind: 'copy_out', copy: readOptions(select, toks.slice(i + 2)) };
}

function matching(toks: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (toks[k]!.text === '(') depth++;
    else if (toks[k]!.text === ')' && --depth === 0) return k;
  }
  throw new PgError('42601', 'syntax error in COPY: unbalanced parentheses');
}

/** Both option syntaxes: `WITH (FORMAT csv, HEADER)` and the old `WITH CSV HEADER DELIMITER ','`. */
function readOptions(select: string, toks: readonly Token[]): CopyOut {
  const o: Record<string, string | string[]> = {};
  let k = 0;
  const w = (j: number) => (toks[j]?.kind === 'word' ? toks[j].text.toUpperCase() : '');
  if (w(k) === 'WITH') k++;
  if (toks[k]?.text === '(') {
    const close = matching(toks, k);
    let j = k + 1;
    while (j < close) {
      const name = w(j).toLowerCase();
      j++;
      if (name === 'force_quote' && toks[j]?.text === '(') {
        const end = matching(toks, j);
        o[name] = toks
          .slice(j + 1, end)
          .filter((t) => t.text !== ',')
          .map((t) => valueText(t).toLowerCase());
        j = end + 1;
      } else if (j < close && toks[j]!.text !== ',') {
        o[name] = valueText(toks[j]);
        j++;
      } else o[name] = 'true';
      if (toks[j]?.text === ',') j++;
    }
  } else {
    while (k < toks.length) {
      const name = w(k);
      k++;
      if (w(k) === 'AS') k++;
      if (name === 'BINARY') o.format = 'binary';
      else if (name === 'CSV') o.format = 'csv';
      else if (name === 'HEADER') o.header = 'true';
      else if (name === 'DELIMITER' || name === 'NULL' || name === 'QUOTE' || name === 'ESCAPE')
        o[name.toLowerCase()] = valueText(toks[k++]);
      else if (name === 'FORCE' && w(k) === 'QUOTE') {
        k++;
        const cols: string[] = [];
        while (k < toks.length && toks[k]!.text !== ';') {
          if (toks[k]!.text !== ',') cols.push(valueText(toks[k]).toLowerCase());
          k++;
        }
        o.force_quote = cols;
      } else if (name === '' && toks[k - 1]?.text === ';') break;
      else
        throw new PgError('42601', `syntax error in COPY options at "${toks[k - 1]?.text ?? ''}"`);
    }
  }
  for (const name of Object.keys(o))
    if (
      ![
        'format',
        'delimiter',
        'null',
        'header',
        'quote',
        'escape',
        'force_quote',
        'encoding',
      ].includes(name)
    )
      throw new PgError('42601', `option "${name}" not recognized`);
  const format = String(o.format ?? 'text').toLowerCase();
  if (format === 'binary')
    throw new PgError('0A000', 'COPY in binary format is not supported by cdw; use text or csv');
  if (format !== 'text' && format !== 'csv')
    throw new PgError('22023', `COPY format "${format}" not recognized`);
  const encoding =
    o.encoding === undefined ? 'utf8' : String(o.encoding).toLowerCase().replace(/[-_]/g, '');
  if (encoding !== 'utf8') throw new PgError('0A000', 'COPY writes UTF8 only');
  const csv = format === 'csv';
  const one = (name: string, fallback: string): string => {
    const v = o[name] === undefined ? fallback : String(o[name]);
    if ([...v].length !== 1)
      throw new PgError('22023', `COPY ${name} must be a single one-byte character`);
    return v;
  };
  const header =
    o.header === undefined
      ? false
      : !['false', 'off', '0'].includes(String(o.header).toLowerCase());
  const fq = o.force_quote;
  return {
    select,
    format: csv ? 'csv' : 'text',
    delimiter: one('delimiter', csv ? ',' : '\t'),
    null: o.null === undefined ? (csv ? '' : '\\N') : String(o.null),
    header,
    quote: one('quote', '"'),
    escape: one('escape', o.quote === undefined ? '"' : String(o.quote)),
    forceQuote:
      fq === undefined
        ? []
        : fq === '*' || (Array.isArray(fq) && fq[0] === '*')
          ? '*'
          : Array.isArray(fq)
            ? fq
            : [fq],
  };
}

/** Writes rows in COPY's text or CSV format (one line per row, as PostgreSQL writes them). */
export function copyLineWriter(
  copy: CopyOut,
  columns: readonly string[],
): (cells: readonly (string | null)[]) => string {
  if (copy.format === 'text') {
    const d = copy.delimiter;
    const escape = (v: string) =>
      v.replace(/[\\\n\r\t\b\f\v]/g, (c) => TEXT_ESCAPES[c]!).replaceAll(d, `\\${d}`);
    return (cells) => `${cells.map((c) => (c === null ? copy.null : escape(c))).join(d)}\n`;
  }
  const { quote: q, escape: e, delimiter: d } = copy;
  const forced = columns.map(
    (c) => copy.forceQuote === '*' || copy.forceQuote.includes(c.toLowerCase()),
  );
  const quoted = (v: string) =>
    `${q}${v.replaceAll(e, e + e).replaceAll(q === e ? '\u0000' : q, e + q)}${q}`;
  const needs = (v: string) =>
    v === copy.null ||
    v.includes(d) ||
    v.includes(q) ||
    v.includes('\n') ||
    v.includes('\r') ||
    v === '\\.';
  return (cells) =>
    `${cells.map((c, i) => (c === null ? copy.null : forced[i] || needs(c) ? quoted(c) : c)).join(d)}\n`;
}

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};
