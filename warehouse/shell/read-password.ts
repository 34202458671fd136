import type { Readable, Writable } from 'node:stream';

/** Reads a password: one line from stdin (`--password-stdin`), or a prompt without echo on a terminal. */
export async function readPassword(
  input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void },
  output: Writable,
  opts: { fromStdin: boolean; prompt: string },
): Promise<string> {
  if (opts.fromStdin || !input.isTTY || !input.setRawMode) {
    let data = '';
    for await (const chunk of input) {
      data += String(chunk);
      if (data.includes('\n')) break;
    }
    return data.split(/\r?\n/)[0] ?? '';
  }
  output.write(opts.prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData);
            output.write('\n');
            resolve(value);
            return;
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            reject(new Error('cancelled'));
            return;
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
  }
}
