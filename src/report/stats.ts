/**
 * Order statistics for the report's response times. Percentiles interpolate linearly between the
 * closest ranks (the "R-7" rule of numpy's default and Excel's PERCENTILE.INC), so the median of an
 * even count is the mean of the two middle values, and the street office can check a figure in Excel
 * and get the same number. An empty sample has no percentile: null, never 0 (0 would read as
 * "answered instantly").
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile out of 0..100: ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function median(values: readonly number[]): number | null {
  return percentile(values, 50);
}

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
