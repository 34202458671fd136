import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'step-child.ts');

/**
 * Runs pipeline step `step` alone in a child process (step-child.ts) on `configPath` with
 * `warehouse`, and kills it -9 once it logs a line containing `pauseAt`. Returns what the child
 * printed; fails when the child ended before that point, or finished the step.
 */
export async function killStepAt(
  configPath: string,
  warehouse: string,
  pauseAt: string,
  step: string,
): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, configPath, warehouse, pauseAt, step],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: string) => {
      out += d;
      if (out.includes('\npaused\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`child ended before the point:\n${out}`)));
  });
  child.kill('SIGKILL');
  await once(child, 'exit');
  if (/\ndone /.test(out)) throw new Error(`the child finished the step:\n${out}`);
  return out;
}
