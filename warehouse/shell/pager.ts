import { spawn } from 'node:child_process';
import type { ShellIO } from './sql-shell.ts';

/**
 * Shows `text` through a pager when it is longer or wider than the terminal, else writes it.
 * The pager reads the terminal itself: the shell's input leaves raw mode and pauses meanwhile.
 */
export async function showPaged(
  text: string,
  io: ShellIO,
  opts: { pager?: string },
): Promise<void> {
  const rows = io.out.rows ?? 0;
  const cols = io.out.columns ?? 0;
  const lines = text.split('\n');
  const fits =
    rows === 0 || (lines.length < rows - 1 && lines.every((l) => l.length <= (cols || Infinity)));
  if (!io.out.isTTY || fits) {
    io.out.write(text);
    return;
  }
  const input = io.input as NodeJS.ReadStream;
  const raw = input.isRaw;
  if (input.isTTY) input.setRawMode(false);
  input.pause();
  try {
    await new Promise<void>((resolve) => {
      const child = spawn(opts.pager ?? 'less -SRFX', {
        shell: true,
        stdio: ['pipe', 'inherit', 'inherit'],
      });
      child.on('error', () => {
        io.out.write(text);
        resolve();
      });
      child.on('close', () => resolve());
      child.stdin.on('error', () => undefined); // the pager quit before reading everything
      child.stdin.end(text);
    });
  } finally {
    if (input.isTTY) input.setRawMode(raw);
    input.resume();
  }
}
