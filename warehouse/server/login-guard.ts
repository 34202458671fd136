/** Limits on what a client can do before it has logged in, as PostgreSQL sets them. */
export interface ServerLimits {
  /** Sessions and logins in progress at once; one more gets 53300 (PostgreSQL's max_connections). */
  readonly maxConnections: number;
  /** Time from connect to the end of authentication (PostgreSQL's authentication_timeout). */
  readonly authenticationTimeoutMs: number;
  /** Delay before the answer to the first failed login from an address; doubles per failure. */
  readonly failedLoginDelayMs: number;
  /** The delay grows up to this. */
  readonly failedLoginMaxDelayMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxConnections: 100,
  authenticationTimeoutMs: 60_000,
  failedLoginDelayMs: 500,
  failedLoginMaxDelayMs: 10_000,
};

/** Failures from one address are forgotten after this long without another. */
const FORGET_MS = 15 * 60_000;

/**
 * Failed logins per client address: each failure delays its own answer longer than the last
 * (base, 2·base, 4·base, … up to a maximum), so guessing passwords from one address gets slow.
 * A successful login from the address starts it over.
 */
export class LoginGuard {
  private readonly failures = new Map<string, { count: number; at: number }>();

  constructor(private readonly limits: ServerLimits) {}

  /** Records a failure; returns how long to wait before answering it. */
  failed(address: string, now = Date.now()): number {
    const prev = this.failures.get(address);
    const count = prev && now - prev.at < FORGET_MS ? prev.count + 1 : 1;
    this.failures.set(address, { count, at: now });
    if (this.failures.size > 10_000) this.forgetOld(now);
    const base = this.limits.failedLoginDelayMs;
    return Math.min(base * 2 ** Math.min(count - 1, 30), this.limits.failedLoginMaxDelayMs);
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }

  private forgetOld(now: number): void {
    for (const [k, v] of this.failures) if (now - v.at >= FORGET_MS) this.failures.delete(k);
  }
}
