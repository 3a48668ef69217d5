import type { Db } from '../store/db.js';
import type { Override } from './watering-decision.js';

/** The garden tables (migration.ts): runs, overrides and stuck valves. */
export interface RunRow {
  id: number;
  bedId: string;
  valveId: string;
  startedAt: number;
  startReason: 'dry' | 'override';
  moistureBefore: number | null;
  endedAt: number | null;
  endReason: string | null;
  moistureAfter: number | null;
}

export interface StuckValve {
  valveId: string;
  bedId: string;
  since: number;
  moisture: number | null;
}

const RUN_COLUMNS =
  'id, bed_id AS bedId, valve_id AS valveId, started_at AS startedAt, start_reason AS startReason, moisture_before AS moistureBefore, ended_at AS endedAt, end_reason AS endReason, moisture_after AS moistureAfter';

export function createGardenStore(db: Db) {
  const q = {
    startRun: db.prepare('INSERT INTO garden_runs (bed_id, valve_id, started_at, start_reason, moisture_before) VALUES (?, ?, ?, ?, ?)'),
    endRun: db.prepare('UPDATE garden_runs SET ended_at = ?, end_reason = ?, moisture_after = ? WHERE id = ? AND ended_at IS NULL'),
    lastRun: db.prepare<[string], RunRow>(`SELECT ${RUN_COLUMNS} FROM garden_runs WHERE bed_id = ? ORDER BY started_at DESC, id DESC LIMIT 1`),
    runsSince: db.prepare<[string, number, number], RunRow>(
      `SELECT ${RUN_COLUMNS} FROM garden_runs WHERE bed_id = ? AND (started_at >= ? OR ended_at IS NULL) ORDER BY started_at DESC, id DESC LIMIT ?`,
    ),
    setOverride: db.prepare(
      `INSERT INTO garden_overrides (bed_id, state, set_at, until, set_by) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(bed_id) DO UPDATE SET state = excluded.state, set_at = excluded.set_at, until = excluded.until, set_by = excluded.set_by`,
    ),
    clearOverride: db.prepare('DELETE FROM garden_overrides WHERE bed_id = ?'),
    overrides: db.prepare<[], Override & { bedId: string; setBy: string }>('SELECT bed_id AS bedId, state, set_at AS setAt, until, set_by AS setBy FROM garden_overrides'),
    setStuck: db.prepare(
      'INSERT INTO garden_stuck_valves (valve_id, bed_id, since, moisture) VALUES (?, ?, ?, ?) ON CONFLICT(valve_id) DO NOTHING',
    ),
    clearStuck: db.prepare('DELETE FROM garden_stuck_valves WHERE valve_id = ?'),
    stuck: db.prepare<[], StuckValve>('SELECT valve_id AS valveId, bed_id AS bedId, since, moisture FROM garden_stuck_valves'),
  };
  return {
    startRun: (r: { bedId: string; valveId: string; startedAt: number; startReason: 'dry' | 'override'; moistureBefore: number | null }): number =>
      Number(q.startRun.run(r.bedId, r.valveId, r.startedAt, r.startReason, r.moistureBefore).lastInsertRowid),
    endRun: (id: number, endedAt: number, endReason: string, moistureAfter: number | null) => void q.endRun.run(endedAt, endReason, moistureAfter, id),
    lastRun: (bedId: string): RunRow | undefined => q.lastRun.get(bedId),
    runsSince: (bedId: string, since: number, limit = 1000): RunRow[] => q.runsSince.all(bedId, since, limit),
    setOverride: (bedId: string, o: Override, setBy: string) => void q.setOverride.run(bedId, o.state, o.setAt, o.until, setBy),
    clearOverride: (bedId: string) => void q.clearOverride.run(bedId),
    overrides: () => q.overrides.all(),
    setStuck: (s: StuckValve) => void q.setStuck.run(s.valveId, s.bedId, s.since, s.moisture),
    clearStuck: (valveId: string) => void q.clearStuck.run(valveId),
    stuck: () => q.stuck.all(),
  };
}
export type GardenStore = ReturnType<typeof createGardenStore>;
