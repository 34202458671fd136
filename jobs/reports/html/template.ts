import { readFileSync } from 'node:fs';
import { InternalError } from '../../../foundation/errors.ts';
import { esc } from './svg-common.ts';

/** HTML already built (a chart, a table): inserted as it is. Anything else is text, escaped. */
export class Html {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export const html = (s: string) => new Html(s);

const cache = new Map<string, string>();

/**
 * Fills `templates/<name>.html`: `{{key}}` takes a value, escaped unless it is `Html`. A key
 * the template names and `values` lacks, or a value the template has no place for, is a bug
 * (thrown), so a template and its caller cannot drift apart silently.
 */
export function fill(name: string, values: Readonly<Record<string, string | number | Html>>): Html {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./templates/${name}.html`, import.meta.url), 'utf8');
    cache.set(name, text);
  }
  const used = new Set<string>();
  const out = text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new InternalError(`template ${name}: no value for {{${key}}}`);
    used.add(key);
    return v instanceof Html ? v.html : esc(v);
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0)
    throw new InternalError(`template ${name} has no {{${unused.join('}}, {{')}}}`);
  return html(out);
}
