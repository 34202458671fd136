import { appendFileSync, readFileSync } from 'node:fs';
import readline from 'node:readline';
import { splitStatements, tokenize } from '../server/sql/lexer.ts';
import type { ShellBackend } from './backend.ts';
import { HELP, metaQuery } from './describe.ts';
import { renderResult, type OutputFormat } from './output-format.ts';
import { showPaged } from './pager.ts';

/** Where the shell reads and writes. */
export interface ShellIO {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly out: NodeJS.WritableStream & { isTTY?: boolean; rows?: number; columns?: number };
  readonly err: NodeJS.WritableStream;
}

export interface ShellOptions {
  readonly format: OutputFormat;
  /** History file for the interactive shell; none if undefined. */
  readonly historyFile?: string;
  readonly prompt?: string;
  /** Pager command for results longer than the terminal (`$PAGER`); `less` when undefined. */
  readonly pager?: string;
}

interface Display {
  timing: boolean;
  expanded: boolean;
  /** page results longer than the terminal (`\\pager`) */
  paging: boolean;
}

function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/interrupt/i.test(msg) || (err instanceof Error && err.name === 'AbortError'))
    return 'query cancelled';
  return `ERROR: ${msg}`;
}

/**
 * Runs SQL text (one or more statements) and prints each result. Returns false if a statement
 * failed or was cancelled (the rest are not run).
 */
export async function runSql(
  backend: ShellBackend,
  text: string,
  io: ShellIO,
  opts: ShellOptions & Partial<Display> & { signal?: AbortSignal },
): Promise<boolean> {
  for (const stmt of splitStatements(text)) {
    const t0 = performance.now();
    try {
      const r = await backend.query(stmt, undefined, opts.signal);
      if (r) {
        const shown = `${renderResult(r, opts.format, { expanded: opts.expanded })}\n`;
        if (opts.paging) await showPaged(shown, io, opts);
        else io.out.write(shown);
      } else if (opts.format === 'table') io.out.write('OK\n');
    } catch (err) {
      io.err.write(`${errorText(err)}\n`);
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

/**
 * A statement typed over several lines as one line for the history (↑ recalls it whole):
 * its tokens with one space wherever the text had space, a line break or a comment.
 */
export function historyLine(statement: string): string {
  let out = '';
  let end = -1;
  for (const t of tokenize(statement)) {
    if (end >= 0 && t.start > end) out += ' ';
    out += statement.slice(t.start, t.end);
    end = t.end;
  }
  return out;
}

/**
 * The interactive shell: multi-line statements ending in `;`, backslash commands, whole
 * statements in the history. Ctrl-C cancels a running query and keeps the shell; at the prompt
 * it clears the statement being typed. `\q` or Ctrl-D quits.
 */
export async function interactiveShell(
  backend: ShellBackend,
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
  const terminal = io.input.isTTY === true;
  const rl = readline.createInterface({
    input: io.input,
    output: io.out,
    history,
    historySize: 1000,
    removeHistoryDuplicates: true,
    terminal,
  });
  const name = opts.prompt ?? 'cdw';
  const display: Display = { timing: false, expanded: false, paging: terminal };
  let buffer = '';
  /** lines of the statement being typed, to replace them in the history with the whole */
  let typedLines = 0;
  let running: AbortController | undefined;
  const queue: string[] = [];
  let busy = false;
  let closed = false;
  let finish: () => void = () => undefined;

  const prompt = () => {
    rl.setPrompt(buffer ? `${name}-> ` : `${name}=> `);
    rl.prompt();
  };
  const remember = (entry: string) => {
    if (opts.historyFile) appendFileSync(opts.historyFile, `${entry}\n`);
  };

  rl.on('SIGINT', () => {
    if (running) {
      running.abort();
      return;
    }
    // At the prompt: forget the line and the statement being typed, as psql does.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    io.out.write('^C\n');
    buffer = '';
    typedLines = 0;
    prompt();
  });

  async function backslash(cmd: string): Promise<boolean> {
    remember(cmd);
    const [word, arg] = cmd.split(/\s+/, 2);
    const toggle = (current: boolean) => (arg === 'on' ? true : arg === 'off' ? false : !current);
    if (word === '\\q') return false;
    if (word === '\\timing') {
      display.timing = toggle(display.timing);
      io.out.write(`Timing is ${display.timing ? 'on' : 'off'}.\n`);
    } else if (word === '\\x') {
      display.expanded = toggle(display.expanded);
      io.out.write(`Expanded display is ${display.expanded ? 'on' : 'off'}.\n`);
    } else if (word === '\\pager') {
      display.paging = toggle(display.paging);
      io.out.write(`Pager is ${display.paging ? 'on' : 'off'}.\n`);
    } else if (word === '\\?' || word === '\\h') {
      io.out.write(`${renderResult(HELP, 'table')}\n`);
    } else {
      const m = metaQuery(cmd);
      if (!m) io.err.write(`unknown command ${cmd}; \\? lists the commands\n`);
      else {
        try {
          const r = await backend.query(m.sql, m.params);
          if (r && r.rows.length === 0 && m.title) io.err.write(`no relation named ${m.title}\n`);
          else if (r) io.out.write(`${renderResult(r, opts.format)}\n`);
        } catch (err) {
          io.err.write(`${errorText(err)}\n`);
        }
      }
    }
    return true;
  }

  async function handle(line: string): Promise<boolean> {
    if (buffer === '' && line.trim().startsWith('\\')) return backslash(line.trim());
    buffer += `${buffer ? '\n' : ''}${line}`;
    if (line.trim() !== '') typedLines++;
    if (buffer.trim() === '') {
      buffer = '';
      typedLines = 0;
    } else if (isComplete(buffer)) {
      const whole = historyLine(buffer);
      if (terminal && typedLines > 1) {
        // readline keeps each line; the statement replaces them as one entry
        const h = (rl as unknown as { history: string[] }).history;
        h.splice(0, Math.min(typedLines, h.length), whole);
      }
      remember(whole);
      running = new AbortController();
      try {
        await runSql(backend, buffer, io, {
          ...opts,
          ...display,
          paging: display.paging && terminal,
          signal: running.signal,
        });
      } finally {
        running = undefined;
      }
      buffer = '';
      typedLines = 0;
    }
    return true;
  }

  async function drain(): Promise<void> {
    if (busy) return;
    busy = true;
    while (queue.length > 0) {
      const line = queue.shift()!;
      if (!(await handle(line))) {
        closed = true;
        rl.close();
        break;
      }
      if (!closed) prompt();
    }
    busy = false;
    if (closed) finish();
  }

  await new Promise<void>((resolve) => {
    finish = resolve;
    rl.on('line', (line) => {
      queue.push(line);
      void drain();
    });
    rl.on('close', () => {
      closed = true;
      if (!busy) void drain();
    });
    prompt();
  });
  if (terminal) io.out.write('\n');
}
