import { parseDuration } from '../../warehouse/server/sql/settings.ts';
import { z } from 'zod';
import { ENTITY_NAMES } from '../../foundation/entities.ts';
import type { ConnectorKind } from '../../connectors/types.ts';

/** Names used as SQL identifiers: sources, tables, segments. */
export const identifierName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,62}$/,
    'expected a lowercase name of letters, digits and _ starting with a letter',
  );

const duration = z
  .string()
  .regex(/^\d+\s*(s|m|h|d)$/, 'expected a duration like "30m", "2h" or "1d"');

const cursorSchema = z.union([
  z.string().min(1),
  z.strictObject({
    column: z.string().min(1),
    lookback: duration.optional(),
  }),
]);

/** Keys every table has, whatever its connector kind. */
export const commonTableShape = {
  name: identifierName,
  entity: z.enum(ENTITY_NAMES),
  mapping: z.record(z.string(), z.string().min(1)),
  primary_key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  cursor: cursorSchema.optional(),
  mode: z.enum(['incremental', 'full']).default('incremental'),
  detect_deletes: z.boolean().default(false),
  on_schema_change: z.enum(['fail', 'warn', 'evolve']).default('fail'),
  date_formats: z.array(z.string().min(1)).optional(),
  timezone: z.string().optional(),
  enabled: z.boolean().default(true),
};

const commonSourceShape = {
  name: identifierName,
  system: z.string().min(1).optional(),
  preset: z.string().min(1).optional(),
  timezone: z.string().default('UTC'),
  default_country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'expected an ISO country code like "US" or "RU"')
    .default('US'),
  enabled: z.boolean().default(true),
};

const qualityCheck = z.strictObject({
  name: identifierName,
  check: z.enum(['not_null', 'unique', 'accepted_values', 'references', 'freshness', 'row_count']),
  table: z.string().min(1).optional(),
  column: z.string().min(1).optional(),
  values: z.array(z.string()).optional(),
  source: z.string().optional(),
  max_age: duration.optional(),
  min_rows: z.number().int().nonnegative().optional(),
  severity: z.enum(['warn', 'error']).default('warn'),
});

const segmentRule = z.strictObject({
  name: identifierName,
  description: z.string().optional(),
  where: z.string().min(1),
});

/**
 * Builds the config schema. Connector kinds come from the registry, so the `kind` union,
 * each kind's `connection:` keys and its table keys are never listed twice.
 */
/** A duration as PostgreSQL writes it: a number of ms, or with a unit ('500ms', '30s', '5min'). */
function pgDuration(fallback: string) {
  return z
    .union([z.number().int().min(0), z.string()])
    .default(fallback)
    .transform((v, c) => {
      const ms = typeof v === 'number' ? v : parseDuration(v);
      if (ms === undefined) {
        c.addIssue({
          code: 'custom',
          message: `expected a duration such as 500ms, 30s or 5min, got "${String(v)}"`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

export function buildConfigSchema(kinds: readonly ConnectorKind[]) {
  const sourceVariants = kinds.map((k) =>
    z.strictObject({
      ...commonSourceShape,
      kind: z.literal(k.kind),
      // File kinds need no connection block; database kinds say what is missing in their own keys.
      connection: k.connection.safeParse({}).success ? k.connection.default({}) : k.connection,
      tables: z
        .array(z.strictObject({ ...commonTableShape, ...k.table.shape }))
        .min(1, 'a source needs at least one table'),
    }),
  );
  const source =
    sourceVariants.length === 0
      ? z.never()
      : sourceVariants.length === 1
        ? sourceVariants[0]!
        : z.discriminatedUnion(
            'kind',
            sourceVariants as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]],
          );

  return z.strictObject({
    version: z.literal(1).default(1),
    warehouse: z
      .strictObject({
        path: z.string().min(1).default('warehouse.duckdb'),
        memory_limit: z
          .string()
          .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i)
          .optional(),
        threads: z.number().int().positive().optional(),
        temp_directory: z.string().optional(),
      })
      .default({ path: 'warehouse.duckdb' }),
    extract: z
      .strictObject({
        parallel: z.number().int().positive().max(32).default(3),
        retries: z.number().int().nonnegative().max(20).default(3),
        retry_delay_ms: z.number().int().nonnegative().default(500),
        batch_rows: z.number().int().positive().default(1_000_000),
        max_delete_share: z.number().min(0).max(1).default(0.5),
      })
      .default({
        parallel: 3,
        retries: 3,
        retry_delay_ms: 500,
        batch_rows: 1_000_000,
        max_delete_share: 0.5,
      }),
    sources: z.array(source).default([]),
    transforms: z
      .strictObject({
        session_timeout_minutes: z.number().int().positive().default(30),
        bot_user_agents: z.array(z.string()).default([]),
        birth_date_min_year: z.number().int().default(1000),
        /**
         * Worker threads that run the JavaScript standardisers of new party inputs (names,
         * e-mails, phones, addresses); 0 runs them on the main thread. Default: one per core,
         * at most 4. Results do not depend on it.
         */
        standardise_workers: z.number().int().min(0).max(64).optional(),
      })
      .default({ session_timeout_minutes: 30, bot_user_agents: [], birth_date_min_year: 1000 }),
    quality: z.strictObject({ checks: z.array(qualityCheck).default([]) }).default({ checks: [] }),
    identity: z
      .strictObject({
        match_threshold: z.number().gt(0).lt(1).default(0.9),
        shared_identifier_limits: z.record(z.string(), z.number().int().positive()).default({}),
        blocking_rules: z.array(z.string().min(1)).optional(),
        max_pairs_per_rule: z.number().int().positive().default(20_000_000),
        max_pairs_per_record: z.number().positive().optional(),
        max_cluster_size: z.number().int().positive().default(50),
        em_iterations: z.number().int().positive().default(25),
        deterministic: z.array(z.string()).optional(),
        default_blocking_rules: z.boolean().optional(),
        comparisons: z
          .array(
            z.strictObject({
              name: identifierName,
              field: z
                .string()
                .regex(
                  /^(attributes\.[a-z][a-z0-9_]*|[a-z][a-z0-9_]*)$/,
                  'expected attributes.<name> (a mapped attribute) or a column of staging.party_records',
                ),
              type: z.enum(['exact', 'fuzzy_text', 'phonetic', 'date', 'number']),
              tf: z.boolean().default(false),
            }),
          )
          .optional(),
        cluster_conflict_weight: z.number().optional(),
        strong_disagreement_bits: z.number().max(0).optional(),
        certain_conflicts: z.array(z.string()).optional(),
        require_personal_evidence: z.boolean().optional(),
        birth_date_placeholder_factor: z.number().min(0).optional(),
        retrain_every_days: z.number().min(0).optional(),
        retrain_growth: z.number().min(0).optional(),
        retrain_level_drift: z.number().min(0).max(1).optional(),
      })
      .default({
        match_threshold: 0.9,
        shared_identifier_limits: {},
        max_pairs_per_rule: 20_000_000,
        max_cluster_size: 50,
        em_iterations: 25,
      }),
    profiles: z
      .strictObject({
        survivorship: z.record(z.string(), z.string()).default({}),
        source_priority: z.array(z.string()).default([]),
        max_shrink_share: z.number().min(0).max(1).default(0.3),
        allow_shrink: z
          .union([
            z.boolean(),
            z.array(
              z
                .string()
                .regex(
                  /^[a-z][a-z0-9_]{0,62}(\.[a-z][a-z0-9_]{0,62})?$/,
                  'expected a source name (pos) or a source table (pos.sales)',
                ),
            ),
          ])
          .default(false),
      })
      .default({
        survivorship: {},
        source_priority: [],
        max_shrink_share: 0.3,
        allow_shrink: false,
      }),
    schedule: z
      .strictObject({ cron: z.string().min(1), timezone: z.string().default('UTC') })
      .optional(),
    reports: z
      .strictObject({
        dir: z.string().default('reports'),
        formats: z.array(z.enum(['csv', 'parquet'])).default(['csv']),
        html: z.boolean().default(true),
        complaint_days: z.number().int().positive().default(30),
        segments: z.array(segmentRule).default([]),
      })
      .default({ dir: 'reports', formats: ['csv'], html: true, complaint_days: 30, segments: [] }),
    campaigns: z
      .strictObject({
        response_window_days: z.number().int().positive().max(366).default(14),
        attribution: z.enum(['customer', 'household']).default('customer'),
        failure_rate: z.number().min(0).max(1).default(0.02),
        load_days: z.number().int().positive().max(90).default(7),
        baseline_weeks: z.number().int().positive().max(52).default(4),
      })
      .default({
        response_window_days: 14,
        attribution: 'customer',
        failure_rate: 0.02,
        load_days: 7,
        baseline_weeks: 4,
      }),
    notify: z
      .strictObject({
        on: z
          .array(z.enum(['failed', 'partial', 'succeeded']))
          .min(1)
          .default(['failed', 'partial']),
        webhook: z
          .strictObject({
            url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
            headers: z.record(z.string(), z.string()).default({}),
            timeout_ms: z.number().int().positive().default(10_000),
          })
          .optional(),
        command: z.string().min(1).optional(),
      })
      .refine((n) => n.webhook !== undefined || n.command !== undefined, {
        message: 'give a webhook, a command or both',
      })
      .optional(),
    server: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(15432),
        tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
        ssl: z.enum(['prefer', 'require']).default('prefer'),
        max_connections: z.number().int().min(1).max(10_000).default(100),
        authentication_timeout: pgDuration('60s'),
        statement_timeout: pgDuration('0'),
        failed_login_delay: pgDuration('500ms'),
      })
      .refine((s) => s.ssl !== 'require' || s.tls !== undefined, {
        message: 'ssl: require needs tls (cert and key)',
        path: ['ssl'],
      })
      .prefault({}),
  });
}

export type ConfigSchema = ReturnType<typeof buildConfigSchema>;

type CommonTableObject = ReturnType<typeof z.object<typeof commonTableShape>>;
type CommonSourceObject = ReturnType<typeof z.object<typeof commonSourceShape>>;
/** A table as validated: the common keys typed, the kind's own keys beside them. */
export type ParsedTable = z.output<CommonTableObject> & Record<string, unknown>;
export type ParsedSource = z.output<CommonSourceObject> & {
  kind: string;
  connection: Record<string, unknown>;
  tables: ParsedTable[];
};
export type ParsedConfig = Omit<z.output<ConfigSchema>, 'sources'> & { sources: ParsedSource[] };
