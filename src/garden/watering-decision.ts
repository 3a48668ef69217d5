import type { SiteConfig } from '../config/schema.js';
import type { WasteCalendar } from '../waste/calendar.js';
import { quietTimeAt } from './quiet-times.js';

/**
 * Should this bed's valve be on? ONE pure function of the bed's moisture, the rules, the valve's run,
 * the last run, the override, rain and `now`; the module does the I/O around it.
 *
 * Automatic rules: start below the low mark; stop at the high mark or after maxRunMinutes; from the
 * end of one run to the start of the next at least minIntervalMinutes; never in a quiet time or
 * while raining; no trusted probe → off; a valve reported stuck → off until that is resolved.
 *
 * A manual override sets the automatic rules aside until its end, EXCEPT max-run: a forgotten
 * "on" must not flood the bed. An override-on gets one run: cut at max-run, the valve stays off
 * (reason max-run) until the override ends. A run an override started ends with the override.
 */
export type WateringRules = SiteConfig['garden']['watering'];
export type WateringMode = 'auto' | 'override-on' | 'override-off';
export type WateringReason =
  | 'dry'
  | 'high-reached'
  | 'max-run'
  | 'min-interval'
  | 'quiet-time'
  | 'raining'
  | 'no-trusted-probe'
  | 'override'
  | 'no-valve'
  | 'ok'
  | 'valve-stuck';

export interface Override {
  state: 'on' | 'off';
  setAt: number;
  /** the override ends by itself at this instant */
  until: number;
}

export interface WateringInput {
  now: number;
  hasValve: boolean;
  /** median of the trusted probes, null when none is trusted */
  moisture: number | null;
  marks: { low: number; high: number };
  /** the run in progress (the valve is commanded on), null when off */
  run: { startedAt: number; byOverride: boolean } | null;
  /** the last run that has ended */
  lastRun: { endedAt: number; endReason: string } | null;
  override: Override | null;
  raining: boolean;
  /** an unresolved valve-stuck: not retried automatically */
  valveBlocked: boolean;
}

export interface WateringContext {
  rules: WateringRules;
  calendar: WasteCalendar;
}

export interface WateringDecision {
  on: boolean;
  reason: WateringReason;
  mode: WateringMode;
}

const MIN = 60_000;

/** The override in force at `now`: one at or past its end is no override at all. */
export function activeOverride(o: Override | null, now: number): Override | null {
  return o && now < o.until ? o : null;
}

export function decideWatering(i: WateringInput, ctx: WateringContext): WateringDecision {
  const { rules } = ctx;
  const auto = (on: boolean, reason: WateringReason): WateringDecision => ({ on, reason, mode: 'auto' });
  if (!i.hasValve) return auto(false, 'no-valve');
  const maxRunReached = i.run !== null && i.now - i.run.startedAt >= rules.maxRunMinutes * MIN;

  const ov = activeOverride(i.override, i.now);
  if (ov?.state === 'off') return { on: false, reason: 'override', mode: 'override-off' };
  if (ov?.state === 'on') {
    const on = (yes: boolean, reason: WateringReason): WateringDecision => ({ on: yes, reason, mode: 'override-on' });
    if (i.run) return maxRunReached ? on(false, 'max-run') : on(true, 'override');
    // This override's run was already cut at max-run: no second run until the override ends.
    if (i.lastRun && i.lastRun.endedAt >= ov.setAt && i.lastRun.endReason === 'max-run') return on(false, 'max-run');
    return on(true, 'override');
  }

  if (i.valveBlocked) return auto(false, 'valve-stuck');
  if (i.moisture === null) return auto(false, 'no-trusted-probe');
  const quiet = quietTimeAt(rules.quietTimes, i.now, ctx.calendar) !== undefined;

  if (i.run) {
    // An override's run does not outlive the override.
    if (i.run.byOverride) return auto(false, 'override');
    if (maxRunReached) return auto(false, 'max-run');
    if (i.moisture >= i.marks.high) return auto(false, 'high-reached');
    if (i.raining) return auto(false, 'raining');
    if (quiet) return auto(false, 'quiet-time');
    return auto(true, 'dry');
  }

  if (i.moisture >= i.marks.low) return auto(false, 'ok');
  if (i.raining) return auto(false, 'raining');
  if (quiet) return auto(false, 'quiet-time');
  // A clock that went back puts the last end in the future: that waits too, which is the safe side.
  if (i.lastRun && i.now - i.lastRun.endedAt < rules.minIntervalMinutes * MIN) return auto(false, 'min-interval');
  return auto(true, 'dry');
}
