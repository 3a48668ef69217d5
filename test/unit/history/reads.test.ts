import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../src/history/buckets.js';
import { createHistoryReads, type HistoryQuery } from '../../../src/history/history-reads.js';
import { createRollupJob } from '../../../src/history/rollup.js';
import type { Store } from '../../../src/store/db.js';
import { tempDir, useCleanup } from '../../helpers/app.js';
import { aggregateRaw, openHistoryStore } from './fixtures.js';

const NOW = Date.UTC(2026, 4, 20, 9, 30, 0);
const KEEP = { rawDays: 2, minuteDays: 4, hourDays: 30 };
const defer = useCleanup();

/** Sensor `s` every 20 s over the last `days` before NOW (minus 10 s, so nothing is in the future). */
function setup(days: number): Store {
  const { dir, remove } = tempDir();
  const store = openHistoryStore(dir, 'NORMAL');
  defer(remove);
  defer(() => store.close());
  const ins = store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
  store.db.transaction(() => {
    for (let at = NOW - days * DAY_MS; at < NOW - 10_000; at += 20_000) ins.run('s', at, 0, Math.sin(at / 7e6) * 10);
  })();
  return store;
}
const q = (hours: number, resolution: HistoryQuery['resolution'], limit = 2000): HistoryQuery => ({ sensorId: 's', since: NOW - hours * HOUR_MS, now: NOW, resolution, limit });

describe('history reads', () => {
  it('auto: raw while every reading fits in the limit, then minutes, then hours', () => {
    const store = setup(1);
    createRollupJob(store.db, KEEP).runOnce(NOW);
    const reads = createHistoryReads(store.db, KEEP);
    expect(reads.pick(q(10, 'auto'))).toBe('raw'); // 1,800 readings
    expect(reads.pick(q(12, 'auto'))).toBe('minute'); // 2,160 readings, 720 minutes
    expect(reads.pick(q(12, 'auto', 2200))).toBe('raw');
    expect(reads.pick(q(40, 'auto'))).toBe('hour'); // 2,400 minutes
    expect(reads.pick(q(40, 'minute'))).toBe('minute');
  });

  it('joins stored buckets and the ones after the job’s watermark into one series equal to the raw rows', () => {
    const store = setup(1);
    // The job ran 45 minutes ago: the last 45 minutes are summed up from raw rows at read time.
    createRollupJob(store.db, KEEP).runOnce(NOW - 45 * MINUTE_MS);
    const reads = createHistoryReads(store.db, KEEP);
    for (const [res, bucket] of [['minute', MINUTE_MS], ['hour', HOUR_MS]] as const) {
      const { points } = reads.read(q(20, res));
      // A bucket that began before the range's start is included whole.
      const expected = aggregateRaw(store.db, ['s'], Math.floor((NOW - 20 * HOUR_MS) / bucket) * bucket, NOW, bucket);
      expect(points.map((p) => p.at)).toEqual([...expected.keys()].map((k) => Number(k.split('@')[1])));
      for (const p of points) {
        const e = expected.get(`s@${p.at}`);
        expect(p).toEqual({ at: p.at, value: expect.closeTo((e?.sum ?? NaN) / (e?.n ?? NaN), 9), min: e?.min, max: e?.max, count: e?.n });
      }
    }
    // The most recent `limit` points, oldest first.
    expect(reads.read(q(20, 'minute', 3)).points.map((p) => p.at)).toEqual([NOW - 3 * MINUTE_MS, NOW - 2 * MINUTE_MS, NOW - MINUTE_MS]);
  });

  it('does not offer raw readings for a range whose oldest readings were already deleted', () => {
    const store = setup(4);
    createRollupJob(store.db, KEEP).runOnce(NOW);
    const reads = createHistoryReads(store.db, KEEP);
    // Three days back is past rawDays: the 8,700 raw readings left fit in the limit, but they are not all of the range.
    expect(reads.pick(q(72, 'auto', 10_000))).toBe('minute');
    expect(reads.pick(q(24, 'auto', 10_000))).toBe('raw');
    // Hours from the roll-ups where the raw rows are gone, and the hour under way from raw rows.
    const hours = reads.read(q(72, 'hour')).points.map((p) => ('count' in p ? p.count : 0));
    expect(hours).toEqual([...Array<number>(72).fill(180), 90]);
  });
});
