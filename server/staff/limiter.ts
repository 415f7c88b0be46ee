/** How many failures a key may collect within `windowMs` before it must wait `blockMs`. */
export interface LoginLimit {
  maxFailures: number;
  windowMs: number;
  blockMs: number;
}

/**
 * What a login attempt is counted against: the address it comes from, and (for a PIN) the
 * account the PIN opens. Today there is one staff PIN (`account: 'staff-pin'`); with staff users
 * each user's id becomes its own account key.
 */
export interface LoginKeys {
  address: string;
  account?: string;
}

export interface LoginLimiterOptions {
  /** Per address: a staff member who mistypes is slowed down, not the whole shop. */
  address: LoginLimit;
  /** Per account, whatever the address: what stops guessing from many addresses at once. */
  account: LoginLimit;
}

/** API.md: 5 failures per staff user and per address in 15 minutes. */
export const DEFAULT_LOGIN_LIMITS: LoginLimiterOptions = {
  address: { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
  account: { maxFailures: 5, windowMs: 15 * 60_000, blockMs: 15 * 60_000 },
};

interface Entry {
  /** Failures and attempts still being checked (a reservation counts as a failure until released). */
  failures: number;
  firstAt: number;
  blockedUntil: number;
}

/** One reserved attempt: settle it once with `succeed` or `fail`. */
export interface LoginAttempt {
  /** The secret was right: the reservation is released and the address starts afresh. */
  succeed(): void;
  /** The secret was wrong: the reservation stays counted as a failure. */
  fail(): void;
}

export type Reservation = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterMs: number };

/**
 * Slows down guessing at the login. A staff PIN can be as short as 4 digits, so this (together
 * with scrypt's cost) is what keeps it from being enumerated over the LAN.
 *
 * An attempt is counted *before* the secret is checked: `reserve` (synchronous, so parallel
 * requests cannot all slip past a check that only a finished attempt would update) takes one
 * failure from every key at once, or refuses when any key is used up; only a success gives it
 * back. So a thousand parallel guesses get at most `maxFailures` checks, not a thousand.
 */
export class LoginLimiter {
  private readonly entries = new Map<string, Entry>();
  private readonly options: LoginLimiterOptions;

  constructor(
    options: Partial<LoginLimiterOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = { ...DEFAULT_LOGIN_LIMITS, ...options };
  }

  /** Reserves one attempt against every key, or says how long to wait (ms) when any is used up. */
  reserve(keys: LoginKeys): Reservation {
    const now = this.now();
    this.prune(now);
    const limited: [string, LoginLimit][] = [[`address:${keys.address}`, this.options.address]];
    if (keys.account !== undefined) limited.push([`account:${keys.account}`, this.options.account]);

    let wait = 0;
    for (const [key, limit] of limited) {
      const entry = this.current(key, limit, now);
      if (entry.blockedUntil > now) wait = Math.max(wait, entry.blockedUntil - now);
      else if (entry.failures >= limit.maxFailures) wait = Math.max(wait, limit.blockMs);
    }
    if (wait > 0) return { ok: false, retryAfterMs: wait };

    for (const [key, limit] of limited) {
      const entry = this.current(key, limit, now);
      entry.failures += 1;
      // Used up while this attempt is checked: everyone else waits (lifted if it succeeds).
      if (entry.failures >= limit.maxFailures) entry.blockedUntil = now + limit.blockMs;
      this.entries.set(key, entry);
    }

    let settled = false;
    return {
      ok: true,
      attempt: {
        succeed: () => {
          if (settled) return;
          settled = true;
          for (const [key, limit] of limited) {
            const entry = this.entries.get(key);
            if (!entry) continue;
            if (key.startsWith('address:')) {
              // The right secret from here: this address starts afresh (as before).
              this.entries.delete(key);
              continue;
            }
            // An account keeps the failures others collected against it: only this attempt is released.
            entry.failures = Math.max(0, entry.failures - 1);
            if (entry.failures < limit.maxFailures) entry.blockedUntil = 0;
          }
        },
        fail: () => {
          settled = true;
        },
      },
    };
  }

  /** The key's entry, started afresh once its block is over, or its window when it was not blocked. */
  private current(key: string, limit: LoginLimit, now: number): Entry {
    const entry = this.entries.get(key);
    const blockOver = entry !== undefined && entry.blockedUntil > 0 && entry.blockedUntil <= now;
    if (!entry || blockOver || (entry.blockedUntil === 0 && now - entry.firstAt > limit.windowMs)) return { failures: 0, firstAt: now, blockedUntil: 0 };
    return entry;
  }

  private prune(now: number): void {
    if (this.entries.size < 1000) return;
    const longest = Math.max(this.options.address.windowMs, this.options.account.windowMs);
    for (const [key, e] of this.entries) {
      if (now - e.firstAt > longest && e.blockedUntil <= now) this.entries.delete(key);
    }
  }
}
