import type { CdwConfig } from '../foundation/config-types.ts';
import { DETERMINISTIC_KIND_NAMES, IDENTIFIER_KINDS } from './identifier-kinds.ts';
import { IdentityError } from './errors.ts';

/**
 * Default blocking rules. Each rule is a list of expressions over `identity.records`
 * joined by `&`; two records become a candidate pair when every expression is equal and not
 * NULL for both. An expression may be `unnest(<list column>)` to block on any of several values.
 * Together they keep recall high; precision comes from the scoring.
 */
export const DEFAULT_BLOCKING_RULES: readonly string[] = [
  'email_key',
  'unnest(phones)',
  'postcode_norm & given_key',
  'last_sk & birth_date',
  'birth_date & first_initial',
  'given_key & last_sk & birth_year',
  'given_key & last_sk & postcode_area',
  'names_key & birth_year',
  'names_key & postcode_area',
  'email_user',
  'address_key',
];

/** Identity settings after defaults; what every module of identity/ receives. */
export interface IdentitySettings {
  readonly matchThreshold: number;
  /** Identifier kind → most distinct holders a value may have and still link on its own. */
  readonly sharedIdentifierLimits: Readonly<Record<string, number>>;
  readonly blockingRules: readonly string[];
  readonly maxPairsPerRule: number;
  readonly maxClusterSize: number;
  readonly emIterations: number;
  /** Deterministic link kinds in priority order (the first names `linked_by` when several apply). */
  readonly deterministic: readonly string[];
  /** A block with more records than this (a placeholder or widely shared value) pairs nothing. */
  readonly maxBlockSize: number;
  /** Random record pairs drawn to estimate u. */
  readonly randomPairs: number;
  /**
   * Hysteresis: two records that were one customer after the last run stay linked while their
   * match weight is at most this many bits under the threshold's weight.
   */
  readonly stickyMarginBits: number;
  /** Households: an address shared by more customers than this is not grouped (care homes, halls). */
  readonly maxHouseholdSize: number;
}

export function identitySettings(
  config: CdwConfig['identity'],
  overrides: Partial<IdentitySettings> = {},
): IdentitySettings {
  const deterministic = config.deterministic ?? DETERMINISTIC_KIND_NAMES;
  const unknown = deterministic.filter((k) => !DETERMINISTIC_KIND_NAMES.includes(k));
  if (unknown.length > 0) {
    throw new IdentityError(
      'config_invalid',
      `identity.deterministic: unknown identifier kind ${unknown.map((k) => `"${k}"`).join(', ')}; known kinds: ${DETERMINISTIC_KIND_NAMES.join(', ')}`,
    );
  }
  const limits: Record<string, number> = {};
  for (const k of IDENTIFIER_KINDS)
    limits[k.name] = config.sharedIdentifierLimits[k.name] ?? k.defaultLimit;
  const unknownLimits = Object.keys(config.sharedIdentifierLimits).filter(
    (k) => !IDENTIFIER_KINDS.some((x) => x.name === k),
  );
  if (unknownLimits.length > 0) {
    throw new IdentityError(
      'config_invalid',
      `identity.shared_identifier_limits: unknown identifier kind ${unknownLimits.map((k) => `"${k}"`).join(', ')}; known kinds: ${IDENTIFIER_KINDS.map((k) => k.name).join(', ')}`,
    );
  }
  return {
    matchThreshold: config.matchThreshold,
    sharedIdentifierLimits: limits,
    blockingRules: config.blockingRules ?? DEFAULT_BLOCKING_RULES,
    maxPairsPerRule: config.maxPairsPerRule,
    maxClusterSize: config.maxClusterSize,
    emIterations: config.emIterations,
    deterministic,
    maxBlockSize: 500,
    randomPairs: 400_000,
    maxHouseholdSize: 12,
    stickyMarginBits: 2,
    ...overrides,
  };
}
