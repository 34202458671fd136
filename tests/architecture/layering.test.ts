import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The layers, bottom first: a module may import its own layer and the layers below it. */
const LAYERS = ['foundation', 'connectors', 'transforms', 'identity', 'warehouse', 'jobs'] as const;
/** Tools beside the layers: they may import any layer, and no layer imports them… */
const TOOLS = ['demo', 'bench', 'tests'] as const;
/** …except the CLI command that runs the tool. */
const ALLOWED_TOOL_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  'jobs/cli/commands/demo.ts': ['demo'],
};

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(rel));
    else if (e.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

const SPECIFIER =
  /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The project folder each relative import of `file` reaches (imports of packages are skipped). */
export function importedFolders(file: string, text: string): { spec: string; folder: string }[] {
  const out: { spec: string; folder: string }[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined || !spec.startsWith('.')) continue;
    const target = path.normalize(path.join(path.dirname(file), spec));
    out.push({ spec, folder: target.split(path.sep)[0]! });
  }
  return out;
}

function violations(): string[] {
  const found: string[] = [];
  for (const [rank, layer] of LAYERS.entries()) {
    for (const file of tsFiles(layer)) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const { spec, folder } of importedFolders(file, text)) {
        const targetRank = LAYERS.indexOf(folder as (typeof LAYERS)[number]);
        if (targetRank >= 0 && targetRank <= rank) continue;
        if ((ALLOWED_TOOL_IMPORTS[file] ?? []).includes(folder)) continue;
        const why =
          targetRank > rank
            ? `imports the higher layer ${folder}/`
            : (TOOLS as readonly string[]).includes(folder)
              ? `imports the tool folder ${folder}/`
              : `imports ${folder}/, outside the layers`;
        found.push(`${file}: ${why} ('${spec}')`);
      }
    }
  }
  return found;
}

describe('the layering of the source tree', () => {
  it('has no module importing a higher layer, and a foundation that imports only itself', () => {
    expect(violations()).toEqual([]);
  });

  it('sees an upward import when there is one (the check itself works)', () => {
    expect(
      importedFolders('connectors/x.ts', "import { runPipeline } from '../jobs/pipeline.ts';"),
    ).toEqual([{ spec: '../jobs/pipeline.ts', folder: 'jobs' }]);
    expect(
      importedFolders('foundation/a.ts', "import type { X } from '../identity/model.ts';"),
    ).toEqual([{ spec: '../identity/model.ts', folder: 'identity' }]);
    expect(importedFolders('foundation/a.ts', "import pg from 'pg';")).toEqual([]);
  });
});
