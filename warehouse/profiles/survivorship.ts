import { closest } from '../../foundation/did-you-mean.ts';
import { ATTRIBUTE_GROUPS, RULE_NAMES, type AttributeGroup, type RuleName } from './attributes.ts';
import { WarehouseAccessError } from '../errors.ts';

/** A group with the rule chain that decides its golden value. */
export interface GroupRule {
  readonly group: AttributeGroup;
  readonly rules: readonly RuleName[];
  /** As written in lineage: `most_frequent>most_recent`. */
  readonly label: string;
}

/**
 * Resolves `profiles.survivorship` (attribute → rule chain) over the defaults. A key is a group
 * name (`name`, `address`, …) or one of its columns (`last_name` sets the whole name group). A
 * chain is rules separated by `then`, `,` or `>`: `most_frequent then most_recent`.
 */
export function resolveSurvivorship(config: Readonly<Record<string, string>>): GroupRule[] {
  const byGroup = new Map<string, readonly RuleName[]>();
  const byKey = new Map<string, AttributeGroup>();
  for (const g of ATTRIBUTE_GROUPS) {
    byKey.set(g.name, g);
    for (const c of g.columns) byKey.set(c.name, g);
  }
  for (const [key, chain] of Object.entries(config)) {
    const group = byKey.get(key);
    if (group === undefined) {
      const hint = closest(key, byKey.keys());
      throw new WarehouseAccessError(
        'config_invalid',
        `profiles.survivorship.${key}: not a profile attribute${hint ? `; did you mean "${hint}"?` : ''} (attributes: ${ATTRIBUTE_GROUPS.map((g) => g.name).join(', ')})`,
      );
    }
    const rules = parseChain(`profiles.survivorship.${key}`, chain);
    const earlier = byGroup.get(group.name);
    if (earlier !== undefined && earlier.join() !== rules.join()) {
      throw new WarehouseAccessError(
        'config_invalid',
        `profiles.survivorship.${key}: conflicts with another rule for the "${group.name}" group; its columns always come from one record`,
      );
    }
    byGroup.set(group.name, rules);
  }
  return ATTRIBUTE_GROUPS.map((group) => {
    const rules = byGroup.get(group.name) ?? group.defaultRule;
    return { group, rules, label: rules.join('>') };
  });
}

function parseChain(where: string, chain: string): RuleName[] {
  const parts = chain
    .split(/\s*(?:,|>|\bthen\b)\s*/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0)
    throw new WarehouseAccessError(
      'config_invalid',
      `${where}: empty rule; expected one of ${RULE_NAMES.join(', ')}`,
    );
  return parts.map((p) => {
    if ((RULE_NAMES as readonly string[]).includes(p)) return p as RuleName;
    const hint = closest(p, RULE_NAMES);
    throw new WarehouseAccessError(
      'config_invalid',
      `${where}: unknown rule "${p}"${hint ? `; did you mean "${hint}"?` : ''} (rules: ${RULE_NAMES.join(', ')})`,
    );
  });
}
