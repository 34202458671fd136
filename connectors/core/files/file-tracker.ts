import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { hashRange, headHash, lastLineEnd, tailHash } from './byte-ranges.ts';

/** What the state remembers of one file (`meta.source_state.state.files[<path relative to dir>]`). */
export interface FileMark {
  readonly inode: number;
  readonly size: number;
  readonly mtimeMs: number;
  /** Bytes read so far (the whole file for whole-file reads; up to the last complete line for line reads). */
  readonly offset: number;
  /** Lines in those bytes, so line numbers continue where the last read stopped. */
  readonly lines: number;
  /** Hash of the first line: the file's identity while it grows. */
  readonly head: string | null;
  /** Hash of the 4 KiB before `offset`: the bytes already read are still there. */
  readonly tail: string;
  /** Hash of the content read, for whole-file reads: a rewritten file with the same content is not read again. */
  readonly hash?: string;
  /** Kind-specific extras (e.g. the CSV header, to read rows appended later). */
  readonly columns?: readonly string[];
}

export type PlanReason = 'new' | 'grown' | 'renamed' | 'replaced' | 'unchanged';

/** What to read of one file now: bytes [start, end). */
export interface FilePlan {
  readonly file: string;
  readonly rel: string;
  readonly start: number;
  readonly end: number;
  /** Lines before `start` (0 for a fresh read). */
  readonly startLine: number;
  readonly reason: PlanReason;
  /** The mark this read continues (grown, renamed, unchanged). */
  readonly prev: FileMark | undefined;
  readonly inode: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly head: string | null;
}

export interface TrackOptions {
  /** Consume only complete lines (logs, JSON lines); otherwise whole files. */
  readonly lineOriented: boolean;
}

/** Files matching `pattern` under `dir`, oldest first (modification time, then name). */
export async function matchFiles(
  dir: string,
  pattern: string,
): Promise<{ file: string; rel: string }[]> {
  const found = await glob(pattern, { cwd: dir, absolute: true, onlyFiles: true, dot: false });
  return found.map((file) => ({ file, rel: path.relative(dir, file) || path.basename(file) }));
}

/**
 * Decides for each file what is new since the marks of the last committed load: a file never
 * seen is read whole; a file that grew (same first line, the bytes read before unchanged) is
 * read from where the last read stopped; a rotated file (renamed or copied — found by its first
 * line and the bytes before the old offset) continues under its new name; a file replaced under
 * the same name (first line or earlier bytes differ, or it shrank) is read from the start.
 */
export async function planFiles(
  found: readonly { file: string; rel: string }[],
  marks: Readonly<Record<string, FileMark>>,
  opts: TrackOptions,
): Promise<FilePlan[]> {
  const stats = await Promise.all(found.map(async (f) => ({ ...f, st: await stat(f.file) })));
  stats.sort((a, b) => a.st.mtimeMs - b.st.mtimeMs || a.rel.localeCompare(b.rel));
  const claimed = new Set<string>();
  const pending: { f: (typeof stats)[number]; head: string | null }[] = [];
  const plans = new Map<string, FilePlan>();

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
      plans.set(f.rel, {
        ...base,
        start: own.offset,
        end: own.offset,
        startLine: own.lines,
        reason: 'unchanged',
        prev: own,
        head: own.head,
      });
      continue;
    }
    const head = await headHash(f.file, f.st.size);
    if (own !== undefined && (await continues(f.file, f.st.size, head, own))) {
      claimed.add(f.rel);
      plans.set(f.rel, {
        ...base,
        start: own.offset,
        end: await endOf(f.file, own.offset, f.st.size, opts),
        startLine: own.lines,
        reason: own.offset === f.st.size ? 'unchanged' : 'grown',
        prev: own,
        head,
      });
      continue;
    }
    pending.push({ f, head });
  }

  for (const { f, head } of pending) {
    const base = {
      file: f.file,
      rel: f.rel,
      inode: f.st.ino,
      size: f.st.size,
      mtimeMs: f.st.mtimeMs,
      head,
    };
    let plan: FilePlan | undefined;
    for (const [rel, mark] of Object.entries(marks)) {
      if (claimed.has(rel) || rel === f.rel || head === null || mark.head !== head) continue;
      if (!(await continues(f.file, f.st.size, head, mark))) continue;
      claimed.add(rel);
      plan = {
        ...base,
        start: mark.offset,
        end: await endOf(f.file, mark.offset, f.st.size, opts),
        startLine: mark.lines,
        reason: 'renamed',
        prev: mark,
      };
      break;
    }
    const own = marks[f.rel];
    if (
      plan === undefined &&
      own?.hash !== undefined &&
      !opts.lineOriented &&
      (await hashRange(f.file, 0, f.st.size)).hash === own.hash
    ) {
      plan = {
        ...base,
        start: f.st.size,
        end: f.st.size,
        startLine: own.lines,
        reason: 'unchanged',
        prev: own,
      };
    }
    plan ??= {
      ...base,
      start: 0,
      end: await endOf(f.file, 0, f.st.size, opts),
      startLine: 0,
      reason: own === undefined ? 'new' : 'replaced',
      prev: undefined,
    };
    plans.set(f.rel, plan);
  }
  return stats.map((f) => plans.get(f.rel)!);
}

/** The mark to store after reading `plan` up to `plan.end`. */
export async function markAfter(
  plan: FilePlan,
  read: { lines: number; hash?: string; columns?: readonly string[] },
): Promise<FileMark> {
  return {
    inode: plan.inode,
    size: plan.size,
    mtimeMs: plan.mtimeMs,
    offset: plan.end,
    lines: read.lines,
    head: plan.head,
    tail: await tailHash(plan.file, plan.end),
    ...(read.hash !== undefined ? { hash: read.hash } : {}),
    ...(read.columns !== undefined ? { columns: read.columns } : {}),
  };
}

async function continues(
  file: string,
  size: number,
  head: string | null,
  mark: FileMark,
): Promise<boolean> {
  if (head === null || mark.head !== head || size < mark.offset) return false;
  return (await tailHash(file, mark.offset)) === mark.tail;
}

async function endOf(
  file: string,
  start: number,
  size: number,
  opts: TrackOptions,
): Promise<number> {
  return opts.lineOriented ? lastLineEnd(file, start, size) : size;
}
