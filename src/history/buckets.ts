/**
 * Time buckets of the history. Buckets are aligned to the epoch (UTC): for Shanghai (UTC+8, no
 * daylight saving) an hour bucket is also a local hour.
 */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type Resolution = 'raw' | 'minute' | 'hour';
export type RollupResolution = Exclude<Resolution, 'raw'>;

export const BUCKET_MS: Record<RollupResolution, number> = { minute: MINUTE_MS, hour: HOUR_MS };
export const ROLLUP_TABLE: Record<RollupResolution, 'readings_minute' | 'readings_hour'> = {
  minute: 'readings_minute',
  hour: 'readings_hour',
};

export const floorTo = (ms: number, bucketMs: number) => Math.floor(ms / bucketMs) * bucketMs;

/**
 * The SQL expression for a reading's bucket start. `at` is normally an integer, but a device may
 * send fractional milliseconds, which SQLite keeps as REAL: truncate first so that the division
 * is an integer one either way.
 */
export const bucketExpr = (bucketMs: number) => `(CAST(at AS INTEGER) / ${bucketMs}) * ${bucketMs}`;
