import { median, percentile } from '../core/stats.js';

export { median, percentile };

/** How long something took, summarised: the count, the median and the 90th percentile, in `unitMs` units. */
export interface Durations {
  count: number;
  median: number | null;
  p90: number | null;
}

/** Rounds to one decimal: a report reads "12.5 min", not "12.483333". */
export const round1 = (n: number): number => Math.round(n * 10) / 10;

export function durations(ms: readonly number[], unitMs: number): Durations {
  const m = median(ms);
  const p = percentile(ms, 90);
  return { count: ms.length, median: m === null ? null : round1(m / unitMs), p90: p === null ? null : round1(p / unitMs) };
}

/** A share as a percentage with one decimal, or null when there is nothing to share out. */
export function rate(part: number, whole: number): number | null {
  return whole > 0 ? round1((part / whole) * 100) : null;
}
