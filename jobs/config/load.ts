import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../../foundation/errors.ts';
import { buildConfigSchema, type ParsedConfig } from './schema.ts';
import { interpolateEnv } from './env.ts';
import { didYouMean } from '../../foundation/did-you-mean.ts';
import { checkSemantics } from './semantics.ts';
import { resolveConfig } from './resolve.ts';
import type { CdwConfig } from '../../foundation/config-types.ts';
import { CONNECTOR_KINDS } from '../../connectors/registry.ts';
import { applyPresets } from './presets/index.ts';
import { clearTextPasswords } from './secrets.ts';

export interface LoadOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads, validates and resolves `cdw.yaml`. Throws ConfigError listing every mistake by path. */
export function loadConfig(file: string, opts: LoadOptions = {}): CdwConfig {
  const abs = path.resolve(file);
  if (!existsSync(abs)) {
    throw new ConfigError(file, [
      {
        path: '',
        message: `no config file at ${abs}; pass --config FILE, or run "cdw demo" to generate a sample`,
      },
    ]);
  }
  return parseConfigText(readFileSync(abs, 'utf8'), abs, opts);
}

/**
 * Where a config path (`sources[1].tables[0].mapping.email`) is in a config file: its line and
 * column, or the nearest enclosing key's when the path is not written out (a default, a preset's
 * table); line 1 when nothing of it is. For reporting problems found after loading (`cdw check`).
 */
export function configLocator(file: string): (p: string) => { line: number; column?: number } {
  let text = '';
  try {
    text = readFileSync(path.resolve(file), 'utf8');
  } catch {
    // an unreadable file has no lines to point at
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  return (p) => {
    const at = locatePath(doc.contents, p, lineCounter);
    return at.line === undefined ? { line: 1 } : { line: at.line, column: at.column };
  };
}

/** Validates config text; `file` locates it (relative paths in it resolve against its folder). */
export function parseConfigText(text: string, file: string, opts: LoadOptions = {}): CdwConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => {
        // The parser's own position (linePos is filled only for its pretty errors).
        const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
        return {
          path: '',
          message: `not valid YAML: ${e.message.split('\n')[0]}`,
          line: pos.line,
          column: pos.col,
        };
      }),
    );
  }
  const locate = (p: string) => {
    const at = locatePath(doc.contents, p, lineCounter);
    // A mistake no key of the file shows (a missing top-level block) is at the top of the file.
    return at.line === undefined ? { line: 1 } : at;
  };
  const withPositions = (issues: ConfigIssue[]) => issues.map((i) => ({ ...i, ...locate(i.path) }));

  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      {
        path: '',
        message: `expected a mapping of settings (warehouse:, sources:, …); found ${describe(raw)}`,
      },
    ]);
  }
  const envIssues: ConfigIssue[] = clearTextPasswords(raw);
  const interpolated = interpolateEnv(raw, opts.env ?? process.env, envIssues);
  const presetIssues: ConfigIssue[] = [];
  const expanded = applyPresets(interpolated, presetIssues);

  const schema = buildConfigSchema(CONNECTOR_KINDS);
  const parsed = schema.safeParse(expanded);
  const issues: ConfigIssue[] = [...envIssues, ...presetIssues];
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map((i) => zodIssue(i, expanded)));
    throw new ConfigError(file, withPositions(dedupe(issues)));
  }
  issues.push(...checkSemantics(parsed.data as ParsedConfig));
  if (issues.length > 0) throw new ConfigError(file, withPositions(dedupe(issues)));
  return resolveConfig(parsed.data as ParsedConfig, file);
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg as string];
  }
  return cur;
}

/** What was found, without echoing anything that may be a secret. */
function describe(v: unknown, secret = false): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return secret || v.length > 60 ? 'a string' : `"${v}"`;
  return secret ? `a ${typeof v}` : `${typeof v} ${String(v)}`;
}

function zodIssue(issue: z.core.$ZodIssue, root: unknown): ConfigIssue {
  const p = formatPath(issue.path);
  const found = valueAt(root, issue.path);
  const secret = issue.path.includes('connection');
  switch (issue.code) {
    case 'invalid_type':
      if (found === undefined)
        return { path: p, message: `required: expected ${issue.expected}, found nothing` };
      return { path: p, message: `expected ${issue.expected}, found ${describe(found, secret)}` };
    case 'unrecognized_keys': {
      const parent = valueAt(root, issue.path);
      const known = knownKeysHint(issue);
      return {
        path: issue.keys.length === 1 ? formatPath([...issue.path, issue.keys[0]!]) : p,
        message:
          issue.keys.length === 1
            ? `unknown setting "${issue.keys[0]}"${didYouMean(issue.keys[0]!, known)}`
            : `unknown settings ${issue.keys.map((k) => `"${k}"`).join(', ')}${parent ? '' : ''}`,
      };
    }
    case 'invalid_value':
      return {
        path: p,
        message: `${found === undefined ? 'required: ' : ''}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}; found ${describe(found, secret)}${
          typeof found === 'string' ? didYouMean(found, issue.values.map(String)) : ''
        }`,
      };
    case 'invalid_union': {
      const disc = (issue as { discriminator?: string }).discriminator;
      if (disc !== undefined) {
        const kinds = CONNECTOR_KINDS.map((k) => k.kind);
        const at = issue.path[issue.path.length - 1] === disc ? issue.path : [...issue.path, disc];
        const got = valueAt(root, at);
        return {
          path: formatPath(at),
          message: `expected one of ${kinds.join(', ')}; found ${describe(got)}${typeof got === 'string' ? didYouMean(got, kinds) : ''}`,
        };
      }
      return { path: p, message: `${issue.message}; found ${describe(found, secret)}` };
    }
    case 'too_small':
      return { path: p, message: `${issue.message}; found ${describe(found, secret)}` };
    default:
      return { path: p, message: `${issue.message}; found ${describe(found, secret)}` };
  }
}

function knownKeysHint(issue: z.core.$ZodIssue): string[] {
  // zod does not list the allowed keys on the issue, so the schema is walked for them.
  const { byPath, all } = collectKnownKeys();
  return byPath.get(issue.path.filter((s) => typeof s === 'string').join('.')) ?? all;
}

function collectKnownKeys(): { byPath: Map<string, string[]>; all: string[] } {
  const ALL_KNOWN_KEYS: string[] = [];
  const KNOWN_KEYS_BY_DEPTH = new Map<string, string[]>();
  const schema = buildConfigSchema(CONNECTOR_KINDS);
  const walk = (s: unknown, at: string) => {
    const def = (
      s as {
        def?: {
          type?: string;
          shape?: Record<string, unknown>;
          innerType?: unknown;
          element?: unknown;
          options?: unknown[];
        };
      }
    ).def;
    if (!def) return;
    if (def.type === 'object' && def.shape) {
      const keys = Object.keys(def.shape);
      KNOWN_KEYS_BY_DEPTH.set(at, [...new Set([...(KNOWN_KEYS_BY_DEPTH.get(at) ?? []), ...keys])]);
      ALL_KNOWN_KEYS.push(...keys);
      for (const [k, v] of Object.entries(def.shape)) walk(v, at ? `${at}.${k}` : k);
    } else if (def.innerType) walk(def.innerType, at);
    else if (def.element) walk(def.element, at);
    else if (def.options) for (const o of def.options) walk(o, at);
  };
  walk(schema, '');
  return { byPath: KNOWN_KEYS_BY_DEPTH, all: ALL_KNOWN_KEYS };
}

function locatePath(
  contents: unknown,
  p: string,
  lc: LineCounter,
): { line?: number; column?: number } {
  if (!p) return {};
  const segs: (string | number)[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    segs.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  let node = contents as Node | null | undefined;
  let last: Node | null | undefined = node;
  for (const seg of segs) {
    if (isMap(node)) {
      const pair = node.items.find(
        (it) => isScalar(it.key) && String(it.key.value) === String(seg),
      );
      if (!pair) break;
      last = (pair.key as Node) ?? last;
      node = pair.value as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg] as Node;
      last = node ?? last;
    } else break;
  }
  const range = last?.range;
  if (!range) return {};
  const pos = lc.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}
