/**
 * A valve that is commanded on but does not water: the bed's moisture has not risen by
 * `stuckRisePercent` after `stuckAfterMinutes` of the run. Such a valve is commanded off and not
 * retried automatically until the bed gets wetter by `stuckRisePercent` over its moisture when the
 * valve was found stuck (fixed by hand and watered, rain, or a staff override that tests it).
 */
export type StuckVerdict = 'watching' | 'rose' | 'stuck' | 'unknown';

export function stuckCheck(o: {
  runStartedAt: number;
  /** the bed's moisture when the run started */
  moistureBefore: number | null;
  moisture: number | null;
  now: number;
  stuckAfterMs: number;
  risePercent: number;
}): StuckVerdict {
  // Without a trusted moisture at both ends nothing can be said; max-run still bounds the run.
  if (o.moistureBefore === null || o.moisture === null) return 'unknown';
  if (o.moisture - o.moistureBefore >= o.risePercent) return 'rose';
  return o.now - o.runStartedAt >= o.stuckAfterMs ? 'stuck' : 'watching';
}

export function stuckRecovered(o: { moistureWhenStuck: number | null; moisture: number | null; risePercent: number }): boolean {
  if (o.moisture === null) return false;
  // Found stuck while no probe was trusted: any trusted reading after that is the first evidence.
  if (o.moistureWhenStuck === null) return false;
  return o.moisture - o.moistureWhenStuck >= o.risePercent;
}
