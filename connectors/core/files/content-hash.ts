import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Files are known by the hashes of their bytes in blocks of this size from the start (the last
 * block may be shorter): a file that changed anywhere — even in place, at the same size — is
 * told from one that only grew, and the check stops at the first block that differs.
 */
export const BLOCK_BYTES = 4 * 1024 * 1024;

function digest(h: Hash): string {
  return h.digest('hex').slice(0, 20);
}

/** Where a file's bytes first differ from what a mark recorded; undefined when they do not. */
export async function firstChangedBlock(
  file: string,
  blocks: readonly string[],
  upTo: number,
): Promise<number | undefined> {
  if (upTo <= 0) return undefined;
  let i = 0;
  let h = createHash('sha1');
  let inBlock = 0;
  for await (const piece of createReadStream(file, {
    start: 0,
    end: upTo - 1,
    highWaterMark: 1 << 20,
  })) {
    let b = piece as Buffer;
    while (b.length > 0) {
      const take = Math.min(b.length, BLOCK_BYTES - inBlock);
      h.update(b.subarray(0, take));
      inBlock += take;
      b = b.subarray(take);
      if (inBlock === BLOCK_BYTES) {
        if (digest(h) !== blocks[i]) return i * BLOCK_BYTES;
        i++;
        h = createHash('sha1');
        inBlock = 0;
      }
    }
  }
  // Fewer bytes than recorded (the file shrank under us) is a change too.
  const read = i * BLOCK_BYTES + inBlock;
  if (read < upTo) return read;
  if (inBlock > 0 && digest(h) !== blocks[i]) return i * BLOCK_BYTES;
  return undefined;
}

/**
 * Block hashes of a file's bytes [0, end), reusing `known` hashes of the whole blocks before
 * `verifiedUpTo` (checked unchanged) so only the rest is read again.
 */
export async function blockHashes(
  file: string,
  end: number,
  known: readonly string[] = [],
  verifiedUpTo = 0,
): Promise<string[]> {
  const reuse = Math.min(known.length, Math.floor(verifiedUpTo / BLOCK_BYTES));
  const out = known.slice(0, reuse);
  const from = reuse * BLOCK_BYTES;
  if (end <= from) return out;
  const hasher = new BlockHasher();
  for await (const piece of createReadStream(file, {
    start: from,
    end: end - 1,
    highWaterMark: 1 << 20,
  }))
    hasher.update(piece as Buffer);
  return [...out, ...hasher.finish()];
}

/** Block hashes of a stream of bytes from a block boundary, fed piece by piece. */
export class BlockHasher {
  private readonly done: string[] = [];
  private h = createHash('sha1');
  private inBlock = 0;

  update(piece: Buffer): void {
    let b = piece;
    while (b.length > 0) {
      const take = Math.min(b.length, BLOCK_BYTES - this.inBlock);
      this.h.update(b.subarray(0, take));
      this.inBlock += take;
      b = b.subarray(take);
      if (this.inBlock === BLOCK_BYTES) {
        this.done.push(digest(this.h));
        this.h = createHash('sha1');
        this.inBlock = 0;
      }
    }
  }

  finish(): string[] {
    if (this.inBlock > 0) this.done.push(digest(this.h));
    this.inBlock = 0;
    return this.done;
  }
}
