import { MINUTE_MS } from '../waste/local-time.js';

/**
 * Attendance of a health-hour event as counted at the doors: everyone who came in from
 * `attendanceMinutes` before the event's start until its end. Pure: the entries come in as per-minute
 * buckets (summed over doors), already read from the store.
 *
 * Why minutes: an event from 14:30 to 15:30 with a 30-minute lead counts 14:00–15:30; per-hour counts
 * would take in 14:00–14:59 whole, or miss the 15:00–15:30 part, depending on rounding. A passage is in
 * the minute bucket it happened in, so for windows on whole minutes (every event the admin page
 * makes) the count is exact: a bucket counts when its start is in [from, to).
 */
export interface AttendanceWindow {
  from: number;
  to: number;
}

export interface MinuteEntries {
  minuteStart: number;
  entries: number;
}

export interface EventTimes {
  startsAt: number;
  endsAt: number;
}

export interface Attendance {
  window: AttendanceWindow;
  /** people counted in so far; null when the minute counts for the window are no longer kept */
  counted: number | null;
  /** whether the window is over, so the count is final */
  complete: boolean;
}

export function attendanceWindow(e: EventTimes, attendanceMinutes: number): AttendanceWindow {
  return { from: e.startsAt - Math.round(attendanceMinutes * MINUTE_MS), to: e.endsAt };
}

/** Entries whose minute starts in [from, to). `buckets` need not be sorted. */
export function countEntries(buckets: readonly MinuteEntries[], w: AttendanceWindow): number {
  let n = 0;
  for (const b of buckets) if (b.minuteStart >= w.from && b.minuteStart < w.to) n += b.entries;
  return n;
}

/**
 * The attendance of one event at `now`. `keptSince` is the oldest minute still stored: a window that
 * began before it would be undercounted, so it is reported as unknown rather than as a low number.
 */
export function attendance(e: EventTimes, opts: { attendanceMinutes: number; buckets: readonly MinuteEntries[]; now: number; keptSince: number }): Attendance {
  const window = attendanceWindow(e, opts.attendanceMinutes);
  const counted = window.from < opts.keptSince ? null : countEntries(opts.buckets, window);
  return { window, counted, complete: opts.now >= window.to };
}

/** The span of minutes to read from the store for a set of events (undefined for none). */
export function spanOf(events: readonly EventTimes[], attendanceMinutes: number): AttendanceWindow | undefined {
  if (events.length === 0) return undefined;
  const windows = events.map((e) => attendanceWindow(e, attendanceMinutes));
  return { from: Math.min(...windows.map((w) => w.from)), to: Math.max(...windows.map((w) => w.to)) };
}
