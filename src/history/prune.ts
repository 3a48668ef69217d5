import type { Db } from '../store/db.js';
import { DAY_MS, HOUR_MS, floorTo, type RollupResolution } from './buckets.js';
import type { RollupStore } from './rollup-store.js';
import { timedBatch, type BatchReport } from './run-stats.js';

// Per sensor and batch: 120 minute rows or 120 hour rows. A first run after a long time off, or
// after lowering a retention, deletes in many short transactions, not one long one.
const PRUNE_STEP_MS: Record<RollupResolution, number> = { minute: 2 * HOUR_MS, hour: 5 * DAY_MS };

/** Roll-ups older than their retention (`days`), a bounded slice of every sensor's per batch. */
export function pruneBatch(db: Db, q: RollupStore, res: RollupResolution, days: number, now: number): BatchReport | undefined {
  const cutoff = floorTo(now - days * DAY_MS, HOUR_MS);
  const due: { sensor: string; before: number }[] = [];
  for (const s of q.sensors(res)) {
    const first = q.firstBucketAt(res, s);
    if (first !== undefined && first < cutoff) due.push({ sensor: s, before: Math.min(cutoff, first + PRUNE_STEP_MS[res]) });
  }
  if (due.length === 0) return undefined;
  const from = Math.min(...due.map((d) => d.before - PRUNE_STEP_MS[res]));
  return timedBatch(db, `prune-${res}`, from, cutoff, () => due.reduce((n, d) => n + q.deleteBuckets(res, d.sensor, d.before), 0));
}
