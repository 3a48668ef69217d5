import type { Migration } from '../store/migrations.js';

/**
 * Garden: the log of watering runs (also what min-interval and max-run are measured from after a
 * restart: a run still open here was on when the service stopped), overrides with their end time
 * so that they survive a restart, and valves found stuck, which are not retried automatically.
 */
export const gardenMigration: Migration = {
  version: 8,
  name: 'garden: watering runs, overrides, stuck valves',
  sql: `
    CREATE TABLE garden_runs (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      bed_id          TEXT    NOT NULL,
      valve_id        TEXT    NOT NULL,
      started_at      INTEGER NOT NULL, -- epoch ms
      start_reason    TEXT    NOT NULL CHECK (start_reason IN ('dry', 'override')),
      moisture_before REAL,             -- % (median of trusted probes), null when none was trusted
      ended_at        INTEGER,          -- null while the valve is on
      end_reason      TEXT,
      moisture_after  REAL,
      CHECK (ended_at IS NULL OR ended_at >= started_at),
      CHECK ((ended_at IS NULL) = (end_reason IS NULL))
    );
    CREATE INDEX garden_runs_bed_started ON garden_runs (bed_id, started_at);
    -- One run at a time per bed.
    CREATE UNIQUE INDEX garden_runs_open ON garden_runs (bed_id) WHERE ended_at IS NULL;

    CREATE TABLE garden_overrides (
      bed_id  TEXT PRIMARY KEY,
      state   TEXT    NOT NULL CHECK (state IN ('on', 'off')),
      set_at  INTEGER NOT NULL,
      until   INTEGER NOT NULL,
      set_by  TEXT    NOT NULL,
      CHECK (until > set_at)
    );

    CREATE TABLE garden_stuck_valves (
      valve_id    TEXT PRIMARY KEY,
      bed_id      TEXT    NOT NULL,
      since       INTEGER NOT NULL,
      moisture    REAL              -- the bed's moisture when found stuck: recovery is measured from it
    );
  `,
};
