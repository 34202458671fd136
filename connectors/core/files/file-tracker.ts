import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { hashRange, headHash, lastLineEnd, tailHash } from './byte-ranges.ts';
import { blockHashes, firstChangedBlock } from './content-hash.ts';

/** What the state remembers of one file (`meta.source_state.state.files[<path relative to dir>]`). */
export interface FileMark {
  readonly inode: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** Bytes read so far (up to the last complete line, or the whole file once its last line is final). */
  readonly offset: number;
  /** Lines in those bytes, so line numbers continue where the last read stopped. */
  readonly lines: number;
  /** Hash of the first line: finds the file again under a new name (rotation). */
  readonly head: string | null;
  /** Hashes of the bytes read, per `BLOCK_BYTES` block: they prove those bytes unchanged. */
  readonly blocks?: readonly string[];
  /** Marks written before `blocks`: the 4 KiB before `offset` and, for whole-file reads, the content. */
  readonly tail?: string;
  readonly hash?: string;
  /** Kind-specific extras (e.g. the CSV header, to read rows appended later). */
  readonly columns?: readonly string[];
}

export type PlanReason =
  'new' | 'grown' | 'renamed' | 'replaced' | 'edited' | 'settled' | 'unchanged';

/** What to read of one file now: bytes [start, end). */
export interface FilePlan {
  readonly file: string;
  readonly rel: string;
  readonly start: number;
  readonly end: number;
  /** Lines before `start` (0 for a fresh read). */
  readonly startLine: number;
  readonly reason: PlanReason;
  /** The mark this read continues (grown, renamed, settled, unchanged). */
  readonly prev: FileMark | undefined;
  readonly inode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly head: string | null;
  /** Bytes from the start proven unchanged since `prev` (its block hashes are reused). */
  readonly verified: number;
  /** For an edited file: where its bytes first differ from what was read before. */
  readonly changedAt?: number;
}

export interface TrackOptions {
  /** Read whole files (binary formats): no line ends, no waiting for a last line. */
  readonly wholeFiles: boolean;
  /** Every file is a full snapshot: a file that changed at all is read again whole, never from where it stopped. */
  readonly snapshot: boolean;
}

/**
 * A last line without its newline is taken as final when the file has not changed since the
 * last run saw it, or was last modified this long ago (a writer does not pause that long in the
 * middle of a line); otherwise it waits for the next run.
 */
export const SETTLED_AFTER_MS = 60_000;

/** Files matching `pattern` under `dir`, oldest first (modification time, then name). */
export async function matchFiles(
  dir: string,
  pattern: string,
): Promise<{ file: string; rel: string }[]> {
  const found = await glob(pattern, { cwd: dir, absolute: true, onlyFiles: true, dot: false });
  return found.map((file) => ({ file, rel: path.relative(dir, file) || path.basename(file) }));
}

/**
 * Decides for each file what is new since the marks of the last committed load, by content: a
 * file whose size, time and inode are as recorded is unchanged; otherwise its bytes read before
 * are checked against their block hashes. A file never seen is read whole; a file that only grew
 * is read from where the last read stopped (a snapshot is read whole again); a rotated file
 * (renamed or copied — found by its first line and its bytes) continues under its new name; a
 * file edited in place (even at the same size) or replaced is read from the start.
 */
export async function planFiles(
  found: readonly { file: string; rel: string }[],
  marks: Readonly<Record<string, FileMark>>,
  opts: TrackOptions,
  now = Date.now(),
): Promise<FilePlan[]> {
  const stats = await Promise.all(found.map(async (f) => ({ ...f, st: await stat(f.file) })));
  stats.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs || a.rel.localeCompare(b.rel));
  const claimed = new Set<string>();
  const pending: {
    f: (typeof stats)[number];
    head: string | null;
    changedAt: number | undefined;
  }[] = [];
  const plans = new Map<string, FilePlan>();
  const endOf = (file: string, start: number, size: number, settled: boolean) =>
    opts.wholeFiles ? size : readableEnd(file, start, size, settled);

  for (const f of stats) {
    const own = marks[f.rel];
    const base = {
      file: f.file,
      rel: f.rel,
      inode: f.st.ino,
      size: f.st.size,
      mtimeMs: f.st.mtimeMs,
    };
    if (
      own !== undefined &&
      own.inode === f.st.ino &&
      own.size === f.st.size &&
      own.mtimeMs === f.st.mtimeMs
    ) {
      claimed.add(f.rel);
      // Unchanged since the last run: a last line left waiting then is final now.
      const end = own.offset < f.st.size ? f.st.size : own.offset;
      const whole = opts.snapshot && end > own.offset;
      plans.set(f.rel, {
        ...base,
        start: whole ? 0 : own.offset,
        end,
        startLine: whole ? 0 : own.lines,
        reason: end > own.offset ? 'settled' : 'unchanged',
        prev: whole ? undefined : own,
        head: own.head,
        verified: whole ? 0 : own.offset,
      });
      continue;
    }
    const head = await headHash(f.file, f.st.size);
    if (own === undefined) {
      pending.push({ f, head, changedAt: undefined });
      continue;
    }
    const changedAt = await changedSince(f.file, f.st.size, head, own);
    if (changedAt === undefined) {
      claimed.add(f.rel);
      const settled = now - f.st.mtimeMs > SETTLED_AFTER_MS;
      const end = await endOf(f.file, own.offset, f.st.size, settled);
      const grew = end > own.offset;
      if (opts.snapshot && grew) {
        plans.set(f.rel, {
          ...base,
          start: 0,
          end,
          startLine: 0,
          reason: 'replaced',
          prev: undefined,
          head,
          verified: 0,
        });
        continue;
      }
      plans.set(f.rel, {
        ...base,
        start: own.offset,
        end: Math.max(end, own.offset),
        startLine: own.lines,
        reason: grew ? 'grown' : 'unchanged',
        prev: own,
        head,
        verified: own.offset,
      });
      continue;
    }
    pending.push({ f, head, changedAt });
  }

  for (const { f, head, changedAt } of pending) {
    const base = {
      file: f.file,
      rel: f.rel,
      inode: f.st.ino,
      size: f.st.size,
      mtimeMs: f.st.mtimeMs,
      head,
    };
    const settled = now - f.st.mtimeMs > SETTLED_AFTER_MS;
    let plan: FilePlan | undefined;
    for (const [rel, mark] of Object.entries(marks)) {
      if (claimed.has(rel) || rel === f.rel || head === null || mark.head !== head) continue;
      if ((await changedSince(f.file, f.st.size, head, mark)) !== undefined) continue;
      claimed.add(rel);
      const end = await endOf(f.file, mark.offset, f.st.size, settled);
      plan = opts.snapshot
        ? undefined
        : {
            ...base,
            start: mark.offset,
            end: Math.max(end, mark.offset),
            startLine: mark.lines,
            reason: 'renamed',
            prev: mark,
            verified: mark.offset,
          };
      break;
    }
    const own = marks[f.rel];
    plan ??= {
      ...base,
      start: 0,
      end: await endOf(f.file, 0, f.st.size, settled),
      startLine: 0,
      reason:
        own === undefined
          ? 'new'
          : changedAt !== undefined && changedAt > 0
            ? 'edited'
            : 'replaced',
      prev: undefined,
      verified: 0,
      ...(changedAt !== undefined ? { changedAt } : {}),
    };
    plans.set(f.rel, plan);
  }
  return stats.map((f) => plans.get(f.rel)!);
}

/** The mark to store after reading `plan` up to `plan.end`; `blocks` when the reader hashed [0, end) itself. */
export async function markAfter(
  plan: FilePlan,
  read: { lines: number; columns?: readonly string[]; blocks?: readonly string[] },
): Promise<FileMark> {
  const blocks =
    read.blocks ?? (await blockHashes(plan.file, plan.end, plan.prev?.blocks, plan.verified));
  return {
    inode: plan.inode,
    size: plan.size,
    mtimeMs: plan.mtimeMs,
    offset: plan.end,
    lines: read.lines,
    head: plan.head,
    blocks,
    ...(read.columns !== undefined ? { columns: read.columns } : {}),
  };
}

/**
 * Where a file's bytes first differ from the bytes a mark read; undefined when they are all
 * still there (the file is the same, or it only grew). Marks written before block hashes are
 * checked by their content hash, or by the first line and the 4 KiB before the offset.
 */
async function changedSince(
  file: string,
  size: number,
  head: string | null,
  mark: FileMark,
): Promise<number | undefined> {
  if (size < mark.offset) return Math.min(size, mark.offset);
  if (mark.blocks !== undefined) return firstChangedBlock(file, mark.blocks, mark.offset);
  if (mark.hash !== undefined)
    return (await hashRange(file, 0, mark.offset)).hash === mark.hash ? undefined : 0;
  if (head === null || mark.head !== head) return 0;
  return (await tailHash(file, mark.offset)) === mark.tail ? undefined : 0;
}

/**
 * How far a reader may consume now: up to the end of the last complete line; the whole file
 * when its last line is final (`settled`). A line still being written is left for the next run.
 */
async function readableEnd(
  file: string,
  start: number,
  size: number,
  settled: boolean,
): Promise<number> {
  if (settled) return size;
  return lastLineEnd(file, start, size);
}
