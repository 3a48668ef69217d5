import type { Db } from '../store/db.js';
import { BUCKET_MS, HOUR_MS, ROLLUP_TABLE, bucketExpr, type RollupResolution } from './buckets.js';

/**
 * The SQL of the roll-up job, every statement for one sensor and one time window so that it walks
 * the (sensor_id, at) index or primary key: a window over all sensors at once would scan the table.
 */
export interface RollupStore {
  /** The sensors that have rows in `table`, found by index seeks (cheap even over millions of rows). */
  sensors(table: 'readings' | RollupResolution): string[];
  /** The first `at` ≥ `from` of a sensor's raw readings, or undefined. */
  firstRawAt(sensorId: string, from: number): number | undefined;
  /** How many raw readings a sensor has in [from, to): from the index alone, without reading rows. */
  countRaw(sensorId: string, from: number, to: number): number;
  /** The first bucket of a sensor in a roll-up table. */
  firstBucketAt(res: RollupResolution, sensorId: string): number | undefined;
  /** The count of one stored bucket, or undefined when there is none. */
  bucketCount(res: RollupResolution, sensorId: string, at: number): number | undefined;
  /** Recomputes the buckets of [from, to) from the raw rows, replacing what was there (idempotent). */
  replace(res: RollupResolution, sensorId: string, from: number, to: number): void;
  /** Recomputes the hour buckets of [from, to) from the minute buckets, which are 60 times fewer rows. */
  hoursFromMinutes(sensorId: string, from: number, to: number): void;
  /** Adds the raw rows of [from, to) to the buckets: only for rows whose bucket lost its other raw rows. */
  merge(res: RollupResolution, sensorId: string, from: number, to: number): void;
  deleteRaw(sensorId: string, from: number, to: number): number;
  deleteBuckets(res: RollupResolution, sensorId: string, before: number): number;
  getMeta(key: string): number | undefined;
  setMeta(key: string, value: number): void;
}

export function createRollupStore(db: Db): RollupStore {
  const nextSensor = {
    readings: db.prepare<[string], { id: string }>('SELECT sensor_id AS id FROM readings WHERE sensor_id > ? ORDER BY sensor_id LIMIT 1'),
    minute: db.prepare<[string], { id: string }>('SELECT sensor_id AS id FROM readings_minute WHERE sensor_id > ? ORDER BY sensor_id LIMIT 1'),
    hour: db.prepare<[string], { id: string }>('SELECT sensor_id AS id FROM readings_hour WHERE sensor_id > ? ORDER BY sensor_id LIMIT 1'),
  };
  const firstRaw = db.prepare<[string, number], { at: number }>('SELECT at FROM readings WHERE sensor_id = ? AND at >= ? ORDER BY at LIMIT 1');
  const countRaw = db.prepare<[string, number, number], { n: number }>('SELECT count(*) AS n FROM readings WHERE sensor_id = ? AND at >= ? AND at < ?');
  const firstBucket = {
    minute: db.prepare<[string], { at: number }>('SELECT at FROM readings_minute WHERE sensor_id = ? ORDER BY at LIMIT 1'),
    hour: db.prepare<[string], { at: number }>('SELECT at FROM readings_hour WHERE sensor_id = ? ORDER BY at LIMIT 1'),
  };
  const bucketCount = {
    minute: db.prepare<[string, number], { n: number }>('SELECT n FROM readings_minute WHERE sensor_id = ? AND at = ?'),
    hour: db.prepare<[string, number], { n: number }>('SELECT n FROM readings_hour WHERE sensor_id = ? AND at = ?'),
  };
  const aggregate = (res: RollupResolution) =>
    `SELECT sensor_id, ${bucketExpr(BUCKET_MS[res])} AS bucket, count(*), min(value), avg(value), max(value)
       FROM readings WHERE sensor_id = ? AND at >= ? AND at < ? GROUP BY bucket`;
  const replace = {
    minute: db.prepare(`INSERT OR REPLACE INTO readings_minute (sensor_id, at, n, min, mean, max) ${aggregate('minute')}`),
    hour: db.prepare(`INSERT OR REPLACE INTO readings_hour (sensor_id, at, n, min, mean, max) ${aggregate('hour')}`),
  };
  const hoursFromMinutes = db.prepare(
    `INSERT OR REPLACE INTO readings_hour (sensor_id, at, n, min, mean, max)
     SELECT sensor_id, (at / ${HOUR_MS}) * ${HOUR_MS} AS bucket, sum(n), min(min), sum(mean * n) / sum(n), max(max)
       FROM readings_minute WHERE sensor_id = ? AND at >= ? AND at < ? GROUP BY bucket`,
  );
  // Every SET expression sees the old row, so `n` on the right is the count before this merge.
  const mergeSql = (res: RollupResolution) =>
    `INSERT INTO ${ROLLUP_TABLE[res]} (sensor_id, at, n, min, mean, max) ${aggregate(res)}
     ON CONFLICT (sensor_id, at) DO UPDATE SET
       mean = (mean * n + excluded.mean * excluded.n) / (n + excluded.n),
       n = n + excluded.n,
       min = min(min, excluded.min),
       max = max(max, excluded.max)`;
  const merge = { minute: db.prepare(mergeSql('minute')), hour: db.prepare(mergeSql('hour')) };
  const deleteRaw = db.prepare('DELETE FROM readings WHERE sensor_id = ? AND at >= ? AND at < ?');
  const deleteBuckets = {
    minute: db.prepare('DELETE FROM readings_minute WHERE sensor_id = ? AND at < ?'),
    hour: db.prepare('DELETE FROM readings_hour WHERE sensor_id = ? AND at < ?'),
  };
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');

  return {
    sensors(table) {
      const out: string[] = [];
      const q = table === 'readings' ? nextSensor.readings : nextSensor[table];
      // '' sorts before every non-empty id; ids are validated non-empty by the site schema.
      for (let row = q.get(''); row; row = q.get(row.id)) out.push(row.id);
      return out;
    },
    firstRawAt: (id, from) => firstRaw.get(id, from)?.at,
    countRaw: (id, from, to) => countRaw.get(id, from, to)?.n ?? 0,
    firstBucketAt: (res, id) => firstBucket[res].get(id)?.at,
    bucketCount: (res, id, at) => bucketCount[res].get(id, at)?.n,
    replace: (res, id, from, to) => void replace[res].run(id, from, to),
    hoursFromMinutes: (id, from, to) => void hoursFromMinutes.run(id, from, to),
    merge: (res, id, from, to) => void merge[res].run(id, from, to),
    deleteRaw: (id, from, to) => deleteRaw.run(id, from, to).changes,
    deleteBuckets: (res, id, before) => deleteBuckets[res].run(id, before).changes,
    getMeta(key) {
      const v = getMeta.get(key)?.value;
      return v === undefined ? undefined : Number(v);
    },
    setMeta: (key, value) => void setMeta.run(key, String(value)),
  };
}
