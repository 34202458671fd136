import os from 'node:os';
import path from 'node:path';
import type { ParsedConfig } from './schema.ts';
import type { CdwConfig, ResolvedSource, ResolvedTable } from '../../foundation/config-types.ts';
import { commonTableShape } from './schema.ts';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

export function durationSeconds(d: string | undefined): number {
  if (d === undefined) return 0;
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(d);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]!]! : 0;
}

/** Turns validated config into plain typed objects: paths absolute, defaults applied, durations in seconds. */
export function resolveConfig(cfg: ParsedConfig, configPath: string): CdwConfig {
  const baseDir = path.dirname(path.resolve(configPath));
  const abs = (p: string) => (path.isAbsolute(p) ? p : path.join(baseDir, p));
  const commonKeys = new Set(Object.keys(commonTableShape));

  const sources: ResolvedSource[] = cfg.sources.map((s) => {
    const tables: ResolvedTable[] = s.tables.map((t) => {
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(t)) if (!commonKeys.has(k)) options[k] = v;
      const cursor = t.cursor;
      const pk = t.primary_key;
      return {
        name: t.name,
        entity: t.entity,
        mapping: t.mapping,
        primaryKey: pk === undefined ? [] : Array.isArray(pk) ? pk : [pk],
        cursor:
          cursor === undefined
            ? undefined
            : typeof cursor === 'string'
              ? { column: cursor, lookbackSeconds: 0 }
              : { column: cursor.column, lookbackSeconds: durationSeconds(cursor.lookback) },
        mode: t.mode,
        detectDeletes: t.detect_deletes,
        onSchemaChange: t.on_schema_change,
        dateFormats: t.date_formats,
        timezone: t.timezone ?? s.timezone,
        enabled: t.enabled,
        options,
        rawTable: `${s.name}__${t.name}`,
      };
    });
    return {
      name: s.name,
      system: s.system ?? s.name,
      kind: s.kind,
      preset: s.preset,
      timezone: s.timezone,
      defaultCountry: s.default_country,
      enabled: s.enabled,
      connection: s.connection,
      tables,
    };
  });

  return {
    configPath: path.resolve(configPath),
    baseDir,
    warehouse: {
      path: abs(cfg.warehouse.path),
      memoryLimit: cfg.warehouse.memory_limit ?? defaultMemoryLimit(),
      threads: cfg.warehouse.threads,
      tempDirectory:
        cfg.warehouse.temp_directory === undefined ? undefined : abs(cfg.warehouse.temp_directory),
    },
    extract: {
      parallel: cfg.extract.parallel,
      retries: cfg.extract.retries,
      retryDelayMs: cfg.extract.retry_delay_ms,
      batchRows: cfg.extract.batch_rows,
      maxDeleteShare: cfg.extract.max_delete_share,
    },
    sources,
    transforms: {
      sessionTimeoutMinutes: cfg.transforms.session_timeout_minutes,
      botUserAgents: cfg.transforms.bot_user_agents,
      birthDateMinYear: cfg.transforms.birth_date_min_year,
      ...(cfg.transforms.standardise_workers === undefined
        ? {}
        : { standardiseWorkers: cfg.transforms.standardise_workers }),
    },
    quality: {
      checks: cfg.quality.checks.map((c) => ({
        name: c.name,
        check: c.check,
        table: c.table,
        column: c.column,
        values: c.values,
        source: c.source,
        maxAgeSeconds: c.max_age === undefined ? undefined : durationSeconds(c.max_age),
        minRows: c.min_rows,
        severity: c.severity,
      })),
    },
    identity: {
      matchThreshold: cfg.identity.match_threshold,
      sharedIdentifierLimits: cfg.identity.shared_identifier_limits,
      blockingRules: cfg.identity.blocking_rules,
      maxPairsPerRule: cfg.identity.max_pairs_per_rule,
      maxPairsPerRecord: cfg.identity.max_pairs_per_record,
      maxClusterSize: cfg.identity.max_cluster_size,
      emIterations: cfg.identity.em_iterations,
      deterministic: cfg.identity.deterministic,
      defaultBlockingRules: cfg.identity.default_blocking_rules,
      comparisons: cfg.identity.comparisons,
      clusterConflictWeight: cfg.identity.cluster_conflict_weight,
      strongDisagreementBits: cfg.identity.strong_disagreement_bits,
      certainConflicts: cfg.identity.certain_conflicts,
      requirePersonalEvidence: cfg.identity.require_personal_evidence,
      birthDatePlaceholderFactor: cfg.identity.birth_date_placeholder_factor,
      retrainEveryDays: cfg.identity.retrain_every_days,
      retrainGrowth: cfg.identity.retrain_growth,
      retrainLevelDrift: cfg.identity.retrain_level_drift,
    },
    profiles: {
      survivorship: cfg.profiles.survivorship,
      sourcePriority: cfg.profiles.source_priority,
      maxShrinkShare: cfg.profiles.max_shrink_share,
      allowShrink: cfg.profiles.allow_shrink,
    },
    schedule: cfg.schedule,
    notify:
      cfg.notify === undefined
        ? undefined
        : {
            on: cfg.notify.on,
            webhook: cfg.notify.webhook && {
              url: cfg.notify.webhook.url,
              headers: cfg.notify.webhook.headers,
              timeoutMs: cfg.notify.webhook.timeout_ms,
            },
            command: cfg.notify.command,
            cwd: baseDir,
          },
    reports: {
      dir: abs(cfg.reports.dir),
      formats: cfg.reports.formats,
      html: cfg.reports.html,
      complaintDays: cfg.reports.complaint_days,
      segments: cfg.reports.segments,
    },
    campaigns: {
      responseWindowDays: cfg.campaigns.response_window_days,
      attribution: cfg.campaigns.attribution,
      failureRate: cfg.campaigns.failure_rate,
      loadDays: cfg.campaigns.load_days,
      baselineWeeks: cfg.campaigns.baseline_weeks,
    },
    server: {
      host: cfg.server.host,
      port: cfg.server.port,
      tls: cfg.server.tls,
      requireTls: cfg.server.ssl === 'require',
      maxConnections: cfg.server.max_connections,
      authenticationTimeoutMs: cfg.server.authentication_timeout,
      statementTimeoutMs: cfg.server.statement_timeout,
      failedLoginDelayMs: cfg.server.failed_login_delay,
    },
  };
}

/**
 * DuckDB's memory limit when the config sets none: a fifth of the machine's memory, between 1
 * and 3 GiB. DuckDB's own default (80 % of memory) lets a large first load grow until the machine
 * swaps; under a limit, sorts, joins and aggregates spill to the temp directory instead
 * (`warehouse.temp_directory`, by default `<warehouse file>.tmp` beside it).
 */
export function defaultMemoryLimit(totalBytes = os.totalmem()): string {
  const gib = Math.min(3, Math.max(1, totalBytes / 2 ** 30 / 5));
  return `${Math.floor(gib * 1024)}MiB`;
}
