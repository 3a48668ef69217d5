import type { BinFill, CategoryWindow, WastePointState } from '../../api/waste.js';
import type { SensorState } from '../../model.js';

/**
 * What the waste screen says about a point, a category and a bin, decided in one pure place. Windows
 * are server times; `offsetMs` (server minus page clock) turns them into page times, so a countdown
 * ticks on the page's clock and stays right even if the two clocks differ.
 */
export type WindowStatus =
  /** a late-drop point (误时投放点): open all day */
  | { kind: 'always' }
  /** open now, until `closesAt` (page time) */
  | { kind: 'open'; closesAt: number }
  /** closed now; opens at `opensAt` (page time), or not within the next two weeks */
  | { kind: 'closed'; opensAt: number | null }
  /** the server has not worked the windows out yet */
  | { kind: 'unknown' };

export function categoryStatus(c: CategoryWindow | undefined, lateDrop: boolean, offsetMs: number): WindowStatus {
  if (!c) return { kind: 'unknown' };
  if (c.open) return lateDrop || !c.current ? { kind: 'always' } : { kind: 'open', closesAt: c.current.to - offsetMs };
  return { kind: 'closed', opensAt: c.next ? c.next.from - offsetMs : null };
}

/**
 * The point as a whole: open if any category is (closing at the first of them to close, which is
 * what a resident carrying one bag of each must know), else closed until the first to open.
 */
export function pointStatus(p: WastePointState, offsetMs: number): WindowStatus {
  const list = Object.values(p.categories).map((c) => categoryStatus(c, p.lateDrop, offsetMs));
  if (list.length === 0) return { kind: 'unknown' };
  if (list.some((s) => s.kind === 'always')) return { kind: 'always' };
  const closes = list.flatMap((s) => (s.kind === 'open' ? [s.closesAt] : []));
  if (closes.length > 0) return { kind: 'open', closesAt: Math.min(...closes) };
  const opens = list.flatMap((s) => (s.kind === 'closed' && s.opensAt !== null ? [s.opensAt] : []));
  return { kind: 'closed', opensAt: opens.length > 0 ? Math.min(...opens) : null };
}

/** Same state and, to the minute, the same time: a category that says nothing the point does not. */
export function sameStatus(a: WindowStatus, b: WindowStatus): boolean {
  const minute = (t: number | null) => (t === null ? null : Math.floor(t / 60_000));
  if (a.kind !== b.kind) return false;
  if (a.kind === 'open' && b.kind === 'open') return minute(a.closesAt) === minute(b.closesAt);
  if (a.kind === 'closed' && b.kind === 'closed') return minute(a.opensAt) === minute(b.opensAt);
  return true;
}

export type FillWord = 'full' | 'nearly-full' | null;

export interface BinView {
  /** the server's filtered fill %, null before it has one */
  fill: number | null;
  word: FillWord;
  /** why the number is not current: none yet, or an old one from `at` (its sensor went quiet) */
  problem: { kind: 'no-data' } | { kind: 'old'; at: number | null } | null;
}

export function binView(bin: BinFill | undefined, sensor: SensorState | undefined): BinView {
  const fill = bin?.fill ?? null;
  if (fill === null) return { fill, word: null, problem: { kind: 'no-data' } };
  // The fill comes from the server's filter; its sensor's own state says whether it is still current.
  const problem = sensor?.stale ? { kind: 'old' as const, at: sensor.at } : null;
  const level = bin?.level ?? 'ok';
  const word: FillWord = level === 'full' || level === 'overflow' ? 'full' : level === 'warn' ? 'nearly-full' : null;
  return { fill, word: problem ? null : word, problem };
}

/** The bar's width: 0–100 %, whatever the sensor says (an overflowing bin reads over 100). */
export function barPercent(fill: number | null): number {
  return Math.max(0, Math.min(100, fill ?? 0));
}
