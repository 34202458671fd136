import { access, constants, stat } from 'node:fs/promises';
import type { FilePlan } from './file-tracker.ts';
import path from 'node:path';
import type { ResolvedSource } from '../../../foundation/config-types.ts';
import { SourceError } from '../../../foundation/errors.ts';
import type { ResolvedTable } from '../../../foundation/config-types.ts';
import type { CheckProblem, CheckResult, ConnectorContext, ExtractJob } from '../../types.ts';
import { ConnectorError } from '../../errors.ts';
import { mappingProblems, withSqlParser } from '../check-mapping.ts';
import { matchFiles } from './file-tracker.ts';

/** Folder a file source's table paths are relative to: `connection.dir` (itself relative to the config file) or the config's folder. */
export function fileRoot(source: ResolvedSource, baseDir: string): string {
  const dir = source.connection.dir;
  if (typeof dir !== 'string') return baseDir;
  return path.isAbsolute(dir) ? dir : path.join(baseDir, dir);
}

/** `<kind> files in <dir>` for messages. */
export function describeFiles(kind: string, source: ResolvedSource): string {
  const dir = source.connection.dir;
  return `${kind} files in ${typeof dir === 'string' ? dir : 'the config folder'}`;
}

/** The table's `path` option (a file or a glob). */
export function tablePattern(options: Readonly<Record<string, unknown>>): string {
  const p = options.path;
  return typeof p === 'string' ? p : '';
}

/**
 * DuckDB read the file where it lies, to its end at that moment. A file that changed meanwhile
 * (still being written) may have given rows past the recorded size, which the next run would
 * read again: the load is given up and retried instead.
 */
export async function unchangedSince(plan: FilePlan, job: ExtractJob): Promise<void> {
  const now = await stat(plan.file).catch((err: unknown) => {
    throw fileError(job.source.name, job.table.name, plan.file, err);
  });
  if (now.size !== plan.size || now.mtimeMs !== plan.mtimeMs) {
    throw new SourceError(
      job.source.name,
      `source ${job.source.name} table ${job.table.name}: ${plan.rel} changed while it was read (still being written?); reading it again`,
      { retryable: true },
    );
  }
}

/** Whether the table declares every file a full snapshot of it (`snapshot: true`). */
export function isSnapshot(table: ResolvedTable): boolean {
  return table.options.snapshot === true;
}

/** The warning of a table whose path matches no file: the night goes on, but it ends partial. */
export function noFilesText(pattern: string, root: string): string {
  return `no file matches ${pattern} in ${root}; nothing read — check the table's path and connection.dir (or the export that writes the files)`;
}

export function emptyFileText(rel: string): string {
  return `${rel} is empty (no header, no rows); nothing read from it — check the export that writes it`;
}

/** A file that cannot be read as the kind's format: fails its own table's load, not the night. */
export function badFileError(job: ExtractJob, rel: string, what: string): ConnectorError {
  return new ConnectorError(
    'bad_file',
    `source ${job.source.name} table ${job.table.name}: ${rel} ${what}; remove it from the folder or narrow the table's path — nothing of this load landed`,
  );
}

/** Files of one table, or a SourceError that says which folder and pattern to check. */
export async function listTableFiles(
  source: ResolvedSource,
  table: string,
  root: string,
  pattern: string,
): Promise<{ file: string; rel: string }[]> {
  try {
    await access(root, constants.R_OK);
    if (!(await stat(root)).isDirectory())
      throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    throw fileError(source.name, table, root, err);
  }
  try {
    return await matchFiles(root, pattern);
  } catch (err) {
    throw fileError(source.name, table, path.join(root, pattern), err);
  }
}

/** The one place file-system errors become SourceErrors: which source, table and path, and what to check. */
export function fileError(source: string, table: string, where: string, err: unknown): SourceError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  const what: Record<string, string> = {
    ENOENT: 'does not exist; check connection.dir and the table path in cdw.yaml',
    ENOTDIR: 'is not a folder; check connection.dir in cdw.yaml',
    EACCES: 'cannot be read by this user; check file permissions',
    EPERM: 'cannot be read by this user; check file permissions',
    EISDIR: 'is a folder, not a file; check the table path',
  };
  const retryable = ['EBUSY', 'EAGAIN', 'EMFILE', 'ENFILE', 'EIO'].includes(code);
  const detail =
    what[code] ??
    `could not be read (${code || (err instanceof Error ? err.message.split('\n')[0] : String(err))})${retryable ? '; will retry' : ''}`;
  return new SourceError(source, `source ${source} table ${table}: ${where} ${detail}`, {
    retryable,
    cause: err,
  });
}

/** The columns a file table has now, from its files (newest first); what a mapping may name. */
export type FileColumns = (
  source: ResolvedSource,
  table: ResolvedTable,
  files: readonly { file: string; rel: string }[],
) => Promise<string[]>;

/** The table's files, newest first. */
async function newestFirst(
  files: readonly { file: string; rel: string }[],
): Promise<{ file: string; rel: string }[]> {
  const withTimes = await Promise.all(
    files.map(async (f) => ({ ...f, t: (await stat(f.file)).mtimeMs })),
  );
  return withTimes.sort((a, b) => b.t - a.t || b.rel.localeCompare(a.rel));
}

/** `columns` of a file kind: its files' columns as `columnsOf` reads them. */
export async function fileTableColumns(
  source: ResolvedSource,
  table: ResolvedTable,
  ctx: ConnectorContext,
  columnsOf: FileColumns,
): Promise<string[]> {
  const root = fileRoot(source, ctx.baseDir ?? process.cwd());
  const files = await listTableFiles(source, table.name, root, tablePattern(table.options));
  return columnsOf(source, table, await newestFirst(files));
}

/**
 * `check` for file kinds: the folder is readable, every table's pattern matches at least one
 * file, and every column the table's config names is among the columns its files have.
 */
export async function checkFiles(
  source: ResolvedSource,
  ctx: ConnectorContext,
  columnsOf: FileColumns,
): Promise<CheckResult> {
  const root = fileRoot(source, ctx.baseDir ?? process.cwd());
  const parts: string[] = [];
  const problems: CheckProblem[] = [];
  await withSqlParser(async (parser) => {
    for (const t of source.tables.filter((x) => x.enabled)) {
      const pattern = tablePattern(t.options);
      let files: { file: string; rel: string }[];
      try {
        files = await listTableFiles(source, t.name, root, pattern);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        problems.push(
          typeof source.connection.dir === 'string' && message.includes(root)
            ? { key: 'connection.dir', message }
            : { table: t.name, key: 'path', message },
        );
        parts.push(message);
        continue;
      }
      if (files.length === 0) {
        const message = `no file matches ${pattern} in ${root}; check the path`;
        problems.push({ table: t.name, key: 'path', message });
        parts.push(`${t.name}: ${message}`);
        continue;
      }
      let columns: string[];
      try {
        columns = await columnsOf(source, t, await newestFirst(files));
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        problems.push({ table: t.name, key: 'path', message });
        parts.push(`${t.name}: ${message}`);
        continue;
      }
      const mapping = await mappingProblems(parser, t, columns, `the files of ${t.name}`);
      problems.push(...mapping);
      parts.push(
        mapping.length === 0
          ? `${t.name}: ${files.length} file${files.length === 1 ? '' : 's'}`
          : `${t.name}: ${mapping.map((m) => m.message).join('; ')}`,
      );
    }
  });
  return { ok: problems.length === 0, detail: parts.join('; '), problems };
}
