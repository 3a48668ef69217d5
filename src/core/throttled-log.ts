import type { Logger } from './log.js';

/**
 * A flood of bad messages must not become a flood of log lines on an SD card. Each key may log
 * `perWindow` lines per window; the rest are counted and the count is reported with the next line.
 * (Counting for metrics is the caller's job and is never throttled.)
 */
export function createThrottledWarn(log: Logger, opts: { perWindow?: number; windowMs?: number; now: () => number }) {
  const perWindow = opts.perWindow ?? 20;
  const windowMs = opts.windowMs ?? 60_000;
  const state = new Map<string, { windowStart: number; logged: number; suppressed: number }>();
  return (key: string, obj: Record<string, unknown>, msg: string): void => {
    const now = opts.now();
    let s = state.get(key);
    if (!s || now - s.windowStart >= windowMs) {
      const suppressed = s?.suppressed ?? 0;
      s = { windowStart: now, logged: 0, suppressed: 0 };
      state.set(key, s);
      if (suppressed > 0) obj = { ...obj, suppressedSinceLastLine: suppressed };
    }
    if (s.logged < perWindow) {
      s.logged++;
      log.warn(obj, msg);
    } else {
      s.suppressed++;
    }
  };
}
