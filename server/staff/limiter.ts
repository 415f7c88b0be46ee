/**
 * Slows down guessing at the login: after `maxFailures` failed attempts from one address
 * within `windowMs`, that address must wait `blockMs`. A staff PIN can be as short as 4 digits,
 * so this (together with scrypt's cost) is what keeps it from being enumerated over the LAN.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; firstAt: number; blockedUntil: number }>();

  constructor(
    private readonly options: { maxFailures: number; windowMs: number; blockMs: number } = { maxFailures: 5, windowMs: 5 * 60_000, blockMs: 5 * 60_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds this address must still wait, or 0. */
  retryAfter(address: string): number {
    const entry = this.failures.get(address);
    if (!entry) return 0;
    return Math.max(0, entry.blockedUntil - this.now());
  }

  fail(address: string): void {
    const now = this.now();
    this.prune(now);
    const entry = this.failures.get(address);
    if (!entry || now - entry.firstAt > this.options.windowMs) {
      this.failures.set(address, { count: 1, firstAt: now, blockedUntil: 0 });
      return;
    }
    entry.count += 1;
    if (entry.count >= this.options.maxFailures) entry.blockedUntil = now + this.options.blockMs;
  }

  succeed(address: string): void {
    this.failures.delete(address);
  }

  private prune(now: number): void {
    if (this.failures.size < 1000) return;
    for (const [key, e] of this.failures) {
      if (now - e.firstAt > this.options.windowMs && e.blockedUntil <= now) this.failures.delete(key);
    }
  }
}
