import type { SensorConfig } from '../../../src/config/schema.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorTo } from '../../../src/history/buckets.js';
import { createRollupJob, type RetentionDays } from '../../../src/history/rollup.js';
import type { Store } from '../../../src/store/db.js';
import { aggregateRawBy, bucketMismatches, fileBytes, readingSource, storedBuckets } from './fixtures.js';

/**
 * A site's readings written as fast as SQLite takes them, with the roll-up job run as simulated
 * time passes: the size test's engine. Readings go in with the readings store's own INSERT, one
 * transaction per tick (the service commits every 100 ms; fewer, bigger commits only make the
 * test faster, not the file different). Before each run of the job, the raw rows it is about to
 * finalize are summed up in JavaScript; after it, the stored buckets must equal those sums.
 */
export interface Phase {
  /** Simulated day (from the start) at which this phase ends. */
  untilDay: number;
  /** Each sensor sends one reading this often. */
  everyMs: number;
  /** How often the job runs (the service: every 10 minutes). */
  tickMs: number;
  /**
   * Give every value a fractional part. Used by the cheap phases that send one reading per bucket:
   * at full rate a bucket's mean has decimals (8 bytes in SQLite), a lone integer reading would be
   * stored in 1 byte and make the roll-up rows look smaller than they are.
   */
  fractional?: boolean;
  /**
   * The store's `synchronous` for this phase. File sizes do not depend on it; the service runs FULL
   * (an fsync per commit), which is what a transaction's length must be measured with, and what
   * makes a run several times slower: only the phase that measures needs it.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

export interface DayReport {
  day: number;
  db: number;
  wal: number;
  rawRows: number;
}

export interface SimResult {
  days: DayReport[];
  rowsWritten: number;
  bucketsChecked: number;
  /** The job's longest transaction in the phases run with synchronous=FULL, as the service runs. */
  longestTxMs: number;
  longestTx: string | null;
  /** Per phase: the day it ended and its longest job transaction (whatever its synchronous). */
  phases: { day: number; longestTxMs: number }[];
  mismatches: string[];
  /** Wall time: all, writing readings, the job, the test's own checks. */
  ms: { total: number; write: number; job: number; check: number };
}

export function simulateSite(o: {
  store: Store;
  sensors: readonly SensorConfig[];
  keep: RetentionDays;
  start: number;
  phases: Phase[];
  /** Called at the end of every phase with the day it ended on. */
  onPhaseEnd?: (phase: number, day: number) => void;
}): SimResult {
  const { store, sensors, keep, start } = o;
  const db = store.db;
  const ids = sensors.map((s) => s.id);
  const job = createRollupJob(db, keep);
  const next = readingSource(sensors);
  const insert = db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
  const rawCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM readings');
  const firstRaw = db.prepare<[string], { at: number }>('SELECT at FROM readings WHERE sensor_id = ? ORDER BY at LIMIT 1');
  const res: SimResult = { days: [], rowsWritten: 0, bucketsChecked: 0, longestTxMs: 0, longestTx: null, phases: [], mismatches: [], ms: { total: 0, write: 0, job: 0, check: 0 } };
  const t0 = performance.now();
  let now = start;
  let checkedTo = start;
  let day = 0;

  o.phases.forEach((phase, p) => {
    db.pragma(`synchronous = ${phase.synchronous ?? 'FULL'}`);
    let longestTxMs = 0;
    const writeTick = db.transaction((from: number, to: number) => {
      for (let at = from; at < to; at += phase.everyMs) {
        for (let i = 0; i < sensors.length; i++) {
          const r = next(i, at);
          insert.run(r.sensorId, r.at, r.raw, phase.fractional ? r.value + 0.001 : r.value);
        }
        res.rowsWritten += sensors.length;
      }
    });
    while (now < start + phase.untilDay * DAY_MS) {
      let t = performance.now();
      writeTick(now, now + phase.tickMs);
      res.ms.write += performance.now() - t;
      now += phase.tickMs;
      t = performance.now();
      // What the job will finalize at `now`: everything before the raw retention's hour.
      const cut = floorTo(now - keep.rawDays * DAY_MS, HOUR_MS);
      const [minute, hour] = cut > checkedTo ? aggregateRawBy(db, ids, checkedTo, cut, [MINUTE_MS, HOUR_MS]) : [];
      const expected = minute && hour ? { minute, hour } : undefined;
      res.ms.check += performance.now() - t;
      t = performance.now();
      const stats = job.runOnce(now);
      res.ms.job += performance.now() - t;
      t = performance.now();
      longestTxMs = Math.max(longestTxMs, stats.longestTxMs);
      if (phase.synchronous !== 'NORMAL' && stats.longestTxMs > res.longestTxMs) {
        res.longestTxMs = stats.longestTxMs;
        res.longestTx = stats.longestTx;
      }
      if (expected) {
        // Buckets past a retention are not kept at all; the ones inside it must match.
        const minuteFrom = Math.max(checkedTo, floorTo(now - keep.minuteDays * DAY_MS, HOUR_MS));
        for (const k of expected.minute.keys()) if (Number(k.split('@')[1]) < minuteFrom) expected.minute.delete(k);
        res.mismatches.push(
          ...bucketMismatches(expected.minute, storedBuckets(db, 'readings_minute', ids, minuteFrom, cut)),
          ...bucketMismatches(expected.hour, storedBuckets(db, 'readings_hour', ids, checkedTo, cut)),
        );
        res.bucketsChecked += expected.minute.size + expected.hour.size;
        for (const id of ids) {
          const at = firstRaw.get(id)?.at;
          if (at !== undefined && at < cut) res.mismatches.push(`${id}: raw reading at ${at} kept past the cut ${cut}`);
        }
        checkedTo = cut;
      }
      res.ms.check += performance.now() - t;
      if (now >= start + (day + 1) * DAY_MS) {
        day += 1;
        res.days.push({ day, ...fileBytes(store), rawRows: rawCount.get()?.n ?? 0 });
      }
    }
    res.phases.push({ day, longestTxMs });
    o.onPhaseEnd?.(p, day);
  });
  res.ms.total = performance.now() - t0;
  return res;
}
