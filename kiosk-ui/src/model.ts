import type { DeviceSnapshot, DeviceStatus } from './api/devices.js';
import { isBedState, type BedState, type GardenBedSnapshot } from './api/garden.js';
import type { LiveDevice, LiveReading, LiveState } from './api/live.js';
import type { LoungeEvent, LoungeOccupancy, LoungeSnapshot } from './api/lounge.js';
import type { SensorSnapshot } from './api/sensors.js';
import type { Site } from './api/site.js';
import { categoriesOf, type LiveBin, type LivePoint, type WastePointState, type WasteSnapshot } from './api/waste.js';

/** What the screens show, in one place; screens read it, the functions below change it. */
export interface SensorState {
  value: number | null;
  at: number | null;
  stale: boolean;
  device: string | null;
}

/** The collection points as the server last told, and how far its clock is from the page's. */
export interface WasteModel {
  points: WastePointState[];
  clockTrusted: boolean;
  /** server clock minus page clock (ms): the windows are server times, countdowns run on the page */
  offsetMs: number;
}

export interface Model {
  site: Site;
  sensors: Map<string, SensorState>;
  devices: Map<string, DeviceStatus>;
  /** Each bed's state as the garden controller decided it; a bed not here falls back to its sensors. */
  beds: Map<string, BedState>;
  /** People inside and visitors today; null until the server has told. */
  occupancy: LoungeOccupancy | null;
  /** Today's events with their door-counted attendance, as of the last `/api/lounge`. */
  events: LoungeEvent[];
  live: LiveState;
  /** When the live stream was last heard from (epoch ms). */
  lastEventAt: number | null;
  /** null until `/api/waste/points` has answered */
  waste: WasteModel | null;
}

export function createModel(site: Site): Model {
  return { site, sensors: new Map(), devices: new Map(), beds: new Map(), occupancy: null, events: [], live: 'connecting', lastEventAt: null, waste: null };
}

export function sensor(model: Model, id: string | undefined): SensorState | undefined {
  return id === undefined ? undefined : model.sensors.get(id);
}

/** A snapshot may be older than a reading that came over the stream meanwhile: the newer one wins. */
export function applySensorSnapshot(model: Model, snapshot: SensorSnapshot[]): void {
  for (const s of snapshot) {
    const cur = model.sensors.get(s.id);
    if (cur && cur.at !== null && (s.at === null || cur.at > s.at)) {
      cur.device = s.device;
      continue;
    }
    model.sensors.set(s.id, { value: s.value, at: s.at, stale: s.stale || s.value === null, device: s.device });
  }
}

export function applyDeviceSnapshot(model: Model, devices: DeviceSnapshot[]): void {
  model.devices = new Map(devices.map((d) => [d.id, d.status]));
}

export function applyReadings(model: Model, readings: LiveReading[]): void {
  for (const r of readings) {
    const cur = model.sensors.get(r.sensorId);
    if (cur && cur.at !== null && cur.at > r.at) continue;
    // A reading just arrived, so its device is talking: the value is current.
    model.sensors.set(r.sensorId, { value: r.value, at: r.at, stale: false, device: cur?.device ?? null });
  }
}

export function applyDevice(model: Model, d: LiveDevice): void {
  model.devices.set(d.deviceId, d.status);
  for (const s of model.sensors.values()) {
    if (s.device !== d.deviceId) continue;
    s.stale = d.status !== 'online' || s.value === null;
  }
}

/**
 * States carry the server's time: a snapshot fetched while a live event was on its way may be older
 * than that event, and must not undo it. Equal times go to the newcomer.
 */
function isNewer(next: { at: string }, cur: { at: string } | null | undefined): boolean {
  if (!cur) return true;
  const a = Date.parse(next.at);
  const b = Date.parse(cur.at);
  return Number.isNaN(b) || !(a < b);
}

export function applyGardenSnapshot(model: Model, beds: GardenBedSnapshot[]): void {
  for (const b of beds) {
    const cur = model.beds.get(b.bedId);
    if (!isNewer(b, cur)) continue;
    // A bed the controller has not evaluated yet has no state: its sensors stand in.
    if (isBedState(b)) model.beds.set(b.bedId, b);
    else model.beds.delete(b.bedId);
  }
}

export function applyBedState(model: Model, s: BedState): void {
  if (isNewer(s, model.beds.get(s.bedId))) model.beds.set(s.bedId, s);
}

export function applyOccupancy(model: Model, o: LoungeOccupancy): void {
  if (isNewer(o, model.occupancy)) model.occupancy = { inside: o.inside, visitsToday: o.visitsToday, open: o.open, at: o.at };
}

export function applyLoungeSnapshot(model: Model, snap: LoungeSnapshot): void {
  applyOccupancy(model, snap);
  model.events = snap.events;
}

/** The newest reading time of any sensor, or null. */
export function lastReadingAt(model: Model): number | null {
  let last: number | null = null;
  for (const s of model.sensors.values()) if (s.at !== null && (last === null || s.at > last)) last = s.at;
  return last;
}

/** `pageNow` is the page's clock when the answer came: the server's `now` gives the offset. */
export function applyWasteSnapshot(model: Model, snap: WasteSnapshot, pageNow: number): void {
  model.waste = { points: snap.points, clockTrusted: snap.clockTrusted, offsetMs: snap.now - pageNow };
}

/** A bin's new fill, straight from the live event (no refetch: the event carries all of it). */
export function applyBin(model: Model, b: LiveBin): void {
  const bin = model.waste?.points.find((p) => p.id === b.pointId)?.bins.find((x) => x.id === b.binId);
  if (!bin) return;
  bin.fill = b.fill;
  bin.level = b.level;
}

/** A point's windows changed (one opened or closed): the event's `at` is the server's now. */
export function applyPoint(model: Model, p: LivePoint, pageNow: number): void {
  const w = model.waste;
  const point = w?.points.find((x) => x.id === p.pointId);
  if (!w || !point) return;
  point.open = p.open;
  point.categories = categoriesOf(p);
  w.clockTrusted = p.clockTrusted;
  const at = Date.parse(p.at);
  if (!Number.isNaN(at)) w.offsetMs = at - pageNow;
}
