import type { EntityName } from './entities.ts';

/** Cursor of an incremental table: a timestamp or increasing id column, with an optional look-back. */
export interface ResolvedCursor {
  readonly column: string;
  readonly lookbackSeconds: number;
}

/**
 * What a load does when a column the table's config reads is gone, missing or retyped in the
 * source: `fail` the load (the default), load it with a `warn`ing, or `evolve` quietly.
 */
export type SchemaPolicy = 'fail' | 'warn' | 'evolve';

/** A table of a source, resolved from the config: plain data, paths absolute, defaults applied. */
export interface ResolvedTable {
  readonly name: string;
  readonly entity: EntityName;
  /** canonical field → source column name or SQL expression over the raw table */
  readonly mapping: Readonly<Record<string, string>>;
  readonly primaryKey: readonly string[];
  readonly cursor: ResolvedCursor | undefined;
  readonly mode: 'incremental' | 'full';
  readonly detectDeletes: boolean;
  readonly onSchemaChange: SchemaPolicy;
  readonly dateFormats: readonly string[] | undefined;
  readonly timezone: string;
  readonly enabled: boolean;
  /** Kind-specific keys (table/query for databases, path/delimiter/encoding for files, …). */
  readonly options: Readonly<Record<string, unknown>>;
  /** `raw.<source>__<table>` — where rows land. */
  readonly rawTable: string;
}

export interface ResolvedSource {
  readonly name: string;
  readonly system: string;
  readonly kind: string;
  readonly preset: string | undefined;
  readonly timezone: string;
  readonly defaultCountry: string;
  readonly enabled: boolean;
  /** Kind-specific connection settings, with `${VAR}` already read from the environment. */
  readonly connection: Readonly<Record<string, unknown>>;
  readonly tables: readonly ResolvedTable[];
}

export interface QualityCheckConfig {
  readonly name: string;
  readonly check:
    'not_null' | 'unique' | 'accepted_values' | 'references' | 'freshness' | 'row_count';
  readonly table?: string;
  readonly column?: string;
  readonly values?: readonly string[];
  readonly source?: string;
  readonly maxAgeSeconds?: number;
  readonly minRows?: number;
  readonly severity: 'warn' | 'error';
}

export interface SegmentRule {
  readonly name: string;
  readonly description?: string;
  readonly where: string;
}

export interface NotifyConfig {
  /** run outcomes that notify (default failed and partial) */
  readonly on: readonly ('failed' | 'partial' | 'succeeded')[];
  /** a JSON POST of the run's summary */
  readonly webhook:
    | {
        readonly url: string;
        readonly headers: Readonly<Record<string, string>>;
        readonly timeoutMs: number;
      }
    | undefined;
  /** a shell command, given the same JSON on standard input, run in `cwd` */
  readonly command: string | undefined;
  /** the config file's folder */
  readonly cwd: string;
}

/** How campaign responses are attributed and judged (`campaigns:` in cdw.yaml). */
export interface CampaignSettings {
  /** A purchase, visit or contact this many days after the send (or less) is a response. */
  readonly responseWindowDays: number;
  /** Whose activity answers a send: the recipient's own, or anyone's of their household. */
  readonly attribution: 'customer' | 'household';
  /** A response rate below this share marks a campaign, variant or region as failed. */
  readonly failureRate: number;
  /** Days after a campaign's first send whose contact-centre load is set beside the baseline. */
  readonly loadDays: number;
  /** Weeks before the campaign whose same weekdays (without a campaign) are the baseline. */
  readonly baselineWeeks: number;
}

/** The defaults of `campaigns:` (a config without the block, and callers that pass none). */
export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  responseWindowDays: 14,
  attribution: 'customer',
  failureRate: 0.02,
  loadDays: 7,
  baselineWeeks: 4,
};

/** The whole config after validation: what every part of cdw receives. */
export interface CdwConfig {
  readonly configPath: string;
  readonly baseDir: string;
  readonly warehouse: {
    readonly path: string;
    readonly memoryLimit?: string;
    readonly threads?: number;
    readonly tempDirectory?: string;
  };
  readonly extract: {
    readonly parallel: number;
    readonly retries: number;
    readonly retryDelayMs: number;
    readonly batchRows: number;
    /** Delete detection lands no tombstone when it would delete more than this share of the live keys (a truncated extract). */
    readonly maxDeleteShare: number;
  };
  readonly sources: readonly ResolvedSource[];
  readonly transforms: {
    readonly sessionTimeoutMinutes: number;
    readonly botUserAgents: readonly string[];
    readonly birthDateMinYear: number;
    /** Worker threads for the party standardisers (0: the main thread); unset: one per core, at most 4. */
    readonly standardiseWorkers?: number;
  };
  readonly quality: { readonly checks: readonly QualityCheckConfig[] };
  readonly identity: {
    readonly matchThreshold: number;
    readonly sharedIdentifierLimits: Readonly<Record<string, number>>;
    readonly blockingRules: readonly string[] | undefined;
    readonly maxPairsPerRule: number;
    /** Pairs per record one blocking rule may make (identity/settings.ts has the default). */
    readonly maxPairsPerRecord?: number | undefined;
    readonly maxClusterSize: number;
    readonly emIterations: number;
    readonly deterministic: readonly string[] | undefined;
    /** Rules added to the defaults (or replacing them, when `defaultBlockingRules` is false). */
    readonly defaultBlockingRules?: boolean;
    /** Comparisons added to the model over mapped attributes or staged columns. */
    readonly comparisons?: readonly {
      readonly name: string;
      readonly field: string;
      readonly type: 'exact' | 'fuzzy_text' | 'phonetic' | 'date' | 'number';
      readonly tf: boolean;
    }[];
    readonly clusterConflictWeight?: number;
    readonly strongDisagreementBits?: number;
    readonly certainConflicts?: readonly string[];
    readonly requirePersonalEvidence?: boolean;
    /** A birth date on this many times more records than the median date is a placeholder (0: off). */
    readonly birthDatePlaceholderFactor?: number;
    /** The kept model is retrained after this many days (0: every run). */
    readonly retrainEveryDays?: number;
    /** … or when the records grew by more than this share since it was trained (0.2 = 20 %). */
    readonly retrainGrowth?: number;
    /** … or when a comparison's level shares among the candidate pairs moved this far (total variation). */
    readonly retrainLevelDrift?: number;
  };
  readonly profiles: {
    readonly survivorship: Readonly<Record<string, string>>;
    readonly sourcePriority: readonly string[];
    readonly maxShrinkShare: number;
    /** Let a shrunk source end-date/delete anyway: `true` for every source, or the sources named. */
    readonly allowShrink: boolean | readonly string[];
  };
  readonly schedule: { readonly cron: string; readonly timezone: string } | undefined;
  /** Who hears of a finished run (`cdw run` from cron, scheduled runs in `cdw serve`). */
  readonly notify: NotifyConfig | undefined;
  readonly reports: {
    readonly dir: string;
    readonly formats: readonly ('csv' | 'parquet')[];
    readonly html: boolean;
    readonly complaintDays: number;
    readonly segments: readonly SegmentRule[];
  };
  readonly campaigns: CampaignSettings;
  readonly server: {
    readonly host: string;
    readonly port: number;
    readonly tls: { readonly cert: string; readonly key: string } | undefined;
    /** `ssl: require`: plaintext connections are refused. */
    readonly requireTls: boolean;
    readonly maxConnections: number;
    readonly authenticationTimeoutMs: number;
    /** Every session's default statement_timeout (0 = none). */
    readonly statementTimeoutMs: number;
    /** Delay before answering the first failed login from an address; doubles per failure. */
    readonly failedLoginDelayMs: number;
  };
}
