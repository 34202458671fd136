import { open, type FileHandle } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { Flushable } from './outputs.ts';

export type TextEncoding = 'utf8' | 'win1251';

export interface TextFileOptions {
  readonly encoding?: TextEncoding;
  /** Append to an existing file (a growing log) instead of replacing it. */
  readonly append?: boolean;
  /** Start with a UTF-8 byte-order mark, as Excel exports do. */
  readonly bom?: boolean;
}

// Small enough that buffered lines die young (cheap for the GC), large enough for few writes.
const FLUSH_CHARS = 1 << 17;

/** A text file written in large encoded chunks; `write` only buffers. */
export class TextFile implements Flushable {
  private parts: string[] = [];
  private size = 0;
  private handle: FileHandle | undefined;
  private bytes = 0;

  constructor(
    readonly path: string,
    private readonly opts: TextFileOptions = {},
  ) {
    if (opts.bom) this.write('\uFEFF');
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Bytes written to disk so far (after encoding). */
  get written(): number {
    return this.bytes;
  }

  async flushIfNeeded(): Promise<void> {
    if (this.size >= FLUSH_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    this.handle ??= await open(this.path, this.opts.append ? 'a' : 'w');
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    const buf = this.opts.encoding === 'win1251' ? iconv.encode(text, 'win1251') : Buffer.from(text, 'utf8');
    await this.handle.write(buf);
    this.bytes += buf.length;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = undefined;
  }
}
