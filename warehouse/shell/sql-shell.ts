import { appendFileSync, readFileSync } from 'node:fs';
import readline from 'node:readline';
import type { DuckDBConnection } from '@duckdb/node-api';
import { splitStatements, tokenize } from '../server/sql/lexer.ts';
import { HELP, metaQuery } from './describe.ts';
import { renderResult, type OutputFormat, type ResultSet } from './output-format.ts';

/** Where the shell reads and writes. */
export interface ShellIO {
  readonly input: NodeJS.ReadableStream;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

export interface ShellOptions {
  readonly format: OutputFormat;
  /** History file for the interactive shell; none if undefined. */
  readonly historyFile?: string;
  readonly prompt?: string;
}

async function query(
  conn: DuckDBConnection,
  sql: string,
  params: readonly string[] = [],
): Promise<ResultSet | undefined> {
  const reader = await conn.runAndReadAll(sql, params.length > 0 ? [...params] : undefined);
  if (reader.columnCount === 0) return undefined;
  return { columns: reader.columnNames(), rows: reader.getRowsJS() };
}

/**
 * Runs SQL text (one or more statements) and prints each result. Returns false if a statement
 * failed (the rest are not run).
 */
export async function runSql(
  conn: DuckDBConnection,
  text: string,
  io: ShellIO,
  opts: ShellOptions & { timing?: boolean },
): Promise<boolean> {
  for (const stmt of splitStatements(text)) {
    const t0 = performance.now();
    try {
      const r = await query(conn, stmt);
      if (r) io.out.write(`${renderResult(r, opts.format)}\n`);
      else if (opts.format === 'table') io.out.write('OK\n');
    } catch (err) {
      io.err.write(`ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
      return false;
    }
    if (opts.timing) io.out.write(`Time: ${(performance.now() - t0).toFixed(1)} ms\n`);
  }
  return true;
}

/** Whether the buffered text is a complete statement list (ends with a top-level `;`). */
export function isComplete(text: string): boolean {
  const toks = tokenize(text);
  const last = toks[toks.length - 1];
  if (!last || last.text !== ';') return false;
  const tail = text.slice(last.end).trim();
  return tail === '' || tail.startsWith('--');
}

/** The interactive shell: multi-line statements ending in `;`, backslash commands, history. */
export async function interactiveShell(
  conn: DuckDBConnection,
  io: ShellIO,
  opts: ShellOptions,
): Promise<void> {
  let history: string[] = [];
  if (opts.historyFile) {
    try {
      history = readFileSync(opts.historyFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .reverse()
        .slice(0, 1000);
    } catch {
      // no history yet
    }
  }
  const rl = readline.createInterface({
    input: io.input,
    output: io.out,
    history,
    historySize: 1000,
    terminal: (io.input as { isTTY?: boolean }).isTTY === true,
  });
  const prompt = opts.prompt ?? 'cdw';
  let buffer = '';
  let timing = false;
  rl.setPrompt(`${prompt}=> `);
  rl.prompt();
  for await (const line of rl) {
    if (buffer === '' && line.trim().startsWith('\\')) {
      const cmd = line.trim();
      if (opts.historyFile) appendFileSync(opts.historyFile, `${cmd}\n`);
      if (cmd === '\\q') break;
      if (cmd === '\\timing') {
        timing = !timing;
        io.out.write(`Timing is ${timing ? 'on' : 'off'}.\n`);
      } else if (cmd === '\\?' || cmd === '\\h') {
        io.out.write(`${renderResult(HELP, 'table')}\n`);
      } else {
        const m = metaQuery(cmd);
        if (!m) io.err.write(`unknown command ${cmd}; \\? lists the commands\n`);
        else {
          try {
            const r = await query(conn, m.sql, m.params);
            if (r && r.rows.length === 0 && m.title) io.err.write(`no relation named ${m.title}\n`);
            else if (r) io.out.write(`${renderResult(r, opts.format)}\n`);
          } catch (err) {
            io.err.write(`ERROR: ${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
      }
      rl.prompt();
      continue;
    }
    buffer += `${buffer ? '\n' : ''}${line}`;
    if (buffer.trim() === '') {
      buffer = '';
    } else if (isComplete(buffer)) {
      if (opts.historyFile) appendFileSync(opts.historyFile, `${buffer.replaceAll('\n', ' ')}\n`);
      await runSql(conn, buffer, io, { ...opts, timing });
      buffer = '';
    }
    rl.setPrompt(buffer ? `${prompt}-> ` : `${prompt}=> `);
    rl.prompt();
  }
  rl.close();
}
