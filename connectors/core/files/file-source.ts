import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedSource } from '../../../foundation/config-types.ts';
import { SourceError } from '../../../foundation/errors.ts';
import type { ResolvedTable } from '../../../foundation/config-types.ts';
import type { CheckResult, ConnectorContext, ExtractJob } from '../../types.ts';
import { ConnectorError } from '../../errors.ts';
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

/** `check` for file kinds: the folder is readable and every table's pattern matches at least one file. */
export async function checkFiles(
  source: ResolvedSource,
  ctx: ConnectorContext,
): Promise<CheckResult> {
  const root = fileRoot(source, ctx.baseDir ?? process.cwd());
  const parts: string[] = [];
  let ok = true;
  for (const t of source.tables.filter((x) => x.enabled)) {
    const pattern = tablePattern(t.options);
    try {
      const files = await listTableFiles(source, t.name, root, pattern);
      if (files.length === 0) {
        ok = false;
        parts.push(`${t.name}: no file matches ${pattern} in ${root}; check the path`);
      } else parts.push(`${t.name}: ${files.length} file${files.length === 1 ? '' : 's'}`);
    } catch (err) {
      ok = false;
      parts.push(err instanceof Error ? err.message : String(err));
    }
  }
  return { ok, detail: parts.join('; ') };
}
