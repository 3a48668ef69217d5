import type { SensorConfig } from '../config/schema.js';
import { noise, poisson, type Rng } from './random.js';

/**
 * What simulated sensors measure, as pure step functions of the previous state, the simulated local
 * hour and the elapsed simulated time. The simulator turns values back into raw device units with
 * the sensor's own calibration, so readings go through exactly the path real ones take.
 */
const HOUR = 3_600_000;

/** Local hour of day (0–24, fractional) in a zone with a fixed offset; Asia/Shanghai is UTC+8, no DST. */
export function localHour(epochMs: number, utcOffsetHours = 8): number {
  return (((epochMs / HOUR + utcOffsetHours) % 24) + 24) % 24;
}

export interface SoilState {
  moisture: number; // %
}

/** Moisture % a bed's soil holds at most (field capacity): more water runs off. */
export const SOIL_SATURATION = 85;
/** How fast an open valve wets a bed, % per hour: a 15-minute run lifts it by about 20 %. */
export const VALVE_WETTING_PER_HOUR = 80;

/**
 * Soil dries (faster in the afternoon sun), jumps up when a volunteer waters it with a can, and
 * rises steadily while its bed's valve is open (a little unevenly: probes sit nearer or farther).
 */
export function stepSoil(s: SoilState, hour: number, dtMs: number, watered: boolean, rng: Rng, valveOpen = false): SoilState {
  if (watered) return { moisture: Math.min(SOIL_SATURATION, s.moisture + 35 + noise(rng, 3)) };
  const sun = hour >= 10 && hour <= 16 ? 2.5 : 1;
  const dried = s.moisture - (1.2 * sun * dtMs) / HOUR;
  if (!valveOpen) return { moisture: Math.max(5, dried) };
  const wetted = ((VALVE_WETTING_PER_HOUR * dtMs) / HOUR) * (0.8 + 0.4 * rng());
  return { moisture: Math.max(5, Math.min(Math.max(SOIL_SATURATION, s.moisture), dried + wetted)) };
}

export interface BinState {
  fill: number; // %
}

/** How much rubbish arrives per hour, by local hour: the drop-off windows are the rush. */
export function dropRatePerHour(hour: number): number {
  if (hour >= 6.5 && hour < 8.5) return 14;
  if (hour >= 17.5 && hour < 20.5) return 10;
  if (hour >= 8.5 && hour < 17.5) return 1.5;
  return 0.3;
}

export function stepBin(s: BinState, hour: number, dtMs: number, emptied: boolean, rng: Rng): BinState {
  if (emptied) return { fill: Math.max(0, 2 + noise(rng, 1)) };
  const added = (dropRatePerHour(hour) * dtMs) / HOUR * (0.5 + rng());
  return { fill: Math.min(115, s.fill + added) };
}

/** An ultrasonic sensor now and then sees a bird, a lid edge or nothing at all. */
export function ultrasonicGlitch(rng: Rng, probability = 0.02): number | undefined {
  if (rng() >= probability) return undefined;
  return rng() < 0.5 ? 2 + rng() * 5 : 300 + rng() * 100;
}

export interface LoungeState {
  inside: number;
}

/** Arrivals per hour: a base flow in opening hours, peaks around the day's events. */
export function arrivalsPerHour(hour: number, open: number, close: number, events: number[]): number {
  if (hour < open || hour >= close) return 0;
  let rate = 12;
  for (const e of events) if (hour >= e - 0.5 && hour < e + 0.25) rate += 45;
  return rate;
}

export function stepLounge(
  s: LoungeState,
  hour: number,
  dtMs: number,
  hours: { open: number; close: number; events: number[] },
  rng: Rng,
): { state: LoungeState; arrived: number; left: number } {
  const arrived = poisson(rng, (arrivalsPerHour(hour, hours.open, hours.close, hours.events) * dtMs) / HOUR);
  // People stay about 40 minutes; after closing they all leave.
  const leaveShare = hour >= hours.close || hour < hours.open ? 1 : Math.min(1, dtMs / (40 * 60_000));
  const left = Math.min(s.inside, poisson(rng, s.inside * leaveShare));
  return { state: { inside: s.inside + arrived - left }, arrived, left };
}

/** The raw value a sensor would send for a value, inverting its two-point calibration. */
export function toRaw(value: number, sensor: Pick<SensorConfig, 'calibration'>): number {
  const c = sensor.calibration;
  if (!c) return value;
  const [r0, r1] = c.raw;
  const [v0, v1] = c.value;
  return r0 + ((value - v0) * (r1 - r0)) / (v1 - v0);
}

export function parseHHMM(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) + (m ?? 0) / 60;
}
