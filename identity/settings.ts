import type { CdwConfig } from '../foundation/config-types.ts';
import { DETERMINISTIC_KIND_NAMES, IDENTIFIER_KINDS } from './identifier-kinds.ts';
import { IdentityError } from './errors.ts';
import { COMPARISONS, type Comparison } from './comparisons.ts';
import { customComparison, type CustomComparisonSpec } from './custom-comparisons.ts';
import { DEFAULT_BIRTH_DATE_PLACEHOLDER_FACTOR } from './prepare-records.ts';

/**
 * The blocking rules of a run: the defaults plus the config's own, or only the config's when
 * `default_blocking_rules: false` (the same rule twice counts once).
 */
function blockingRules(config: CdwConfig['identity']): readonly string[] {
  const own = config.blockingRules ?? [];
  const base = config.defaultBlockingRules === false ? [] : DEFAULT_BLOCKING_RULES;
  return [...new Set([...base, ...own])];
}

/**
 * Default blocking rules. Each rule is a list of expressions over the prepared records joined by
 * `&`; two records become a candidate pair when every expression is equal and not NULL for
 * both. An expression may be `unnest(<list column>)` to block on any of several values. Blocks
 * over `max_block_size` records pair nothing (a placeholder, a switchboard, "John Smith" in a
 * city). Together they keep recall high; precision comes from the scoring. Listed in the README.
 */
export const DEFAULT_BLOCKING_RULES: readonly string[] = [
  // identifiers, and their halves (one typo leaves one half intact)
  'email_key',
  'unnest(phones)',
  'email_head',
  'email_tail',
  'unnest(phone_heads)',
  'unnest(phone_tails)',
  'email_user',
  // names alone, in either order; names that sound alike; nicknames and initials
  'names_key',
  'first_sk & last_sk',
  'given_key & last_sk',
  'last_sk & first_initial & birth_year',
  // a birth date with something of the name
  'birth_date & last_initial',
  'birth_date & first_initial',
  'last_sk & birth_date',
  // where they live
  'address_key',
  'postcode_norm & given_key',
  'postcode_norm & last_sk',
  'postcode_norm & birth_year',
  'given_key & last_sk & postcode_area',
];

/**
 * Pairs per record one blocking rule may make before its most frequent values are left out: on
 * average ten candidates per record and rule, over twice the true partners a record has when a
 * person is held by five systems (four). A rule over it is pairing strangers who share a common
 * value (a frequent name, a phone's area half), whose blocks grow with the records — their pairs
 * with the square of the records. Measured (bench/FIGURES.md): no rule reaches it on any accuracy
 * set nor on the 100k demo (none of their true pairs lost); 1 and 2 lost 2.6 % and 0.7 % of the
 * 100k demo's true pairs at blocking.
 */
export const DEFAULT_MAX_PAIRS_PER_RECORD = 5;

/** Comparisons whose clear disagreement two records are never linked across. */
export const DEFAULT_CERTAIN_CONFLICTS: readonly string[] = ['name_suffix'];

/** Identity settings after defaults; what every module of identity/ receives. */
export interface IdentitySettings {
  readonly matchThreshold: number;
  /** The model's comparisons: the built-in ones and those the config adds. */
  readonly comparisons: readonly Comparison[];
  /** The comparisons the config adds (their columns are prepared from staging). */
  readonly customComparisons: readonly CustomComparisonSpec[];
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
  /**
   * A rule pairing more than this many pairs per record leaves out its most frequent values
   * until it does not (blocking.ts): candidate pairs grow with records, not their square.
   */
  readonly maxPairsPerRecord: number;
  /** Random record pairs drawn to estimate u. */
  readonly randomPairs: number;
  /**
   * Hysteresis: two records that were one customer after the last run stay linked while their
   * match weight is at most this many bits under the threshold's weight.
   */
  readonly stickyMarginBits: number;
  /** Households: an address shared by more customers than this is not grouped (care homes, halls). */
  readonly maxHouseholdSize: number;
  /**
   * Two records of one cluster whose own pair weighs less than this (bits) are told apart:
   * the cluster is rebuilt from its strongest links so they do not meet (a chain through
   * records that lack what tells them apart).
   */
  readonly clusterConflictWeight: number;
  /**
   * A level weighing this many bits or less is strong evidence against: two records of one
   * cluster that would not be linked on their own and disagree this strongly are told apart.
   */
  readonly strongDisagreementBits: number;
  /** Comparisons whose disagreement is certain, never outweighed (two generational suffixes, national ids). */
  readonly certainConflicts: readonly string[];
  /** A probabilistic link also needs agreement on something personal (never surname + address alone). */
  readonly requirePersonalEvidence: boolean;
  /** A birth date on this many times more records than the median date is a placeholder (0: off). */
  readonly birthDatePlaceholderFactor: number;
  /** When the kept model is trained again (model-state.ts). */
  readonly retrain: RetrainPolicy;
}

/**
 * When the model kept from night to night is trained again (besides no model yet, a changed
 * matching configuration, and `cdw identity retrain`).
 */
export interface RetrainPolicy {
  /** Days after its training (0: every run). */
  readonly everyDays: number;
  /** Records grew by more than this share of the records it was trained on. */
  readonly growth: number;
  /**
   * Some comparison's distribution of levels among the candidate pairs moved more than this
   * (total variation distance, ½ Σ |share now − share at training|, 0..1) since training.
   */
  readonly levelDrift: number;
}

export const DEFAULT_RETRAIN: RetrainPolicy = { everyDays: 30, growth: 0.2, levelDrift: 0.05 };

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
  const custom: CustomComparisonSpec[] = (config.comparisons ?? []).map((c) => ({ ...c }));
  const clash = custom.find((c) => COMPARISONS.some((b) => b.name === c.name));
  if (clash !== undefined)
    throw new IdentityError(
      'config_invalid',
      `identity.comparisons: "${clash.name}" is a built-in comparison; give yours another name`,
    );
  return {
    matchThreshold: config.matchThreshold,
    sharedIdentifierLimits: limits,
    blockingRules: blockingRules(config),
    comparisons: [...COMPARISONS, ...custom.map(customComparison)],
    customComparisons: custom,
    maxPairsPerRule: config.maxPairsPerRule,
    maxClusterSize: config.maxClusterSize,
    emIterations: config.emIterations,
    deterministic,
    maxBlockSize: 500,
    maxPairsPerRecord: config.maxPairsPerRecord ?? DEFAULT_MAX_PAIRS_PER_RECORD,
    randomPairs: 400_000,
    maxHouseholdSize: 12,
    stickyMarginBits: 2,
    clusterConflictWeight: config.clusterConflictWeight ?? -10,
    strongDisagreementBits: config.strongDisagreementBits ?? -6,
    certainConflicts: config.certainConflicts ?? DEFAULT_CERTAIN_CONFLICTS,
    requirePersonalEvidence: config.requirePersonalEvidence ?? true,
    birthDatePlaceholderFactor:
      config.birthDatePlaceholderFactor ?? DEFAULT_BIRTH_DATE_PLACEHOLDER_FACTOR,
    retrain: {
      everyDays: config.retrainEveryDays ?? DEFAULT_RETRAIN.everyDays,
      growth: config.retrainGrowth ?? DEFAULT_RETRAIN.growth,
      levelDrift: config.retrainLevelDrift ?? DEFAULT_RETRAIN.levelDrift,
    },
    ...overrides,
  };
}
