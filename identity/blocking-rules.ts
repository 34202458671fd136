import { COMPARISONS, type Comparison } from './comparisons.ts';
import { IdentityError } from './errors.ts';

/**
 * A blocking rule: expressions over `identity.records`, written `a & b & c`. Two records are
 * a candidate pair when every expression gives the same non-NULL value for both.
 */
export interface BlockingRule {
  /** Position in the configured list, from 0; also its bit in a pair's rule mask. */
  readonly no: number;
  readonly text: string;
  readonly keys: readonly string[];
  /** Comparisons whose columns the rule reads: EM for this rule's pairs leaves them out. */
  readonly fixes: readonly string[];
}

/** Rule masks are BIGINT bit sets. */
export const MAX_BLOCKING_RULES = 62;

export function parseBlockingRules(
  texts: readonly string[],
  comparisons: readonly Comparison[] = COMPARISONS,
): BlockingRule[] {
  if (texts.length === 0)
    throw new IdentityError(
      'config_invalid',
      'identity.blocking_rules: at least one rule is needed',
    );
  if (texts.length > MAX_BLOCKING_RULES) {
    throw new IdentityError(
      'config_invalid',
      `identity.blocking_rules: at most ${MAX_BLOCKING_RULES} rules (got ${texts.length})`,
    );
  }
  return texts.map((text, no) => {
    const keys = splitTopLevel(text, no);
    const words = new Set(text.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
    const fixes = comparisons
      .filter((c) => c.columns.some((col) => words.has(col)))
      .map((c) => c.name);
    return { no, text, keys, fixes };
  });
}

function splitTopLevel(text: string, no: number): string[] {
  if (text.includes(';'))
    throw new IdentityError(
      'config_invalid',
      `identity.blocking_rules[${no}]: a rule is expressions joined by "&", without ";"`,
    );
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '&' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur.trim());
  if (depth !== 0 || quote !== null || parts.some((p) => p.length === 0)) {
    throw new IdentityError(
      'config_invalid',
      `identity.blocking_rules[${no}]: cannot read "${text}"; write expressions over identity.records joined by "&", e.g. "postcode_norm & first_initial"`,
    );
  }
  return parts;
}
