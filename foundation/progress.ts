/**
 * Progress of long work. On a terminal one status line at the bottom is redrawn in place — a
 * bar and an ETA when the total is known, the unit being worked on, a count of rows, the time
 * so far — and log lines are printed above it, never glued onto it. Elsewhere (CI, cron, log
 * files) plain lines are written: each task's result, and every few seconds a line saying
 * what is still running.
 */
export interface Progress {
  /** Begins a task; `total` when known (tables, marts, files). A task not done is replaced. */
  start(task: string, total?: number): void;
  /** Adds `n` units done to the current task. */
  tick(n: number): void;
  /** What inside the task is being worked on now (a table, a mart); shown beside the task. */
  detail?(text: string): void;
  /** Adds to a second count of the task, e.g. rows landed inside its tables. */
  count?(n: number, unit: string): void;
  /** Ends the current task with a short result. */
  done(summary?: string): void;
}

export const silentProgress: Progress = { start() {}, tick() {}, done() {} };

/** A progress display that also prints log lines (the CLI's logger writes through it). */
export interface StreamProgress extends Progress {
  /** Prints a whole line above the status line (or as a plain line off a terminal). */
  print(line: string): void;
}

const BAR = 20;

function duration(secs: number): string {
  if (!Number.isFinite(secs)) return '?';
  if (secs < 60) return `${Math.round(secs)}s`;
  const m = Math.floor(secs / 60);
  return m < 60
    ? `${m}m${String(Math.round(secs % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function streamProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  opts: { intervalMs?: number; tty?: boolean } = {},
): StreamProgress {
  const tty = opts.tty ?? Boolean(stream.isTTY);
  const interval = opts.intervalMs ?? (tty ? 200 : 10_000);
  let task: string | undefined;
  let total: number | undefined;
  let done = 0;
  /** second counts by unit (rows read, rows landed, MB read), in the order they came */
  const extra = new Map<string, number>();
  let detail = '';
  let startedAt = 0;
  let shown = false;
  let lastDraw = 0;
  let timer: NodeJS.Timeout | undefined;

  const elapsed = () => (Date.now() - startedAt) / 1000;
  const status = (): string => {
    const secs = elapsed();
    const parts: string[] = [];
    if (total !== undefined && total > 0) {
      const share = Math.min(1, done / total);
      const filled = Math.round(share * BAR);
      const eta =
        done > 0 && done < total ? ` · ETA ${duration((secs / done) * (total - done))}` : '';
      parts.push(
        `${tty ? `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ` : ''}${done}/${total} ${Math.floor(share * 100)}%${eta}`,
      );
    } else if (done > 0) parts.push(done.toLocaleString('en-US'));
    for (const [unit, n] of extra) parts.push(`${Math.round(n).toLocaleString('en-US')} ${unit}`);
    if (detail) parts.push(detail);
    parts.push(duration(secs));
    return `${task}: ${parts.join(' · ')}`;
  };
  const clear = () => {
    if (tty && shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  const draw = () => {
    if (task === undefined) return;
    if (tty) {
      lastDraw = Date.now();
      const line = status();
      const width = stream.columns ?? 0;
      stream.write(
        `\r\x1b[2K${width > 0 && line.length >= width ? `${line.slice(0, width - 2)}…` : line}`,
      );
      shown = true;
    } else stream.write(`${status()}\n`);
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return {
    start(t, tot) {
      stopTimer();
      task = t;
      total = tot;
      done = 0;
      extra.clear();
      detail = '';
      startedAt = Date.now();
      if (tty) draw();
      timer = setInterval(draw, interval);
      timer.unref();
    },
    tick(n) {
      done += n;
      if (tty) draw();
    },
    detail(text) {
      detail = text;
      if (tty) draw();
    },
    count(n, unit) {
      extra.set(unit, (extra.get(unit) ?? 0) + n);
      if (tty && Date.now() - lastDraw >= Math.min(interval, 100)) draw();
    },
    done(summary) {
      if (task === undefined) return;
      stopTimer();
      clear();
      stream.write(`${task}: ${summary ?? 'done'} in ${duration(elapsed())}\n`);
      task = undefined;
    },
    print(line) {
      clear();
      stream.write(line.endsWith('\n') ? line : `${line}\n`);
      if (tty) draw();
    },
  };
}
