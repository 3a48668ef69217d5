import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, floorTo } from '../../../src/history/buckets.js';
import { BATCH_ROWS, SETTLE_MS, createRollupJob, type BatchReport } from '../../../src/history/rollup.js';
import type { Store } from '../../../src/store/db.js';
import { tempDir, useCleanup } from '../../helpers/app.js';
import { aggregateRaw, bucketMismatches, openHistoryStore, storedBuckets } from './fixtures.js';

const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const KEEP = { rawDays: 1, minuteDays: 3, hourDays: 10 };
const SENSORS = ['a', 'b'];
const defer = useCleanup();

function setup(): Store {
  const { dir, remove } = tempDir();
  const store = openHistoryStore(dir, 'NORMAL');
  defer(remove);
  defer(() => store.close());
  return store;
}
/** One reading per sensor every `everyMs` in [from, to), values that make every bucket different. */
function fill(store: Store, from: number, to: number, everyMs = 10_000): number {
  const ins = store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
  let n = 0;
  store.db.transaction(() => {
    for (let at = from; at < to; at += everyMs) {
      SENSORS.forEach((s, i) => ins.run(s, at, at % 997, ((at / 1000) % 613) * 0.37 + i));
      n += SENSORS.length;
    }
  })();
  return n;
}
const count = (store: Store, table: string) => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const dump = (store: Store, table: string) => store.db.prepare(`SELECT * FROM ${table} ORDER BY sensor_id, at`).all();
/** Stored minutes of [from, to) and stored hours of its whole hours, against sums of the raw rows. */
const matches = (store: Store, from: number, to: number) => [
  ...bucketMismatches(aggregateRaw(store.db, SENSORS, from, to, MINUTE_MS), storedBuckets(store.db, 'readings_minute', SENSORS, from, to)),
  ...bucketMismatches(aggregateRaw(store.db, SENSORS, from, floorTo(to, HOUR_MS), HOUR_MS), storedBuckets(store.db, 'readings_hour', SENSORS, from, to)),
];

describe('roll-up job', () => {
  it('rolls settled minutes up from the raw rows, in batches of BATCH_ROWS, and leaves young raw rows alone', () => {
    const store = setup();
    const rawRows = fill(store, T0, T0 + 3 * HOUR_MS + 30 * MINUTE_MS, 1000);
    const now = T0 + 3 * HOUR_MS + 31 * MINUTE_MS;
    const job = createRollupJob(store.db, KEEP);
    const batches: BatchReport[] = [];
    for (let b = job.step(now); b; b = job.step(now)) batches.push(b);
    const upTo = floorTo(now - SETTLE_MS, MINUTE_MS);
    expect(job.rolledUpTo()).toBe(upTo);
    expect(count(store, 'readings')).toBe(rawRows);
    expect(matches(store, T0, upTo)).toEqual([]);
    // Nothing after the watermark yet: those minutes may still get readings; nor the unfinished hour.
    expect(storedBuckets(store.db, 'readings_minute', SENSORS, upTo, now).size).toBe(0);
    expect(storedBuckets(store.db, 'readings_hour', SENSORS, T0 + 3 * HOUR_MS, now).size).toBe(0);
    // 25,000 readings: several short transactions, none over BATCH_ROWS readings.
    expect(batches.every((b) => b.kind === 'rollup' && ((b.to - b.from) / 1000) * SENSORS.length <= BATCH_ROWS)).toBe(true);
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(rawRows / BATCH_ROWS));
    expect(batches.at(-1)?.to).toBe(upTo);
  });

  it('is idempotent: a second run does nothing, and rolling a range up again changes nothing', () => {
    const store = setup();
    fill(store, T0, T0 + 5 * HOUR_MS);
    const job = createRollupJob(store.db, KEEP);
    job.runOnce(T0 + 5 * HOUR_MS);
    const before = [dump(store, 'readings_minute'), dump(store, 'readings_hour')];
    expect(before[0]).not.toHaveLength(0);
    expect(job.runOnce(T0 + 5 * HOUR_MS).batches).toBe(0);
    job.rollUpRange(T0, T0 + 4 * HOUR_MS);
    createRollupJob(store.db, KEEP).runOnce(T0 + 5 * HOUR_MS);
    expect([dump(store, 'readings_minute'), dump(store, 'readings_hour')]).toEqual(before);
    expect(() => job.rollUpRange(T0, T0 + MINUTE_MS)).toThrow(/whole hours/);
  });

  it('deletes raw rows after rawDays only together with their roll-ups, which match them', () => {
    const store = setup();
    const end = T0 + 2 * DAY_MS;
    fill(store, T0, end);
    const cutoff = floorTo(end - KEEP.rawDays * DAY_MS, HOUR_MS);
    const expectedMinutes = aggregateRaw(store.db, SENSORS, T0, cutoff, MINUTE_MS);
    const expectedHours = aggregateRaw(store.db, SENSORS, T0, cutoff, HOUR_MS);
    const job = createRollupJob(store.db, KEEP);
    const stats = job.runOnce(end);
    expect(store.db.prepare('SELECT count(*) AS n FROM readings WHERE at < ?').get(cutoff)).toEqual({ n: 0 });
    expect(store.db.prepare('SELECT min(at) AS at FROM readings').get()).toEqual({ at: cutoff });
    expect(SENSORS.map((id) => job.finalizedTo(id))).toEqual([cutoff, cutoff]);
    expect(bucketMismatches(expectedMinutes, storedBuckets(store.db, 'readings_minute', SENSORS, T0, cutoff))).toEqual([]);
    expect(bucketMismatches(expectedHours, storedBuckets(store.db, 'readings_hour', SENSORS, T0, cutoff))).toEqual([]);
    expect(stats.rows.finalize).toBe([...expectedHours.values()].reduce((n, a) => n + a.n, 0));
  });

  it('leaves the raw rows in place when rolling them up fails (a full disk, say), and recovers', () => {
    const store = setup();
    const rawRows = fill(store, T0, T0 + 2 * DAY_MS);
    store.db.exec("CREATE TRIGGER full_disk BEFORE INSERT ON readings_hour BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    const job = createRollupJob(store.db, KEEP);
    expect(() => job.runOnce(T0 + 2 * DAY_MS)).toThrow(/disk is full/);
    expect(count(store, 'readings')).toBe(rawRows);
    expect(count(store, 'readings_minute')).toBe(0);
    store.db.exec('DROP TRIGGER full_disk');

    // Now a failure in the middle of a finalize batch, after sensor a's first hour went and before b's.
    const expected = aggregateRaw(store.db, SENSORS, T0, T0 + DAY_MS, HOUR_MS);
    store.db.exec("CREATE TRIGGER full_disk BEFORE DELETE ON readings WHEN old.sensor_id = 'b' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    expect(() => job.runOnce(T0 + 2 * DAY_MS)).toThrow(/disk is full/);
    expect(job.finalizedTo('a')).toBeUndefined();
    store.db.exec('DROP TRIGGER full_disk');
    job.runOnce(T0 + 2 * DAY_MS);
    expect(job.finalizedTo('a')).toBe(T0 + DAY_MS);
    expect(bucketMismatches(expected, storedBuckets(store.db, 'readings_hour', SENSORS, T0, T0 + DAY_MS))).toEqual([]);
    expect(matches(store, T0 + DAY_MS, T0 + 2 * DAY_MS - SETTLE_MS)).toEqual([]);
  });

  it('takes late readings into the roll-ups: noted ones at the next run, the others when finalized', () => {
    const store = setup();
    fill(store, T0, T0 + 6 * HOUR_MS);
    const job = createRollupJob(store.db, KEEP);
    let now = T0 + 6 * HOUR_MS;
    job.runOnce(now);
    const ins = store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
    // A node replays its buffer: one reading noted on the bus, one missed (say, across a restart).
    const noted = T0 + HOUR_MS + 5_500;
    const missed = T0 + 3 * HOUR_MS + 7_500;
    ins.run('a', noted, 0, -50);
    ins.run('b', missed, 0, 999);
    job.noteReading('a', noted, now);
    job.runOnce(now); // too soon: the reading may still be in the ingest batch
    expect(storedBuckets(store.db, 'readings_minute', ['a'], T0 + HOUR_MS, T0 + HOUR_MS + 1).get(`a@${T0 + HOUR_MS}`)?.n).toBe(6);
    now += 10_000;
    expect(job.runOnce(now).rows.late).toBe(1);
    expect(matches(store, T0 + HOUR_MS, T0 + 2 * HOUR_MS)).toEqual([]);
    expect(storedBuckets(store.db, 'readings_hour', ['b'], T0 + 3 * HOUR_MS, T0 + 4 * HOUR_MS).get(`b@${T0 + 3 * HOUR_MS}`)?.max).not.toBe(999);

    // The missed one is in the hour when its raw rows are finalized.
    const expected = aggregateRaw(store.db, SENSORS, T0, T0 + 6 * HOUR_MS, HOUR_MS);
    fill(store, T0 + 6 * HOUR_MS, T0 + DAY_MS + 6 * HOUR_MS);
    job.runOnce(T0 + DAY_MS + 6 * HOUR_MS);
    expect(job.finalizedTo('b')).toBe(T0 + 6 * HOUR_MS);
    expect(bucketMismatches(expected, storedBuckets(store.db, 'readings_hour', SENSORS, T0, T0 + 6 * HOUR_MS))).toEqual([]);
    expect(storedBuckets(store.db, 'readings_hour', ['b'], T0 + 3 * HOUR_MS, T0 + 4 * HOUR_MS).get(`b@${T0 + 3 * HOUR_MS}`)?.max).toBe(999);
  });

  it('merges a reading older than what was finalized into its bucket, once', () => {
    const store = setup();
    fill(store, T0, T0 + 2 * DAY_MS);
    const job = createRollupJob(store.db, KEEP);
    job.runOnce(T0 + 2 * DAY_MS);
    const key = `a@${T0 + 2 * HOUR_MS}`;
    const before = storedBuckets(store.db, 'readings_hour', ['a'], T0, T0 + DAY_MS).get(key);
    expect(before?.n).toBe(360);
    store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)').run('a', T0 + 2 * HOUR_MS + 1, 0, 1000);
    job.runOnce(T0 + 2 * DAY_MS);
    job.runOnce(T0 + 2 * DAY_MS);
    const after = storedBuckets(store.db, 'readings_hour', ['a'], T0, T0 + DAY_MS).get(key);
    expect(after).toEqual({ n: 361, min: before?.min, max: 1000, mean: expect.closeTo(((before?.mean ?? 0) * 360 + 1000) / 361, 9) });
    expect(store.db.prepare('SELECT count(*) AS n FROM readings WHERE at < ?').get(T0 + DAY_MS)).toEqual({ n: 0 });
  });

  it('prunes minute and hour roll-ups past their retention in bounded batches', () => {
    const store = setup();
    fill(store, T0, T0 + 12 * DAY_MS, 10 * MINUTE_MS);
    const job = createRollupJob(store.db, KEEP);
    const now = T0 + 12 * DAY_MS;
    const first = job.runOnce(now);
    const oldest = (t: string) => (store.db.prepare(`SELECT min(at) AS at FROM ${t}`).get() as { at: number }).at;
    expect(oldest('readings_minute')).toBe(floorTo(now - KEEP.minuteDays * DAY_MS, HOUR_MS));
    expect(oldest('readings_hour')).toBe(floorTo(now - KEEP.hourDays * DAY_MS, HOUR_MS));
    expect(oldest('readings')).toBe(floorTo(now - KEEP.rawDays * DAY_MS, HOUR_MS));
    // Minutes and hours already past their retention are not even written when finalized.
    expect(first.rows['prune-minute'] + first.rows['prune-hour']).toBe(0);
    // A day later, a day of minutes and of hours goes, a few hours of minutes per transaction.
    const batches: { kind: string; rows: number }[] = [];
    for (let b = job.step(now + DAY_MS); b; b = job.step(now + DAY_MS)) batches.push(b);
    const prunedMinutes = batches.filter((b) => b.kind === 'prune-minute');
    expect(prunedMinutes).toHaveLength(12);
    expect(prunedMinutes.every((b) => b.rows === SENSORS.length * 2 * 6)).toBe(true);
    expect(batches.filter((b) => b.kind === 'prune-hour').reduce((n, b) => n + b.rows, 0)).toBe(SENSORS.length * 24);
    expect(oldest('readings_minute')).toBe(floorTo(now + DAY_MS - KEEP.minuteDays * DAY_MS, HOUR_MS));
    expect(oldest('readings_hour')).toBe(floorTo(now + DAY_MS - KEEP.hourDays * DAY_MS, HOUR_MS));
  });
});
