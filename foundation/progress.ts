/**
 * Progress of long work. On a terminal one line is redrawn in place; elsewhere (CI, cron,
 * log files) plain lines are written at most every few seconds.
 */
export interface Progress {
  /** Begins a task; `total` when known (rows, files). */
  start(task: string, total?: number): void;
  /** Adds `n` units done to the current task. */
  tick(n: number): void;
  /** Ends the current task with a short result. */
  done(summary?: string): void;
}

export const silentProgress: Progress = { start() {}, tick() {}, done() {} };

export function streamProgress(
  stream: NodeJS.WriteStream,
  opts: { intervalMs?: number } = {},
): Progress {
  const tty = Boolean(stream.isTTY);
  const interval = opts.intervalMs ?? (tty ? 100 : 5000);
  let task = '';
  let total: number | undefined;
  let count = 0;
  let startedAt = 0;
  let lastDraw = 0;
  const line = () => {
    const secs = (Date.now() - startedAt) / 1000;
    const rate = secs > 0 ? Math.round(count / secs) : 0;
    const pct = total ? ` ${Math.min(100, Math.floor((count / total) * 100))}%` : '';
    return `${task}: ${count.toLocaleString('en-US')}${total ? `/${total.toLocaleString('en-US')}` : ''}${pct} (${rate.toLocaleString('en-US')}/s, ${secs.toFixed(1)}s)`;
  };
  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < interval) return;
    lastDraw = now;
    if (tty) stream.write(`\r\x1b[2K${line()}`);
    else stream.write(`${line()}\n`);
  };
  return {
    start(t, tot) {
      task = t;
      total = tot;
      count = 0;
      startedAt = Date.now();
      lastDraw = tty ? 0 : Date.now();
      if (tty) draw(true);
    },
    tick(n) {
      count += n;
      draw();
    },
    done(summary) {
      const secs = ((Date.now() - startedAt) / 1000).toFixed(1);
      const text = `${task}: ${summary ?? 'done'} in ${secs}s`;
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    },
  };
}
