import { addDays, hhmmToMinutes, localParts, localToEpoch, MINUTE_MS } from '../waste/local-time.js';

/**
 * The lounge's opening hours as instants, and the local hour and day a moment falls in. All wall-clock
 * arithmetic goes through src/waste/local-time.ts (the IANA zone database), so a site in a zone with
 * half-hour offsets or daylight saving time gets the same answers as Shanghai.
 */
export interface LoungeHours {
  tz: string;
  /** minutes after local midnight, 0..1440 */
  open: number;
  close: number;
}

/** One opening: the session labelled by the local date it opens on. */
export interface Session {
  day: string;
  opensAt: number;
  closesAt: number;
}

export function loungeHours(hours: { open: string; close: string }, tz: string): LoungeHours {
  return { tz, open: hhmmToMinutes(hours.open), close: hhmmToMinutes(hours.close) };
}

/**
 * The session that opens on `day`. A closing time at or before the opening time (20:00–02:00, or
 * 08:00–08:00 for a lounge that never closes) is on the next day: the reset still belongs to `day`.
 */
export function session(day: string, h: LoungeHours): Session {
  const closeDay = h.close > h.open ? day : addDays(day, 1);
  return { day, opensAt: localToEpoch(day, h.open, h.tz), closesAt: localToEpoch(closeDay, h.close, h.tz) };
}

/** The sessions that could contain or follow `t`: opened on the day before, the day itself and the next. */
function sessionsAround(t: number, h: LoungeHours): Session[] {
  const today = localParts(t, h.tz).date;
  return [-1, 0, 1].map((n) => session(addDays(today, n), h));
}

export function isOpen(t: number, h: LoungeHours): boolean {
  return sessionsAround(t, h).some((s) => s.opensAt <= t && t < s.closesAt);
}

/** The first closing strictly after `t`: the reset that will end the session `t` belongs to. */
export function nextCloseAfter(t: number, h: LoungeHours): Session {
  const s = sessionsAround(t, h).find((x) => x.closesAt > t);
  // The day after tomorrow's session closes at least a day after t: three candidates always suffice.
  return s ?? session(addDays(localParts(t, h.tz).date, 2), h);
}

/** The next opening at or after `t` (for "opens at" on the kiosk). */
export function nextOpenAfter(t: number, h: LoungeHours): number {
  const s = sessionsAround(t, h).find((x) => x.opensAt >= t);
  return s?.opensAt ?? session(addDays(localParts(t, h.tz).date, 2), h).opensAt;
}

/** Every closing in (from, to], oldest first. */
export function closesBetween(from: number, to: number, h: LoungeHours): Session[] {
  if (to <= from) return [];
  const out: Session[] = [];
  let day = addDays(localParts(from, h.tz).date, -1);
  for (;;) {
    const s = session(day, h);
    if (s.closesAt > to) break;
    if (s.closesAt > from) out.push(s);
    day = addDays(day, 1);
  }
  return out;
}

/**
 * The start of the local hour `t` is in. Zone offsets are whole minutes, so the local minute starts
 * with the UTC minute; going back by the local minutes past the hour is right on a DST day too, where
 * rebuilding "HH:00" from the wall clock would be ambiguous in the repeated hour.
 */
export function localHourStart(t: number, tz: string): number {
  const minuteStart = Math.floor(t / MINUTE_MS) * MINUTE_MS;
  return minuteStart - (localParts(t, tz).minutes % 60) * MINUTE_MS;
}

export function minuteStart(t: number): number {
  return Math.floor(t / MINUTE_MS) * MINUTE_MS;
}

/** [start, end) of a local date. */
export function localDay(date: string, tz: string): { from: number; to: number } {
  return { from: localToEpoch(date, 0, tz), to: localToEpoch(addDays(date, 1), 0, tz) };
}
