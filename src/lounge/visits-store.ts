import type { Db } from '../store/db.js';
import type { MinuteEntries } from './attendance.js';
import type { ResetRecord } from './occupancy.js';

/**
 * SQL for the lounge (tables in migration.ts): prepared once, no decisions here. Increments are
 * upserts so that counts from any number of readings add up in one row per door and hour/minute.
 */

/** Per-minute counts are kept this long: attendance reports over a year, then only hourly counts remain. */
export const LOUNGE_MINUTE_DAYS = 400;

export interface VisitRow {
  doorId: string;
  start: number;
  entries: number;
  exits: number;
}

export interface StoredReset extends ResetRecord {
  recordedAt: number;
}

export function createVisitsStore(db: Db) {
  const addHour = db.prepare(`
    INSERT INTO lounge_visits_hourly (door_id, hour_start, entries, exits) VALUES (?, ?, ?, ?)
    ON CONFLICT (door_id, hour_start) DO UPDATE SET entries = entries + excluded.entries, exits = exits + excluded.exits`);
  const addMinute = db.prepare(`
    INSERT INTO lounge_visits_minute (door_id, minute_start, entries, exits) VALUES (?, ?, ?, ?)
    ON CONFLICT (door_id, minute_start) DO UPDATE SET entries = entries + excluded.entries, exits = exits + excluded.exits`);
  const hourly = db.prepare<[number, number], VisitRow>(
    'SELECT door_id AS doorId, hour_start AS start, entries, exits FROM lounge_visits_hourly WHERE hour_start >= ? AND hour_start < ? ORDER BY hour_start, door_id',
  );
  const minuteEntries = db.prepare<[number, number], MinuteEntries>(
    'SELECT minute_start AS minuteStart, sum(entries) AS entries FROM lounge_visits_minute WHERE minute_start >= ? AND minute_start < ? GROUP BY minute_start',
  );
  const pruneMinutes = db.prepare('DELETE FROM lounge_visits_minute WHERE minute_start < ?');
  const saveState = db.prepare('INSERT INTO lounge_occupancy (id, state, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at');
  const loadState = db.prepare<[], { state: string }>('SELECT state FROM lounge_occupancy WHERE id = 1');
  // A late count corrects a reset: recorded_at stays when it was first recorded.
  const saveReset = db.prepare(`
    INSERT INTO lounge_daily_resets (day, close_at, inside_at_close, missed_entries, left_after_close, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (day) DO UPDATE SET close_at = excluded.close_at, inside_at_close = excluded.inside_at_close,
      missed_entries = excluded.missed_entries, left_after_close = excluded.left_after_close`);
  const resets = db.prepare<[string, string], StoredReset>(`
    SELECT day, close_at AS at, inside_at_close AS insideAtClose, missed_entries AS missedEntries, left_after_close AS leftAfterClose, recorded_at AS recordedAt
    FROM lounge_daily_resets WHERE day >= ? AND day <= ? ORDER BY day`);

  return {
    /** Adds counts in one transaction: a batch of readings costs one commit. */
    addVisits: db.transaction((hours: readonly VisitRow[], minutes: readonly VisitRow[]) => {
      for (const r of hours) addHour.run(r.doorId, r.start, r.entries, r.exits);
      for (const r of minutes) addMinute.run(r.doorId, r.start, r.entries, r.exits);
    }),
    hourly: (from: number, to: number) => hourly.all(from, to),
    minuteEntries: (from: number, to: number) => minuteEntries.all(from, to),
    pruneMinutes: (before: number) => pruneMinutes.run(before).changes,
    saveState: (state: string, now: number) => void saveState.run(state, now),
    loadState: () => loadState.get()?.state,
    saveReset: (r: ResetRecord, now: number) => void saveReset.run(r.day, r.at, r.insideAtClose, r.missedEntries, r.leftAfterClose, now),
    resets: (fromDay: string, toDay: string) => resets.all(fromDay, toDay),
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
  };
}
export type VisitsStore = ReturnType<typeof createVisitsStore>;
