import type { HistoryPoint } from '../../api/history.js';
import { median } from '../../format.js';

/**
 * A bed's moisture over the last days, from its probes' hourly means: per hour, the median of the
 * probes that have a value for it (the same rule as the bed's live number, without the trust check,
 * which is not kept for the past). Hour buckets start on the epoch's hours, so probes line up by `at`.
 */
export interface Series {
  /** epoch ms, ascending */
  at: number[];
  value: number[];
}

export function bedSeries(probes: readonly (readonly HistoryPoint[])[]): Series {
  const byHour = new Map<number, number[]>();
  for (const points of probes) {
    for (const p of points) {
      if (!Number.isFinite(p.value)) continue;
      const list = byHour.get(p.at);
      if (list) list.push(p.value);
      else byHour.set(p.at, [p.value]);
    }
  }
  const at = [...byHour.keys()].sort((a, b) => a - b);
  return { at, value: at.map((t) => median(byHour.get(t) ?? []) ?? 0) };
}

/** The days a chart covers: enough for a trend, few enough points (72) for a Pi to draw at once. */
export const HISTORY_HOURS = 72;
