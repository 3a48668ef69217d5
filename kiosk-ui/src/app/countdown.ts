/**
 * A countdown as a resident reads it: whole minutes, rounded up (a window that opens in 30 s opens
 * "in 1 minute", never "in 0"), and hours and minutes once it is longer than `hoursFrom` minutes.
 */
export interface Duration {
  /** null below `hoursFrom` minutes: minutes alone */
  hours: number | null;
  minutes: number;
}

export const MINUTE_MS = 60_000;

export function duration(ms: number, hoursFrom = 100): Duration {
  const total = Math.max(0, Math.ceil(ms / MINUTE_MS));
  if (total < hoursFrom) return { hours: null, minutes: total };
  return { hours: Math.floor(total / 60), minutes: total % 60 };
}

/** Seconds left, rounded up, never below 0: for the "Still there?" countdown. */
export function secondsLeft(untilMs: number, now: number): number {
  return Math.max(0, Math.ceil((untilMs - now) / 1000));
}
