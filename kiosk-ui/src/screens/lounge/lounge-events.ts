import type { LoungeEvent } from '../../api/lounge.js';

/**
 * Which of today's events the lounge screen lists first, and where each one stands. A resident wants
 * what is on now and next, so those come first (by start), then the most recently finished.
 */
export type EventPhase = 'before' | 'during' | 'after';

/** Phase from the attendance window (the doors count from a little before the start), at `now`. */
export function eventPhase(e: LoungeEvent, now: number): EventPhase {
  if (now < e.attendance.window.from) return 'before';
  return now < e.attendance.window.to ? 'during' : 'after';
}

export function eventsToShow(events: readonly LoungeEvent[], now: number, max = Infinity): LoungeEvent[] {
  const byStart = [...events].sort((a, b) => a.startsAt - b.startsAt || a.id - b.id);
  const open = byStart.filter((e) => eventPhase(e, now) !== 'after');
  const done = byStart.filter((e) => eventPhase(e, now) === 'after').reverse();
  return [...open, ...done].slice(0, max);
}
