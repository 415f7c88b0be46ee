/** Default retry delays (seconds) after the 1st, 2nd… failed attempt; then the message fails. */
export const DEFAULT_RETRY_SCHEDULE = [30, 120, 600, 3600, 21600];
export const DEFAULT_WEBHOOK_RETRY_SCHEDULE = [5, 60, 600, 3600, 21600, 86400];

/** Parses COUNTERLINK_RETRY_SCHEDULE_SECONDS ("30,120,600"); throws on anything else. */
export function parseRetrySchedule(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const out = parts.map(Number);
  if (parts.length === 0 || out.some((n, i) => parts[i] === '' || !Number.isFinite(n) || n < 0 || n > 7 * 86400)) {
    throw new Error(`Retry schedule must be comma-separated seconds, e.g. 30,120,600 (got ${JSON.stringify(text)})`);
  }
  return out;
}

/** When to try again after `attempts` failed attempts, or null when the schedule is used up. */
export function nextAttemptAt(schedule: readonly number[], attempts: number, now: number): number | null {
  const delay = schedule[attempts - 1];
  return delay === undefined ? null : now + delay * 1000;
}
