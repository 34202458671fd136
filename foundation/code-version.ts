import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';

const versions = new Map<string, string>();

/**
 * Hash of a folder of cdw's code (every file but its notes, `*.md`) and of the given files
 * besides (a library's package.json, for its version). A step that keeps state from night to
 * night stores it, so a change of its code redoes everything and a fix applies to every row.
 */
export function codeVersion(folder: URL, alsoFiles: readonly URL[] = []): string {
  const key = [folder.href, ...alsoFiles.map((f) => f.href)].join('\n');
  const known = versions.get(key);
  if (known !== undefined) return known;
  const h = createHash('md5');
  const walk = (dir: URL): void => {
    for (const f of readdirSync(dir).sort()) {
      const u = new URL(f, dir);
      if (statSync(u).isDirectory()) walk(new URL(`${f}/`, dir));
      else if (!f.endsWith('.md'))
        h.update(u.pathname.slice(folder.pathname.length)).update(readFileSync(u));
    }
  };
  walk(folder);
  for (const f of alsoFiles) h.update(readFileSync(f));
  const version = h.digest('hex');
  versions.set(key, version);
  return version;
}
