/**
 * Whether a pickup slot that just ended was missed. Pure: the module gathers the facts (pickups seen
 * in the slot, how full the bins were) and stores the outcome so a slot is judged once.
 */
export type SlotOutcome = 'collected' | 'missed' | 'nothing-to-collect';

export function slotOutcome(o: { pickupsInSlot: number; fullestFill: number | null; minFillPercent: number }): SlotOutcome {
  if (o.pickupsInSlot > 0) return 'collected';
  // An (almost) empty bin shows no drop when emptied, and needs no crew: not a missed pickup.
  if (o.fullestFill === null || o.fullestFill < o.minFillPercent) return 'nothing-to-collect';
  return 'missed';
}

/**
 * Which stretch of time to look at for ended slots. Only with a trusted clock; and a gap that is too
 * long (first start, days switched off, a clock that jumped from 1970) is not looked back over:
 * judging a day of slots the service never watched would flood crews with false missed pickups.
 */
export const MAX_LOOKBACK_MS = 6 * 3_600_000;

export function slotCheckRange(o: {
  lastCheckedUntil: number | undefined;
  now: number;
  clockTrusted: boolean;
  /** The clock was untrusted until this check (a boot in 1970, then NTP): see below. */
  untrustedUntilNow?: boolean;
}):
  | { check: false; advanceTo: number | undefined }
  | { check: true; from: number; to: number } {
  if (!o.clockTrusted) return { check: false, advanceTo: undefined };
  const last = o.lastCheckedUntil;
  // While the clock was untrusted, readings were stamped with a wrong time (1970), so a pickup made
  // then was recorded outside its slot: a slot that ended before the time was known cannot be judged,
  // even when the mark of a previous run is recent enough to look back to.
  if (o.untrustedUntilNow) return { check: false, advanceTo: o.now };
  if (last === undefined || last > o.now || o.now - last > MAX_LOOKBACK_MS) return { check: false, advanceTo: o.now };
  return { check: true, from: last, to: o.now };
}
