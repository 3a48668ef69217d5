import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadSiteConfig } from '../../../src/config/load.js';
import type { SensorConfig } from '../../../src/config/schema.js';
import type { Reading } from '../../../src/contract/payloads.js';
import { allMigrations } from '../../../src/migrations.js';
import { calibrate } from '../../../src/sensors/calibrate.js';
import { noise, poisson, seededRng } from '../../../src/sim/random.js';
import { openStore, type Db, type Store } from '../../../src/store/db.js';
import { memoryLogger } from '../../helpers/app.js';

/**
 * Shared by the history tests: a store with every migration, demo-like readings, sizes, bucket sums.
 * `NORMAL` skips the fsync of every commit, for tests about what is stored rather than how long
 * it takes (the service runs FULL).
 */
export function openHistoryStore(dir: string, synchronous: 'FULL' | 'NORMAL' = 'FULL'): Store {
  const store = openStore(join(dir, 'tongxin.db'), memoryLogger('warn').log, allMigrations);
  store.db.pragma(`synchronous = ${synchronous}`);
  return store;
}

export const demo = loadSiteConfig();

/**
 * Readings as the demo's devices send them: soil probes drift in ADC counts, bins fill in cm,
 * door beams count people. Values go through the real calibration, so they have the same number
 * of decimals (and so the same size on disk) as in the service.
 */
export function readingSource(sensors: readonly SensorConfig[], seed = 7) {
  const rng = seededRng(seed);
  const state: number[] = sensors.map((s) => (s.kind === 'soil-moisture' ? 400 : s.kind === 'bin-level' ? 80 : 0));
  return (i: number, at: number): Reading => {
    const s = sensors[i] as SensorConfig;
    let raw: number;
    if (s.kind === 'soil-moisture') {
      state[i] = Math.min(560, Math.max(250, (state[i] ?? 400) + noise(rng, 0.5)));
      raw = Math.round((state[i] ?? 0) + noise(rng, 3));
    } else if (s.kind === 'bin-level') {
      state[i] = (state[i] ?? 80) < 12 ? 100 : (state[i] ?? 80) - rng() * 0.01;
      raw = Number(((state[i] ?? 0) + noise(rng, 0.8)).toFixed(1));
    } else {
      raw = poisson(rng, 0.2);
    }
    return { sensorId: s.id, kind: s.kind, unit: s.unit, raw, value: calibrate(raw, s), at };
  };
}

/** The database file and its WAL, in bytes: what the folder holds. */
export function fileBytes(store: Store): { db: number; wal: number } {
  const size = (f: string) => {
    try {
      return statSync(f).size;
    } catch {
      return 0;
    }
  };
  return { db: size(store.file), wal: size(`${store.file}-wal`) };
}

/** Bytes and rows per table (index pages counted with their table), from SQLite's dbstat. */
export function tableStats(db: Db): Record<string, { bytes: number; rows: number }> {
  const pages = db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all();
  const owner = new Map(db.prepare<[], { name: string; tbl: string }>("SELECT name, tbl_name AS tbl FROM sqlite_master WHERE type IN ('table', 'index')").all().map((r) => [r.name, r.tbl]));
  const out: Record<string, { bytes: number; rows: number }> = {};
  for (const p of pages) {
    const t = owner.get(p.name) ?? p.name;
    out[t] ??= { bytes: 0, rows: 0 };
    (out[t] as { bytes: number }).bytes += p.bytes;
  }
  for (const t of ['readings', 'readings_minute', 'readings_hour']) {
    out[t] ??= { bytes: 0, rows: 0 };
    (out[t] as { rows: number }).rows = (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  return out;
}

export interface Agg {
  n: number;
  min: number;
  max: number;
  sum: number;
}

/** min/mean/max/count per (sensor, bucket) of the raw rows of [from, to), summed up in JavaScript. */
export function aggregateRaw(db: Db, sensorIds: readonly string[], from: number, to: number, bucketMs: number): Map<string, Agg> {
  return aggregateRawBy(db, sensorIds, from, to, [bucketMs])[0] as Map<string, Agg>;
}

/**
 * The same for several bucket sizes, reading each raw row once. A sensor's rows come in time order
 * (the index's), so a bucket is complete when the next row falls into another one: no lookup per row.
 */
export function aggregateRawBy(db: Db, sensorIds: readonly string[], from: number, to: number, bucketsMs: number[]): Map<string, Agg>[] {
  const rows = db.prepare<[string, number, number], [number, number]>('SELECT at, value FROM readings WHERE sensor_id = ? AND at >= ? AND at < ? ORDER BY at').raw();
  const out = bucketsMs.map(() => new Map<string, Agg>());
  for (const id of sensorIds) {
    const open = bucketsMs.map(() => ({ bucket: NaN, agg: { n: 0, min: 0, max: 0, sum: 0 } }));
    const close = (i: number) => {
      const o = open[i] as (typeof open)[number];
      if (o.agg.n > 0) (out[i] as Map<string, Agg>).set(`${id}@${o.bucket}`, o.agg);
    };
    for (const [at, value] of rows.all(id, from, to)) {
      for (let i = 0; i < bucketsMs.length; i++) {
        const o = open[i] as (typeof open)[number];
        const bucket = Math.floor(at / (bucketsMs[i] as number)) * (bucketsMs[i] as number);
        if (bucket !== o.bucket) {
          close(i);
          o.bucket = bucket;
          o.agg = { n: 1, min: value, max: value, sum: value };
        } else {
          o.agg.n += 1;
          o.agg.sum += value;
          if (value < o.agg.min) o.agg.min = value;
          if (value > o.agg.max) o.agg.max = value;
        }
      }
    }
    bucketsMs.forEach((_, i) => close(i));
  }
  return out;
}

/** The stored buckets of [from, to), keyed as aggregateRaw keys them. */
export function storedBuckets(db: Db, table: 'readings_minute' | 'readings_hour', sensorIds: readonly string[], from: number, to: number) {
  const q = db.prepare<[string, number, number], { at: number; n: number; min: number; mean: number; max: number }>(
    `SELECT at, n, min, mean, max FROM ${table} WHERE sensor_id = ? AND at >= ? AND at < ?`,
  );
  const out = new Map<string, { n: number; min: number; mean: number; max: number }>();
  for (const id of sensorIds) for (const r of q.all(id, from, to)) out.set(`${id}@${r.at}`, { n: r.n, min: r.min, mean: r.mean, max: r.max });
  return out;
}

/** Differences between expected sums and stored buckets (at most `max` of them, for the message). */
export function bucketMismatches(expected: Map<string, Agg>, stored: ReturnType<typeof storedBuckets>, max = 5): string[] {
  const bad: string[] = [];
  for (const [key, e] of expected) {
    const s = stored.get(key);
    const mean = e.sum / e.n;
    if (!s) bad.push(`${key}: missing`);
    else if (s.n !== e.n || s.min !== e.min || s.max !== e.max || Math.abs(s.mean - mean) > 1e-9 * Math.max(1, Math.abs(mean))) {
      bad.push(`${key}: stored ${JSON.stringify(s)}, raw rows give n=${e.n} min=${e.min} mean=${mean} max=${e.max}`);
    }
    if (bad.length >= max) return bad;
  }
  for (const key of stored.keys()) if (!expected.has(key) && bad.length < max) bad.push(`${key}: stored but no raw rows`);
  return bad;
}
