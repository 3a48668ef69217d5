import { getJson } from './http.js';

/**
 * `/api/garden` and the live `garden` event (src/garden/garden-routes.ts, `GardenStatePayload` in
 * src/contract/payloads.ts): every bed's moisture, level and watering as the controller decided them.
 */
export type GardenLevel = 'dry' | 'ok' | 'wet' | 'unknown';

export interface ProbeState {
  /** calibrated moisture %, trusted or not; null before the first reading */
  value: number | null;
  trusted: boolean;
  /** why it is not trusted: impossible-value, stale, device-offline, no-reading */
  fault?: string;
}

/** A bed's full state: the payload of the `garden` event, and of `/api/garden` once the bed was evaluated. */
export interface BedState {
  bedId: string;
  /** median of the trusted probes, %; null when none is trusted */
  moisture: number | null;
  level: GardenLevel;
  /** the valve is commanded on */
  watering: boolean;
  mode: 'auto' | 'override-on' | 'override-off';
  reason: string;
  overrideUntil: string | null;
  probes: Record<string, ProbeState>;
  lastRun: { startedAt: string; endedAt: string | null; endReason: string | null } | null;
  /** ISO-8601 time of this state */
  at: string;
}

/**
 * What `/api/garden` gives for a bed the controller has not evaluated yet: no moisture and no probes.
 * The kiosk then falls back to the sensors' own readings.
 */
export interface BedPending {
  bedId: string;
  level: 'unknown';
  watering: false;
  at: string;
}

export type GardenBedSnapshot = BedState | BedPending;

export function isBedState(b: GardenBedSnapshot): b is BedState {
  return 'probes' in b && 'moisture' in b;
}

export async function fetchGarden(signal?: AbortSignal): Promise<GardenBedSnapshot[]> {
  return (await getJson<{ at: string; beds: GardenBedSnapshot[] }>('/api/garden', signal)).beds;
}
