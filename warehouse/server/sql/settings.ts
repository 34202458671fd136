/**
 * Session settings as PostgreSQL reports them. Clients read these with SHOW and
 * current_setting, and get some as ParameterStatus on connect.
 */
export const SERVER_VERSION = '15.0';

/** Settings with fixed values: SET to another value is refused with the reason. */
const FIXED: Record<string, { value: string; why: string }> = {
  client_encoding: { value: 'UTF8', why: 'cdw speaks UTF8 only' },
  server_encoding: { value: 'UTF8', why: 'read only' },
  server_version: { value: SERVER_VERSION, why: 'read only' },
  server_version_num: { value: '150000', why: 'read only' },
  standard_conforming_strings: { value: 'on', why: 'cdw reads strings the standard way' },
  integer_datetimes: { value: 'on', why: 'read only' },
  max_identifier_length: { value: '63', why: 'read only' },
};

const DEFAULTS: Record<string, string> = {
  datestyle: 'ISO, MDY',
  intervalstyle: 'postgres',
  timezone: 'UTC',
  extra_float_digits: '1',
  application_name: '',
  search_path: '"$user", public',
  transaction_isolation: 'repeatable read',
  default_transaction_isolation: 'repeatable read',
  bytea_output: 'hex',
  statement_timeout: '0',
  lock_timeout: '0',
  idle_in_transaction_session_timeout: '0',
  client_min_messages: 'notice',
  lc_messages: 'C.UTF-8',
  lc_monetary: 'C.UTF-8',
  lc_numeric: 'C.UTF-8',
  lc_time: 'C.UTF-8',
  lc_collate: 'C.UTF-8',
  lc_ctype: 'C.UTF-8',
  max_index_keys: '32',
  block_size: '8192',
  in_hot_standby: 'off',
  jit: 'off',
  max_connections: '100',
};

/** The name a setting is shown under (ParameterStatus and SHOW use PostgreSQL's spelling). */
export const DISPLAY_NAME: Record<string, string> = {
  datestyle: 'DateStyle',
  intervalstyle: 'IntervalStyle',
  timezone: 'TimeZone',
};

/** Settings whose value is a duration (a number of ms, or with a unit: 500ms, 2s, 1min, 1h). */
const TIME_SETTINGS = new Set([
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
]);

const UNIT_MS: Record<string, number> = {
  '': 1,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** PostgreSQL's reading of a duration setting, in ms; undefined if it is not one. */
export function parseDuration(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?\s*$/i.exec(value);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? '').toLowerCase()]!);
}

export class SessionSettings {
  private readonly values = new Map<string, string>();
  /** Goes up with every change (plans that read settings may be stale). */
  version = 0;

  constructor(
    private readonly fixed: Record<string, string>,
    initial: Record<string, string> = {},
    /** The server's defaults (from its config), which RESET returns to. */
    private readonly serverDefaults: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k.toLowerCase(), v);
  }

  get(name: string): string | undefined {
    const n = name.toLowerCase();
    return (
      this.fixed[n] ??
      FIXED[n]?.value ??
      this.values.get(n) ??
      this.serverDefaults[n] ??
      DEFAULTS[n]
    );
  }

  /** Sets a value; returns an error message when the setting cannot take it. */
  set(name: string, value: string | null): string | undefined {
    const n = name.toLowerCase();
    const fixed =
      FIXED[n] ??
      (this.fixed[n] === undefined ? undefined : { value: this.fixed[n], why: 'read only' });
    if (fixed) {
      if (
        value === null ||
        value.replace(/[-_]/g, '').toUpperCase() === fixed.value.replace(/[-_]/g, '').toUpperCase()
      )
        return undefined;
      return `parameter "${name}" cannot be changed: ${fixed.why}`;
    }
    if (
      n === 'timezone' &&
      value !== null &&
      !/^(utc|gmt|z|etc\/utc|\+?0+(:00)?|'?utc'?)$/i.test(value.trim())
    ) {
      // Timestamps with time zone are always sent in UTC with their offset, which every client parses.
      this.values.set(n, 'UTC');
      return undefined;
    }
    if (TIME_SETTINGS.has(n) && value !== null && parseDuration(value) === undefined)
      return `invalid value for parameter "${name}": "${value}"`;
    if (value === null) this.values.delete(n);
    else this.values.set(n, value);
    this.version++;
    return undefined;
  }

  /** A duration setting (statement_timeout, …) in milliseconds; 0 = none. */
  durationMs(name: string): number {
    return parseDuration(this.get(name) ?? '0') ?? 0;
  }

  resetAll(): void {
    this.values.clear();
    this.version++;
  }

  all(): [string, string][] {
    const names = new Set([
      ...Object.keys(FIXED),
      ...Object.keys(DEFAULTS),
      ...this.values.keys(),
      ...Object.keys(this.fixed),
    ]);
    return [...names].sort().map((n) => [DISPLAY_NAME[n] ?? n, this.get(n) ?? '']);
  }

  /** The search path as schema names (`$user` dropped). */
  searchPath(): string[] {
    return (this.get('search_path') ?? 'public')
      .split(',')
      .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
      .filter((s) => s !== '' && s !== '$user');
  }
}
