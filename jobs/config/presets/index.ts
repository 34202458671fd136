import type { ConfigIssue } from '../../../foundation/errors.ts';
import { didYouMean } from '../../../foundation/did-you-mean.ts';
import type { Preset, PresetTable } from './types.ts';
import { billingPreset } from './billing.ts';
import { erpPreset } from './erp.ts';
import { posPreset } from './pos.ts';
import { webPreset } from './web.ts';
import { contactCenterPreset } from './contact-center.ts';
import { marketingPreset } from './marketing.ts';

export type { Preset, PresetTable } from './types.ts';

/** The presets cdw ships: one per system of the mission, and the marketing database. */
export const PRESETS: readonly Preset[] = [
  billingPreset,
  erpPreset,
  posPreset,
  webPreset,
  contactCenterPreset,
  marketingPreset,
];

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** A preset table with a source's entry of the same name laid over it; mapping fields set to null are dropped. */
export function mergeTable(
  base: PresetTable,
  own: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...structuredClone(base), ...own };
  if (isRecord(own.mapping)) {
    const mapping: Record<string, unknown> = { ...base.mapping };
    for (const [k, v] of Object.entries(own.mapping)) {
      if (v === null) delete mapping[k];
      else mapping[k] = v;
    }
    merged.mapping = mapping;
  }
  return merged;
}

/**
 * The tables of a source after its preset: its own entries first (each laid over the preset
 * table of the same name, so error paths still point at the user's YAML), then the preset's
 * tables it did not mention.
 */
function expandTables(preset: readonly PresetTable[], own: unknown): unknown {
  if (own === undefined) return preset.map((t): unknown => structuredClone(t));
  if (!Array.isArray(own)) return own;
  const mentioned = new Set<string>();
  const out: unknown[] = (own as unknown[]).map((entry) => {
    if (!isRecord(entry) || typeof entry.name !== 'string') return entry;
    const base = preset.find((t) => t.name === entry.name);
    if (base === undefined) return entry;
    mentioned.add(base.name);
    return mergeTable(base, entry);
  });
  for (const t of preset) if (!mentioned.has(t.name)) out.push(structuredClone(t));
  return out;
}

/**
 * Expands `preset:` on sources into ready table mappings before validation. An unknown preset,
 * or one without tables for the source's kind, is reported with its path; the source is then
 * left as written so the other mistakes are reported too.
 */
export function applyPresets(config: unknown, issues: ConfigIssue[]): unknown {
  if (!isRecord(config) || !Array.isArray(config.sources)) return config;
  const names = PRESETS.map((p) => p.name);
  const sources = config.sources.map((s: unknown, i: number) => {
    if (!isRecord(s) || s.preset === undefined) return s;
    const at = `sources[${i}].preset`;
    if (typeof s.preset !== 'string') return s;
    const preset = findPreset(s.preset);
    if (preset === undefined) {
      issues.push({
        path: at,
        message: `unknown preset "${s.preset}"${didYouMean(s.preset, names)} (presets: ${names.join(', ')})`,
      });
      return s;
    }
    if (typeof s.kind !== 'string') return s;
    const tables = preset.tables[s.kind];
    if (tables === undefined) {
      const kinds = Object.keys(preset.tables);
      issues.push({
        path: at,
        message: `preset "${preset.name}" has no tables for kind ${s.kind}; it has tables for ${kinds.join(', ')}`,
      });
      return s;
    }
    return { system: preset.name, ...s, tables: expandTables(tables, s.tables) };
  });
  return { ...config, sources };
}
