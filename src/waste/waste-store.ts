import type { Db } from '../store/db.js';
import type { SlotOutcome } from './missed-pickups.js';

/** The waste tables: bin state across restarts, the pickup log, judged slots and drop-offs. */
export interface PickupRow {
  binId: string;
  pointId: string;
  category: string;
  at: number;
  fillBefore: number;
  fillAfter: number;
  slotKey: string | null;
}

export function createWasteStore(db: Db) {
  const q = {
    loadBins: db.prepare<[], { binId: string; state: string }>('SELECT bin_id AS binId, state FROM bin_state'),
    saveBin: db.prepare(
      'INSERT INTO bin_state (bin_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT(bin_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
    ),
    pickup: db.prepare('INSERT INTO pickups (bin_id, point_id, category, at, fill_before, fill_after, slot_key) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    pickupsIn: db.prepare<[string, string, number, number], { n: number }>(
      'SELECT count(*) AS n FROM pickups WHERE point_id = ? AND category = ? AND at >= ? AND at < ?',
    ),
    recentPickups: db.prepare<[number], PickupRow>(
      'SELECT bin_id AS binId, point_id AS pointId, category, at, fill_before AS fillBefore, fill_after AS fillAfter, slot_key AS slotKey FROM pickups ORDER BY at DESC LIMIT ?',
    ),
    slotChecked: db.prepare<[string], { outcome: SlotOutcome }>('SELECT outcome FROM pickup_slot_checks WHERE slot_key = ?'),
    checkSlot: db.prepare('INSERT OR IGNORE INTO pickup_slot_checks (slot_key, outcome, checked_at) VALUES (?, ?, ?)'),
    recentChecks: db.prepare<[number], { slotKey: string; outcome: SlotOutcome; checkedAt: number }>(
      'SELECT slot_key AS slotKey, outcome, checked_at AS checkedAt FROM pickup_slot_checks ORDER BY checked_at DESC LIMIT ?',
    ),
    dropoff: db.prepare('INSERT INTO dropoffs (bin_id, at, in_window) VALUES (?, ?, ?)'),
    dropoffCounts: db.prepare<[number], { binId: string; inWindow: number; outOfWindow: number }>(
      'SELECT bin_id AS binId, sum(in_window) AS inWindow, sum(1 - in_window) AS outOfWindow FROM dropoffs WHERE at >= ? GROUP BY bin_id',
    ),
  };
  return {
    loadBins: () => q.loadBins.all().map((r) => ({ binId: r.binId, state: JSON.parse(r.state) as unknown })),
    saveBin: (binId: string, state: unknown, now: number) => q.saveBin.run(binId, JSON.stringify(state), now),
    recordPickup: (p: PickupRow) => q.pickup.run(p.binId, p.pointId, p.category, p.at, p.fillBefore, p.fillAfter, p.slotKey),
    pickupsIn: (pointId: string, category: string, from: number, to: number) => q.pickupsIn.get(pointId, category, from, to)?.n ?? 0,
    recentPickups: (limit: number) => q.recentPickups.all(limit),
    slotChecked: (key: string) => q.slotChecked.get(key)?.outcome,
    checkSlot: (key: string, outcome: SlotOutcome, now: number) => q.checkSlot.run(key, outcome, now),
    recentSlotChecks: (limit: number) => q.recentChecks.all(limit),
    recordDropoff: (binId: string, at: number, inWindow: boolean) => q.dropoff.run(binId, at, inWindow ? 1 : 0),
    dropoffCounts: (since: number) => q.dropoffCounts.all(since),
  };
}
export type WasteStore = ReturnType<typeof createWasteStore>;
