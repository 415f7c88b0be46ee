import type { Sql } from '../sql/executor';

const DAY = 86_400_000;

/** An expiry range as the list filters give it: both ends exclusive, either may be missing. */
export interface ExpiryRange {
  after?: number;
  before?: number;
  livemode?: boolean;
}

/** The seqs a range's links lie between; `first > last` when it holds none. */
export interface SeqSpan {
  first: number;
  last: number;
}

/**
 * Bounds on the seqs of the links expiring in a range, in a cost that does not grow with the
 * links: the days strictly inside the range from `link_expiry_days` (one row a day), the two edge
 * days exactly from `links_expires` (one day's links each). The bounds may be wider than the
 * range's links (see migration 018 / 014); the caller still checks each row it lists.
 */
export async function expirySpan(sql: Sql, range: ExpiryRange): Promise<SeqSpan> {
  const params: Record<string, number> = {};
  const days: string[] = [];
  if (range.livemode !== undefined) {
    days.push('livemode = @livemode');
    params.livemode = range.livemode ? 1 : 0;
  }
  const parts: string[] = [];
  // The edge days leave the mode out: with it, a planner may walk the mode's index instead (every
  // link of the mode), and a span that also holds the other mode's links is still a correct one.
  const exact = (from: string, to: string) => parts.push(`SELECT MIN(seq) AS first, MAX(seq) AS last FROM links WHERE ${from} AND ${to}`);
  if (range.after !== undefined) {
    params.after = range.after;
    params.lowEdgeEnd = (Math.floor(range.after / DAY) + 1) * DAY;
    params.firstDay = Math.floor(range.after / DAY) + 1;
    exact('expires_at > @after', `expires_at < @lowEdgeEnd${range.before !== undefined ? ' AND expires_at < @before' : ''}`);
    days.push('day >= @firstDay');
  }
  if (range.before !== undefined) {
    params.before = range.before;
    params.highEdgeStart = Math.floor(range.before / DAY) * DAY;
    params.lastDay = Math.floor(range.before / DAY) - 1;
    exact(`expires_at >= @highEdgeStart${range.after !== undefined ? ' AND expires_at > @after' : ''}`, 'expires_at < @before');
    days.push('day <= @lastDay');
  }
  parts.push(`SELECT MIN(first_seq) AS first, MAX(last_seq) AS last FROM link_expiry_days WHERE ${days.join(' AND ') || 'TRUE'}`);
  const row = await sql.get<{ first: number | string | null; last: number | string | null }>(
    `SELECT MIN(first) AS first, MAX(last) AS last FROM (${parts.join(' UNION ALL ')}) spans`,
    params,
  );
  const [first, last] = [row?.first ?? null, row?.last ?? null];
  // No link in the range: MIN and MAX are NULL, and the span is empty.
  return first === null || last === null ? { first: 1, last: 0 } : { first: Number(first), last: Number(last) };
}
