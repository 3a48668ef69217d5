import { getJson } from './http.js';
import type { Text } from './site.js';

/**
 * `/api/lounge` and the live `lounge` event (src/lounge/lounge-routes.ts, `LoungeOccupancyPayload` in
 * src/contract/payloads.ts): people inside now, visitors today, and today's events with the attendance
 * counted at the doors.
 */
export interface LoungeOccupancy {
  /** people inside now; never negative, reset at closing time */
  inside: number;
  /** people who came in today (local day) */
  visitsToday: number;
  open: boolean;
  /** ISO-8601 time of this count */
  at: string;
}

export interface EventAttendance {
  /** epoch ms: people coming in within [from, to) count */
  window: { from: number; to: number };
  /** people counted in so far; null when the counts for the window are no longer kept */
  counted: number | null;
  complete: boolean;
}

export interface LoungeEvent {
  id: number;
  kind: string;
  title: Text;
  place: Text;
  /** epoch ms */
  startsAt: number;
  endsAt: number;
  signedUp: number;
  attendance: EventAttendance;
}

export interface LoungeSnapshot extends LoungeOccupancy {
  hours: { open: string; close: string; closesAt: number | null; opensAt: number | null };
  doors: { id: string; name: Text }[];
  /** today's events that are not cancelled, by start */
  events: LoungeEvent[];
}

export function fetchLounge(signal?: AbortSignal): Promise<LoungeSnapshot> {
  return getJson<LoungeSnapshot>('/api/lounge', signal);
}
