import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import type { ResolvedSource } from '../../../foundation/config-types.ts';
import { CONNECTOR_KINDS } from '../../../connectors/registry.ts';
import type { ConnectorKind } from '../../../connectors/types.ts';
import { JobError } from '../../errors.ts';

/** One table found in a source: its `table:` or `path:` and its columns. */
export interface FoundTable {
  readonly name: string;
  /** `table: schema.name` for databases, `path: glob` (relative to the source's dir) for files */
  readonly table?: string;
  readonly path?: string;
  readonly columns: readonly string[];
  readonly primaryKey: readonly string[];
}

/** A source named on the command line, with what it holds. */
export interface FoundSource {
  readonly name: string;
  readonly kind: ConnectorKind;
  /** the URL as given (it may hold a password: the writer puts it in an environment variable) */
  readonly url?: string;
  /** the folder of the files, relative to the config's folder */
  readonly dir?: string;
  readonly tables: readonly FoundTable[];
}

const NAME = /^[a-z][a-z0-9_]{0,62}$/;

function bareSource(name: string, kind: ConnectorKind, url: string): ResolvedSource {
  return {
    name,
    system: name,
    kind: kind.kind,
    preset: undefined,
    timezone: 'UTC',
    defaultCountry: 'US',
    enabled: true,
    connection: { url },
    tables: [],
  };
}

/** accounts_2026-11-01.csv → accounts_*.csv; access.log.1 → access.log*: one table per family. */
function family(file: string): string {
  const log = /^(.*\.log)(\.\d+)?$/i.exec(file);
  if (log) return `${log[1]}*`;
  return file.replace(/\d[\d_.-]*\d|\d/g, '*').replace(/\*+/g, '*');
}

/** `billing.*` or `public.cust*` as a whole-name test. */
function globRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${body}$`, 'i');
}

function fileKind(file: string): ConnectorKind | undefined {
  return CONNECTOR_KINDS.find((k) => k.discovery?.filePattern?.test(file));
}

/**
 * Reads what a `name=URL` or `name=path` argument points at: a database's tables and columns,
 * or the files of a folder (or a glob) grouped into tables, with their columns.
 */
export async function discoverSource(
  arg: string,
  configDir: string,
  opts: { only?: string } = {},
): Promise<FoundSource> {
  const eq = arg.indexOf('=');
  if (eq < 1)
    throw new JobError(
      'usage',
      `"${arg.replace(/:\/\/[^@/]*@/, '://…@')}": give each source as NAME=URL or NAME=PATH, e.g. billing=postgres://user@host/db or shop=exports/`,
    );
  const name = arg.slice(0, eq);
  const target = arg.slice(eq + 1);
  if (!NAME.test(name))
    throw new JobError(
      'usage',
      `source name "${name}": use lowercase letters, digits and _, starting with a letter`,
    );
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    const kind = CONNECTOR_KINDS.find((k) => k.discovery?.urlSchemes?.includes(scheme));
    if (!kind?.discovery?.listTables)
      throw new JobError(
        'usage',
        `source ${name}: no connector reads ${scheme}:// URLs (${CONNECTOR_KINDS.flatMap((k) => k.discovery?.urlSchemes ?? []).join(', ')})`,
      );
    const only = opts.only === undefined ? undefined : globRegExp(opts.only);
    const tables = (await kind.discovery.listTables(bareSource(name, kind, target))).filter(
      (t) => only === undefined || only.test(t.name),
    );
    return {
      name,
      kind,
      url: target,
      tables: tables.map((t) => ({
        name: t.name,
        table: t.name,
        columns: t.columns,
        primaryKey: t.primaryKey,
      })),
    };
  }
  const abs = path.resolve(configDir, target);
  const isDir = existsSync(abs) && statSync(abs).isDirectory();
  const dir = isDir ? abs : path.dirname(abs);
  const files = isDir
    ? readdirSync(abs).filter((f) => statSync(path.join(abs, f)).isFile())
    : (await glob(path.basename(abs), { cwd: dir, onlyFiles: true })).sort();
  if (files.length === 0) throw new JobError('usage', `source ${name}: no file at ${target}`);
  const byFamily = new Map<string, string[]>();
  for (const f of files.sort()) {
    if (fileKind(f) === undefined) continue;
    const fam = isDir ? family(f) : path.basename(abs);
    byFamily.set(fam, [...(byFamily.get(fam) ?? []), f]);
  }
  const kinds = [...new Set([...byFamily.values()].map((fs) => fileKind(fs[0]!)!))];
  if (kinds.length === 0)
    throw new JobError(
      'usage',
      `source ${name}: no file cdw reads at ${target} (CSV, JSON lines or web server logs)`,
    );
  if (kinds.length > 1)
    throw new JobError(
      'usage',
      `source ${name}: ${target} holds files of several kinds (${kinds.map((k) => k.kind).join(', ')}); name one kind per source, e.g. ${name}=${path.join(target, '*.csv')}`,
    );
  const kind = kinds[0]!;
  const tables: FoundTable[] = [];
  for (const [fam, fs] of byFamily) {
    const first = path.join(dir, fs[fs.length - 1]!);
    const columns = kind.discovery?.fileColumns ? await kind.discovery.fileColumns(first) : [];
    tables.push({
      // accounts_*.csv → accounts; access.log* → access
      name:
        fam
          .split('.')[0]!
          .replace(/\*.*$/, '')
          .replace(/[_.-]+$/, '') || fam,
      path: fam,
      columns,
      primaryKey: [],
    });
  }
  return { name, kind, dir: path.relative(configDir, dir) || '.', tables };
}
