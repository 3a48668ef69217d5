/**
 * Order statistics (the report's response times, a garden bed's probes). Percentiles interpolate linearly between the
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
