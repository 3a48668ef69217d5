import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/history/buckets.js';
import { startTestApp, tempDir, useCleanup, waitFor } from '../helpers/app.js';
import { demo, openHistoryStore, tableStats } from '../unit/history/fixtures.js';
import { simulateSite, type Phase } from '../unit/history/site-sim.js';

/**
 * The history of readings end to end: the module in the running app and the HTTP reads at each
 * resolution, then the size the database reaches at the demo site's rates. TONGXIN_LONG=1 runs the
 * size test over a whole year at full rate instead of its bounded version.
 */
const LONG = process.env.TONGXIN_LONG === '1';
const MB = 1_000_000;
const defer = useCleanup();

describe('sensor history over HTTP', () => {
  it('answers a long range with roll-ups and a short one with raw readings in the shape it always had', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const now = Date.UTC(2026, 3, 10, 12, 0, 0);
    // Three days of a soil probe every 30 s, stored before the service starts: its first run rolls them up.
    const pre = openHistoryStore(dir);
    const ins = pre.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
    pre.db.transaction(() => {
      for (let at = now - 3 * DAY_MS; at < now; at += 30_000) ins.run('soil-classroom-a', at, 400, 40 + ((at / 30_000) % 7));
    })();
    pre.close();
    const { app } = await startTestApp({ dataDir: dir, clock: createManualClock(now) });
    defer(() => app.stop());
    await waitFor('the first roll-up', () => Number(app.store.getMeta('history.rolledUpTo')) === now - 2 * MINUTE_MS);
    const get = async (query: string) => {
      const res = await fetch(`${app.httpUrl}/api/sensors/soil-classroom-a/history?${query}`);
      return { status: res.status, body: (await res.json()) as { resolution: string; points: Record<string, number>[] } };
    };

    const hour = await get('hours=1');
    expect(hour.body.resolution).toBe('raw');
    expect(hour.body.points).toHaveLength(120);
    expect(Object.keys(hour.body.points[0] ?? {})).toEqual(['at', 'value']);

    // A day is 2,880 readings, more than the default limit of 2,000: per minute instead, all of it.
    const day = await get('');
    expect(day.body.resolution).toBe('minute');
    expect(day.body.points).toHaveLength(24 * 60);
    expect(day.body.points.at(-1)).toMatchObject({ at: now - MINUTE_MS, count: 2 });
    expect(day.body.points.every((p) => (p.min ?? NaN) <= (p.value ?? NaN) && (p.value ?? NaN) <= (p.max ?? NaN))).toBe(true);

    const days = await get('hours=72');
    expect(days.body.resolution).toBe('hour');
    expect(days.body.points).toHaveLength(72);
    expect(days.body.points.slice(0, -1).every((p) => p.count === 120)).toBe(true);
    expect(days.body.points.at(-1)).toMatchObject({ at: now - HOUR_MS, count: 120, min: 40, max: 46 });

    const last = await get('hours=72&resolution=raw&limit=10');
    expect(last.body.points.map((p) => p.at)).toEqual(Array.from({ length: 10 }, (_, i) => now - (10 - i) * 30_000));
    expect((await get(`hours=${24 * 365}`)).body.resolution).toBe('hour');
    expect((await get('resolution=daily')).status).toBe(400);
  });
});

/**
 * A year of the demo site, as fast as SQLite takes it, in two parts. First every reading at the
 * demo's full rate for rawDays + 2 days: the raw table reaches its plateau and every kind of batch
 * runs at steady state (TONGXIN_LONG=1: for the whole year, which measures everything below).
 * Then, in a second database, the roll-up tables the cheap way, one reading per sensor per bucket:
 * a roll-up row's size does not depend on how many readings it sums up (see `fractional`).
 * - Minutes: one reading per sensor per minute, with minuteDays cut to rawDays so that pruning
 *   reaches its steady state in days; the plateau's bytes per row (churn included) are then scaled
 *   to the real minuteDays. Pages per row of a b-tree that gains and loses rows at the same pace
 *   do not depend on how many rows it holds.
 * - Hours: one reading per sensor per hour for the rest of the year, the hour table in full.
 * The year is the raw plateau plus the two roll-up tables plus the rest of the file and the WAL.
 */
describe('history size', () => {
  const keep = demo.history;
  const everyMs = demo.simulator.intervalSeconds * 1000;
  const sensors = demo.sensors.length;
  const lastDay = LONG ? 365 : keep.rawDays + 2;
  // The bound stated in the report for the demo site (20 sensors every 3 s) with the default
  // retention (7 / 60 / 1830 days): the database file and its WAL after a year.
  const YEAR_BOUND = 450 * MB;
  const mb = (n: number) => Math.round(n / 100_000) / 10;
  const measured: { rawPlateau?: number; wal?: number; other?: number } = {};
  const other = (t: ReturnType<typeof tableStats>) => Object.entries(t).reduce((n, [name, v]) => (name.startsWith('readings') ? n : n + v.bytes), 0);

  it('at full rate the file stops growing after rawDays, and the roll-ups equal the readings they replaced', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const store = openHistoryStore(dir);
    defer(() => store.close());
    const tables: ReturnType<typeof tableStats>[] = [];
    const phases: Phase[] = [
      { untilDay: lastDay - 1, everyMs, tickMs: 10 * MINUTE_MS, synchronous: 'NORMAL' },
      // The last day as the service runs (an fsync per commit), to measure the job's transactions.
      { untilDay: lastDay, everyMs, tickMs: 10 * MINUTE_MS },
    ];
    const r = simulateSite({ store, sensors: demo.sensors, keep, start: Date.UTC(2026, 0, 1), phases, onPhaseEnd: () => tables.push(tableStats(store.db)) });
    const bytesOn = (d: number) => (r.days[d - 1]?.db ?? NaN) + (r.days[d - 1]?.wal ?? NaN);

    // (b) Every bucket whose raw rows were deleted equals min/mean/max/count of those rows.
    expect(r.mismatches).toEqual([]);
    expect(r.bucketsChecked).toBe((lastDay - keep.rawDays) * (24 * 60 + 24) * sensors);
    // (a) Past rawDays, the raw table holds rawDays of readings and the file grows by the day's
    // roll-ups only (about 1.6 MB), not by the day's readings (about 43 MB).
    const end = tables.at(-1) ?? {};
    const rawPlateau = end.readings?.bytes ?? NaN;
    expect(end.readings?.rows).toBe(((keep.rawDays * DAY_MS) / everyMs) * sensors);
    expect(bytesOn(lastDay) - bytesOn(lastDay - 1)).toBeLessThan(rawPlateau / keep.rawDays / 10);
    expect(Math.max(...r.days.map((d) => d.db + d.wal))).toBeLessThan(YEAR_BOUND);
    // No job transaction holds the file for long (ingest waits for it), fsync and checkpoints included.
    expect(r.longestTxMs).toBeLessThan(500);
    Object.assign(measured, { rawPlateau, wal: Math.max(...r.days.map((d) => d.wal)), other: other(end) });

    console.info(
      JSON.stringify({
        part: 'full rate',
        long: LONG,
        everyMs,
        rowsWritten: r.rowsWritten,
        bucketsChecked: r.bucketsChecked,
        longestTxMs: Math.round(r.longestTxMs * 10) / 10,
        longestTx: r.longestTx,
        longestTxMsAtNormal: Math.round(r.phases[0]?.longestTxMs ?? NaN),
        seconds: Object.fromEntries(Object.entries(r.ms).map(([k, v]) => [k, Math.round(v / 100) / 10])),
        fileMB: r.days.filter((d) => [1, keep.rawDays, keep.rawDays + 1, lastDay].includes(d.day)).map((d) => ({ day: d.day, db: mb(d.db), wal: mb(d.wal), rawRows: d.rawRows })),
        tablesMB: Object.fromEntries(['readings', 'readings_minute', 'readings_hour'].map((k) => [k, { MB: mb(end[k]?.bytes ?? 0), rows: end[k]?.rows }])),
        freePages: store.db.pragma('freelist_count', { simple: true }),
      }),
    );
  }, LONG ? 6 * 3_600_000 : 240_000);

  it(`the roll-ups of a year, grown cheaply, keep a year under ${YEAR_BOUND / MB} MB`, () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const store = openHistoryStore(dir, 'NORMAL');
    defer(() => store.close());
    const short = { ...keep, minuteDays: keep.rawDays };
    const tables: ReturnType<typeof tableStats>[] = [];
    const phases: Phase[] = [
      { untilDay: short.minuteDays + 2, everyMs: MINUTE_MS, tickMs: HOUR_MS, fractional: true, synchronous: 'NORMAL' },
      { untilDay: 365, everyMs: HOUR_MS, tickMs: DAY_MS, fractional: true, synchronous: 'NORMAL' },
    ];
    const r = simulateSite({ store, sensors: demo.sensors, keep: short, start: Date.UTC(2026, 0, 1), phases, onPhaseEnd: () => tables.push(tableStats(store.db)) });
    const bytesOn = (d: number) => (r.days[d - 1]?.db ?? NaN) + (r.days[d - 1]?.wal ?? NaN);
    expect(r.mismatches).toEqual([]);
    expect(r.bucketsChecked).toBeGreaterThan(0);
    const minutes = tables[0]?.readings_minute ?? { bytes: NaN, rows: NaN };
    const hours = tables[1]?.readings_hour ?? { bytes: NaN, rows: NaN };
    // minuteDays of minutes (the last two are not rolled up yet), and the file no longer grows by them.
    expect(minutes.rows).toBe((short.minuteDays * 24 * 60 - 2) * sensors);
    expect(bytesOn(short.minuteDays + 2) - bytesOn(short.minuteDays + 1)).toBeLessThan(minutes.bytes / short.minuteDays / 10);
    // Every hour of the year but the one still under way; none is past hourDays (five years) yet.
    expect(hours.rows).toBe((365 * 24 - 1) * sensors);

    // The year at full rate with the real retention, from the plateaus.
    expect(measured.rawPlateau, 'the full-rate test ran first').toBeGreaterThan(0);
    const minutePlateau = (minutes.bytes * keep.minuteDays) / short.minuteDays;
    const year = (measured.rawPlateau ?? NaN) + minutePlateau + hours.bytes + (measured.other ?? NaN) + (measured.wal ?? NaN);
    expect(year).toBeLessThan(YEAR_BOUND);
    console.info(
      JSON.stringify({
        part: 'roll-ups for a year',
        rowsWritten: r.rowsWritten,
        bucketsChecked: r.bucketsChecked,
        seconds: Object.fromEntries(Object.entries(r.ms).map(([k, v]) => [k, Math.round(v / 100) / 10])),
        minuteTable: { days: short.minuteDays, MB: mb(minutes.bytes), rows: minutes.rows, bytesPerRow: Math.round(minutes.bytes / minutes.rows) },
        hourTableAfterYear: { MB: mb(hours.bytes), rows: hours.rows, bytesPerRow: Math.round(hours.bytes / hours.rows) },
        fileMB: r.days.filter((d) => [short.minuteDays + 1, short.minuteDays + 2, 365].includes(d.day)).map((d) => ({ day: d.day, db: mb(d.db), wal: mb(d.wal) })),
        yearAtFullRateMB: { raw: mb(measured.rawPlateau ?? NaN), minute: mb(minutePlateau), hour: mb(hours.bytes), otherAndWal: mb((measured.other ?? NaN) + (measured.wal ?? NaN)), total: mb(year) },
      }),
    );
  }, 240_000);
});
