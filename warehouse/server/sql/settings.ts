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

export class SessionSettings {
  private readonly values = new Map<string, string>();

  constructor(
    private readonly fixed: Record<string, string>,
    initial: Record<string, string> = {},
  ) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k.toLowerCase(), v);
  }

  get(name: string): string | undefined {
    const n = name.toLowerCase();
    return this.fixed[n] ?? FIXED[n]?.value ?? this.values.get(n) ?? DEFAULTS[n];
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
    if (value === null) this.values.delete(n);
    else this.values.set(n, value);
    return undefined;
  }

  resetAll(): void {
    this.values.clear();
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
