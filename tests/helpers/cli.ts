import { PassThrough } from 'node:stream';
import type { CliIO } from '../../jobs/cli/context.ts';

/** Streams that collect what a CLI command prints, for in-process CLI tests. */
export function captureIO(
  env: Record<string, string | undefined> = {},
): CliIO & { outText(): string; errText(): string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const outChunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on('data', (c: Buffer) => outChunks.push(c));
  err.on('data', (c: Buffer) => errChunks.push(c));
  return {
    out: out as unknown as NodeJS.WriteStream,
    err: err as unknown as NodeJS.WriteStream,
    env: { ...process.env, ...env },
    exitCode: 0,
    outText: () => Buffer.concat(outChunks).toString('utf8'),
    errText: () => Buffer.concat(errChunks).toString('utf8'),
  };
}
