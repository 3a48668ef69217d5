import { getJson } from './http.js';
import type { Text, WasteCategory } from './site.js';

/**
 * `/api/waste/points` (src/waste/waste-routes.ts) and the live `bin` and `point` events
 * (`BinStatePayload`, `PointStatePayload` in src/contract/payloads.ts): each collection point, which
 * categories are open now with the current and next window, and each bin's filtered fill.
 */
export interface Interval {
  /** epoch ms, server time */
  from: number;
  to: number;
}

export interface CategoryWindow {
  open: boolean;
  /** the open window containing now */
  current: Interval | null;
  /** the next opening after now */
  next: Interval | null;
}

/** ok < warn (nearly full) < full < overflow, with the server's hysteresis and minimum duration. */
export type FillLevel = 'ok' | 'warn' | 'full' | 'overflow';

export interface BinFill {
  id: string;
  category: WasteCategory;
  /** median-filtered fill %, null before enough readings */
  fill: number | null;
  level: FillLevel;
}

export interface WastePointState {
  id: string;
  name: Text;
  place?: Text;
  /** 误时投放点: open all day, the place to go outside the windows */
  lateDrop: boolean;
  open: boolean;
  categories: Partial<Record<WasteCategory, CategoryWindow>>;
  bins: BinFill[];
}

export interface WasteSnapshot {
  /** the server's clock when it answered (epoch ms) */
  now: number;
  /** false while the Pi's clock is not known to be right: windows are then only a guess */
  clockTrusted: boolean;
  points: WastePointState[];
}

export function fetchWastePoints(signal?: AbortSignal): Promise<WasteSnapshot> {
  return getJson<WasteSnapshot>('/api/waste/points', signal);
}

/** The live `bin` event. */
export interface LiveBin {
  binId: string;
  pointId: string;
  category: WasteCategory;
  fill: number | null;
  level: FillLevel;
  /** ISO-8601 server time */
  at: string;
}

interface IsoInterval {
  from: string;
  to: string;
}

/** The live `point` event: intervals as ISO-8601 strings. */
export interface LivePoint {
  pointId: string;
  open: boolean;
  lateDrop: boolean;
  clockTrusted: boolean;
  categories: Record<string, { open: boolean; current: IsoInterval | null; next: IsoInterval | null }>;
  at: string;
}

const interval = (i: IsoInterval | null): Interval | null => (i ? { from: Date.parse(i.from), to: Date.parse(i.to) } : null);

/** The event's windows in the API's shape (epoch ms). */
export function categoriesOf(p: LivePoint): Partial<Record<WasteCategory, CategoryWindow>> {
  const out: Partial<Record<WasteCategory, CategoryWindow>> = {};
  for (const [cat, c] of Object.entries(p.categories)) out[cat as WasteCategory] = { open: c.open, current: interval(c.current), next: interval(c.next) };
  return out;
}
