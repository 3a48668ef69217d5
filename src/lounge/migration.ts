import type { Migration } from '../store/migrations.js';

/**
 * Lounge footfall.
 * - `lounge_visits_hourly`: people in and out per door per local hour, kept for good; the monthly
 *   report reads it, so its name and columns are a contract.
 * - `lounge_visits_minute`: the same per minute, kept for a bounded time (LOUNGE_MINUTE_DAYS in
 *   visits-store.ts), because health-hour attendance windows do not fall on whole hours. Only minutes
 *   with a passage have a row.
 * - `lounge_occupancy`: the occupancy state machine's state (one row, JSON), so a restart mid-day
 *   still knows who is inside and how many came today.
 * - `lounge_daily_resets`: one row per session (by the local date it opened): people still counted
 *   inside when it was reset at closing time, exits that found nobody inside, and late leavers after.
 */
export const loungeMigration: Migration = {
  version: 9,
  name: 'lounge footfall: visits per hour and minute, occupancy state, daily resets',
  sql: `
    CREATE TABLE lounge_visits_hourly (
      door_id    TEXT    NOT NULL,
      hour_start INTEGER NOT NULL, -- epoch ms of the local hour's start
      entries    INTEGER NOT NULL,
      exits      INTEGER NOT NULL,
      PRIMARY KEY (door_id, hour_start)
    );
    CREATE INDEX lounge_visits_hourly_hour ON lounge_visits_hourly (hour_start);

    CREATE TABLE lounge_visits_minute (
      door_id      TEXT    NOT NULL,
      minute_start INTEGER NOT NULL, -- epoch ms of the minute's start
      entries      INTEGER NOT NULL,
      exits        INTEGER NOT NULL,
      PRIMARY KEY (door_id, minute_start)
    );
    CREATE INDEX lounge_visits_minute_minute ON lounge_visits_minute (minute_start);

    CREATE TABLE lounge_occupancy (
      id         INTEGER PRIMARY KEY CHECK (id = 1),
      state      TEXT    NOT NULL, -- JSON, see src/lounge/occupancy.ts
      updated_at INTEGER NOT NULL
    );

    CREATE TABLE lounge_daily_resets (
      day              TEXT PRIMARY KEY, -- local date YYYY-MM-DD the session opened
      close_at         INTEGER NOT NULL, -- epoch ms of the reset
      inside_at_close  INTEGER NOT NULL CHECK (inside_at_close >= 0),
      missed_entries   INTEGER NOT NULL CHECK (missed_entries >= 0),
      left_after_close INTEGER NOT NULL CHECK (left_after_close >= 0),
      recorded_at      INTEGER NOT NULL -- when the service recorded it (later than close_at after downtime)
    );
  `,
};
