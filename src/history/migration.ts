import type { Migration } from '../store/migrations.js';

/**
 * Reading roll-ups per minute and per hour: min, mean, max and count of the calibrated `value`
 * (not of `raw`: charts show values, and the raw readings of the last `history.rawDays` are enough
 * to check a calibration; leaving `raw` out makes a roll-up row about a third smaller).
 *
 * `at` is the bucket's start (epoch ms). WITHOUT ROWID with the key (sensor_id, at): the rows are
 * stored in key order, so a chart's range read and the per-sensor deletes of old rows are single
 * b-tree range scans, and no separate index doubles the size.
 */
export const historyMigration: Migration = {
  version: 10,
  name: 'reading roll-ups',
  sql: `
    CREATE TABLE readings_minute (
      sensor_id TEXT    NOT NULL,
      at        INTEGER NOT NULL, -- bucket start, epoch ms, a whole minute
      n         INTEGER NOT NULL,
      min       REAL    NOT NULL,
      mean      REAL    NOT NULL,
      max       REAL    NOT NULL,
      PRIMARY KEY (sensor_id, at)
    ) WITHOUT ROWID;
    CREATE TABLE readings_hour (
      sensor_id TEXT    NOT NULL,
      at        INTEGER NOT NULL, -- bucket start, epoch ms, a whole hour (UTC; Shanghai has no DST)
      n         INTEGER NOT NULL,
      min       REAL    NOT NULL,
      mean      REAL    NOT NULL,
      max       REAL    NOT NULL,
      PRIMARY KEY (sensor_id, at)
    ) WITHOUT ROWID;
  `,
};
