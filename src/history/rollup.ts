import type { Db } from '../store/db.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorTo } from './buckets.js';
import { createRollupStore } from './rollup-store.js';
import { pruneBatch } from './prune.js';
import { addBatch, emptyStats, timedBatch, type BatchKind, type BatchReport, type RetentionDays, type RunStats } from './run-stats.js';

export type { BatchKind, BatchReport, RetentionDays, RunStats } from './run-stats.js';

/**
 * The history job: rolls raw readings up per minute and per hour, deletes raw readings after
 * `rawDays` and roll-ups after `minuteDays` / `hourDays`. Watermarks in `meta` say how far it got:
 *
 * - `rolledUpTo` (all sensors): every minute bucket before it, and every hour bucket before its
 *   hour, has been computed from the raw rows. That is the early roll-up, done every few minutes so
 *   that a chart of the last days reads a few thousand roll-up rows instead of 100,000 readings;
 *   readers sum up the buckets after it from the raw rows themselves (history-reads.ts).
 * - `finalizedTo` (per sensor, a whole hour): every raw reading of the sensor before it has been
 *   rolled up and deleted. Both happen in one transaction, so nothing is deleted that is not in the
 *   roll-ups and nothing is counted twice. Before deleting an hour, its raw rows are counted (from
 *   the index alone) against the hour bucket; readings that came in late (a node replaying its
 *   buffer) make the counts differ, and the hour is recomputed. A reading older than `finalizedTo`,
 *   whose bucket's other raw rows are gone, is merged into the bucket instead.
 *
 * Recomputing a bucket replaces it, so a re-run over the same range changes nothing. Each batch is
 * one transaction over about BATCH_ROWS raw rows at most, so ingest, in the same process on the
 * same file, never waits long; the caller yields in between.
 */
export interface RollupJob {
  /** One bounded batch of the work due at `now`, in its own transaction; undefined when none is due. */
  step(now: number): BatchReport | undefined;
  /** Batches until nothing is due at `now` (or `maxBatches`). */
  runOnce(now: number, opts?: { maxBatches?: number }): RunStats;
  /** A reading stored for an instant already rolled up: its sensor's hour is recomputed at the next run. */
  noteReading(sensorId: string, at: number, now: number): void;
  /** Recomputes the buckets of [from, to) (whole hours) from the raw rows, replacing them. */
  rollUpRange(from: number, to: number): void;
  rolledUpTo(): number | undefined;
  finalizedTo(sensorId: string): number | undefined;
}

/** Minutes that ended less than this long ago are left for the next run: readings are still arriving. */
export const SETTLE_MS = 2 * MINUTE_MS;
/** A late reading is in its batch writer for up to 100 ms; recompute its hour only after this. */
const LATE_SETTLE_MS = 5_000;
/**
 * Raw rows one roll-up batch reads at most: a little more than the demo site's 10 minutes (20
 * sensors every 3 s). A first run over a month of readings is then many short transactions, not a
 * few long ones; a site with far more sensors gets shorter windows, not longer transactions.
 */
export const BATCH_ROWS = 5_000;
export const ROLLED_UP_TO = 'history.rolledUpTo';
/** Per sensor: every raw reading of the sensor before this hour has been rolled up and deleted. */
export const finalizedKey = (sensorId: string) => `history.finalizedTo:${sensorId}`;

export function createRollupJob(db: Db, keep: RetentionDays): RollupJob {
  const q = createRollupStore(db);
  let rolledUpTo = q.getMeta(ROLLED_UP_TO);
  const finalized = new Map<string, number>();
  const late = new Map<string, { sensor: string; hour: number; notedAt: number }>();

  const finalizedTo = (s: string): number => {
    let v = finalized.get(s);
    if (v === undefined) finalized.set(s, (v = q.getMeta(finalizedKey(s)) ?? -Infinity));
    return v;
  };
  const setRolledUpTo = (v: number) => {
    rolledUpTo = v;
    q.setMeta(ROLLED_UP_TO, v);
  };
  const timed = (kind: BatchKind, from: number, to: number, work: () => number) => {
    try {
      return timedBatch(db, kind, from, to, work);
    } catch (err) {
      // The transaction was rolled back, so the watermarks it moved in memory must move back too:
      // a sensor wrongly taken as finalized would have its next hour merged in twice.
      finalized.clear();
      rolledUpTo = q.getMeta(ROLLED_UP_TO);
      throw err;
    }
  };
  /** Hour buckets that the advance of the roll-up from `a` to `b` completed, from their minutes. */
  const completeHours = (sensors: string[], a: number, b: number) => {
    const to = floorTo(b, HOUR_MS);
    for (const s of sensors) {
      const from = Math.max(floorTo(a, HOUR_MS), finalizedTo(s));
      if (from < to) q.hoursFromMinutes(s, from, to);
    }
  };

  /** The end of a window from `start` that holds at most BATCH_ROWS raw rows (at least a minute). */
  const windowEnd = (sensors: string[], start: number, maxEnd: number): number => {
    let end = start;
    let rows = 0;
    // Counted an hour at a time, from the index alone: about a tenth of the cost of rolling up.
    while (end < maxEnd) {
      const next = Math.min(maxEnd, floorTo(end, HOUR_MS) + HOUR_MS);
      const n = sensors.reduce((a, s) => a + q.countRaw(s, end, next), 0);
      if (rows + n > BATCH_ROWS) {
        const part = floorTo(((next - end) * (BATCH_ROWS - rows)) / n, MINUTE_MS);
        return rows === 0 ? end + Math.max(MINUTE_MS, part) : end + part;
      }
      rows += n;
      end = next;
    }
    return end;
  };

  /** Early roll-up: settled minutes after `rolledUpTo`, at most BATCH_ROWS raw rows of them. */
  const rollupBatch = (now: number): BatchReport | undefined => {
    const closedBefore = floorTo(now - SETTLE_MS, MINUTE_MS);
    // A first run over a database that already holds months of readings: what is older than the
    // raw retention is finalized (rolled up and deleted) directly, not rolled up twice.
    const from = rolledUpTo ?? floorTo(now - keep.rawDays * DAY_MS, HOUR_MS);
    if (from >= closedBefore) return undefined;
    const sensors = q.sensors('readings');
    const next = Math.min(...sensors.map((s) => q.firstRawAt(s, from) ?? Infinity));
    if (next >= closedBefore) {
      // Nothing stored in between (the service was off, or nothing sends): skip ahead.
      return timed('rollup', from, closedBefore, () => {
        completeHours(sensors, from, closedBefore);
        setRolledUpTo(closedBefore);
        return 0;
      });
    }
    const start = Math.max(from, floorTo(next, MINUTE_MS));
    const end = windowEnd(sensors, start, Math.min(closedBefore, start + DAY_MS));
    return timed('rollup', start, end, () => {
      for (const s of sensors) {
        // Minutes before finalizedTo lost their raw rows: recomputing them would empty them.
        const sFrom = Math.max(start, finalizedTo(s));
        if (sFrom < end) q.replace('minute', s, sFrom, end);
      }
      // From `from`, not `start`: the hour under way at the last run ended in the gap before `start`.
      completeHours(sensors, from, end);
      setRolledUpTo(end);
      return sensors.length;
    });
  };

  /** A sensor's hour that got late readings after its roll-up: recomputed from the raw rows. */
  const lateBatch = (now: number): BatchReport | undefined => {
    for (const [key, { sensor, hour, notedAt }] of late) {
      if (notedAt > now - LATE_SETTLE_MS) continue;
      late.delete(key);
      const to = Math.min(hour + HOUR_MS, rolledUpTo ?? -Infinity);
      // Before finalizedTo the reading is merged when finalized; after rolledUpTo it is rolled up anyway.
      if (hour < finalizedTo(sensor) || hour >= to) continue;
      return timed('late', hour, to, () => {
        q.replace('minute', sensor, hour, to);
        if (to === hour + HOUR_MS) q.hoursFromMinutes(sensor, hour, to);
        return 1;
      });
    }
    return undefined;
  };

  /**
   * One sensor's hour of raw readings past `rawDays`: checked against its roll-ups (recomputed when
   * readings came in since), then deleted. Returns the rows deleted.
   */
  const finalizeHour = (s: string, from: number, now: number): number => {
    const to = from + HOUR_MS;
    const keepMinutes = to > now - keep.minuteDays * DAY_MS;
    const keepHours = to > now - keep.hourDays * DAY_MS;
    if (from < finalizedTo(s)) {
      // Readings older than what was finalized: the bucket's other rows are gone, so add to it.
      if (keepMinutes) q.merge('minute', s, from, to);
      if (keepHours) q.merge('hour', s, from, to);
    } else if (keepHours && q.bucketCount('hour', s, from) !== q.countRaw(s, from, to)) {
      // Rows are only ever added, so an equal count means the roll-up saw exactly these rows.
      if (keepMinutes) {
        q.replace('minute', s, from, to);
        q.hoursFromMinutes(s, from, to);
      } else q.replace('hour', s, from, to);
    }
    const deleted = q.deleteRaw(s, from, to);
    if (to > finalizedTo(s)) {
      finalized.set(s, to);
      q.setMeta(finalizedKey(s), to);
    }
    return deleted;
  };

  /** The oldest sensor-hours past `rawDays`, oldest first, until BATCH_ROWS rows are deleted. */
  const finalizeBatch = (now: number): BatchReport | undefined => {
    const rawCutoff = floorTo(now - keep.rawDays * DAY_MS, HOUR_MS);
    const heads = new Map<string, number>();
    for (const s of q.sensors('readings')) {
      const at = q.firstRawAt(s, Number.MIN_SAFE_INTEGER);
      if (at !== undefined && at < rawCutoff) heads.set(s, at);
    }
    if (heads.size === 0) return undefined;
    const from = floorTo(Math.min(...heads.values()), HOUR_MS);
    return timed('finalize', from, rawCutoff, () => {
      let deleted = 0;
      while (deleted < BATCH_ROWS && heads.size > 0) {
        const [s, at] = [...heads].reduce((a, b) => (b[1] < a[1] ? b : a));
        const hour = floorTo(at, HOUR_MS);
        deleted += finalizeHour(s, hour, now);
        const next = q.firstRawAt(s, hour + HOUR_MS);
        if (next !== undefined && next < rawCutoff) heads.set(s, next);
        else heads.delete(s);
      }
      return deleted;
    });
  };

  const step = (now: number) =>
    rollupBatch(now) ?? lateBatch(now) ?? finalizeBatch(now) ?? pruneBatch(db, q, 'minute', keep.minuteDays, now) ?? pruneBatch(db, q, 'hour', keep.hourDays, now);

  return {
    step,
    runOnce(now, opts = {}) {
      const max = opts.maxBatches ?? Infinity;
      const t0 = performance.now();
      const stats = emptyStats();
      while (stats.batches < max) {
        const b = step(now);
        if (!b) {
          stats.done = true;
          break;
        }
        addBatch(stats, b);
      }
      stats.ms = performance.now() - t0;
      return stats;
    },
    noteReading(sensor, at, now) {
      if (rolledUpTo === undefined || at >= rolledUpTo) return;
      const hour = floorTo(at, HOUR_MS);
      const key = `${sensor}@${hour}`;
      if (!late.has(key)) late.set(key, { sensor, hour, notedAt: now });
    },
    rollUpRange(from, to) {
      // A part of an hour would leave that hour's bucket summarising only the part.
      if (from % HOUR_MS !== 0 || to % HOUR_MS !== 0) throw new RangeError('rollUpRange takes whole hours');
      db.transaction(() => {
        for (const s of q.sensors('readings')) {
          const sFrom = Math.max(from, finalizedTo(s));
          if (sFrom >= to) continue;
          q.replace('minute', s, sFrom, to);
          q.hoursFromMinutes(s, sFrom, to);
        }
      })();
    },
    rolledUpTo: () => rolledUpTo,
    finalizedTo: (s) => {
      const v = finalizedTo(s);
      return v === -Infinity ? undefined : v;
    },
  };
}
