import type { Db } from '../store/db.js';
import { BUCKET_MS, DAY_MS, ROLLUP_TABLE, bucketExpr, floorTo, type Resolution, type RollupResolution } from './buckets.js';
import { ROLLED_UP_TO, finalizedKey } from './rollup.js';

/**
 * A sensor's history at the resolution that suits the range. Raw points keep the shape the API has
 * always had ({at, value}); a roll-up point adds min, max and count, and its `value` is the mean,
 * so a client that only draws `value` draws something sensible at any resolution.
 */
export type RawPoint = { at: number; value: number };
export type RollupPoint = { at: number; value: number; min: number; max: number; count: number };

export interface HistoryQuery {
  sensorId: string;
  since: number;
  now: number;
  resolution: Resolution | 'auto';
  /** The most recent `limit` points are returned, oldest first. */
  limit: number;
}

export interface HistoryReads {
  read(q: HistoryQuery): { resolution: Resolution; points: (RawPoint | RollupPoint)[] };
  /** What `auto` picks for a query. */
  pick(q: HistoryQuery): Resolution;
}

export function createHistoryReads(db: Db, keep: { minuteDays: number }): HistoryReads {
  const meta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const watermark = (key: string) => {
    const v = meta.get(key)?.value;
    return v === undefined ? undefined : Number(v);
  };
  const raw = db.prepare<[string, number, number], RawPoint>('SELECT at, value FROM readings WHERE sensor_id = ? AND at >= ? ORDER BY at DESC LIMIT ?');
  // Counting stops at limit + 1 rows, so auto's check costs at most `limit` index steps.
  const rawCount = db.prepare<[string, number, number], { n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM readings WHERE sensor_id = ? AND at >= ? LIMIT ?)',
  );
  const stmts = (res: RollupResolution) => ({
    stored: db.prepare<[string, number, number, number], RollupPoint>(
      `SELECT at, mean AS value, min, max, n AS count FROM ${ROLLUP_TABLE[res]}
        WHERE sensor_id = ? AND at >= ? AND at < ? ORDER BY at DESC LIMIT ?`,
    ),
    live: db.prepare<[string, number, number], RollupPoint>(
      `SELECT ${bucketExpr(BUCKET_MS[res])} AS at, avg(value) AS value, min(value) AS min, max(value) AS max, count(*) AS count
         FROM readings WHERE sensor_id = ? AND at >= ? GROUP BY 1 ORDER BY 1 DESC LIMIT ?`,
    ),
  });
  const q = { minute: stmts('minute'), hour: stmts('hour') };

  const rollups = (res: RollupResolution, sensorId: string, since: number, limit: number): RollupPoint[] => {
    const bucket = BUCKET_MS[res];
    const from = floorTo(since, bucket);
    // Buckets before the job's watermark are stored; the ones after are summed up from the raw rows
    // here (an hour or so of readings: the job runs every few minutes).
    const boundary = Math.max(from, floorTo(watermark(ROLLED_UP_TO) ?? Number.MIN_SAFE_INTEGER, bucket));
    const recent = q[res].live.all(sensorId, boundary, limit);
    const older = recent.length < limit ? q[res].stored.all(sensorId, from, boundary, limit - recent.length) : [];
    return [...recent, ...older].reverse();
  };

  const pick = (x: HistoryQuery): Resolution => {
    if (x.resolution !== 'auto') return x.resolution;
    // Raw when every reading of the range fits and none of them has been deleted yet: the same
    // answer the endpoint always gave.
    const rawComplete = x.since >= (watermark(finalizedKey(x.sensorId)) ?? Number.MIN_SAFE_INTEGER);
    if (rawComplete && (rawCount.get(x.sensorId, x.since, x.limit + 1)?.n ?? 0) <= x.limit) return 'raw';
    const minutes = Math.ceil((x.now - x.since) / BUCKET_MS.minute);
    if (minutes <= x.limit && x.since >= x.now - keep.minuteDays * DAY_MS) return 'minute';
    return 'hour';
  };

  return {
    pick,
    read(x) {
      const resolution = pick(x);
      if (resolution === 'raw') return { resolution, points: raw.all(x.sensorId, x.since, x.limit).reverse() };
      return { resolution, points: rollups(resolution, x.sensorId, x.since, x.limit) };
    },
  };
}
