import { existsSync } from 'node:fs';
import type { Clock } from './clock.js';

/**
 * A Raspberry Pi has no real-time clock: after a power cut it may boot at the last time
 * fake-hwclock saved, or in 1970. Until the time is trusted the waste schedule keeps lids in their
 * safe state and never calls a pickup missed (DESIGN.md §Time).
 *
 * The clock is trusted once NTP says it has synchronised, or once we see a wall time later than the
 * last one we stored (time has provably moved past what we knew), or when the site says its machine
 * keeps time itself (a board with an RTC, a laptop running the demo).
 */
export interface TrustInputs {
  now: number;
  lastStoredWallTime: number | undefined;
  ntpSynchronised: boolean;
  trustAtStart: boolean;
}

export function isClockTrusted(inputs: TrustInputs): boolean {
  if (inputs.trustAtStart || inputs.ntpSynchronised) return true;
  if (inputs.lastStoredWallTime === undefined) return false;
  return inputs.now > inputs.lastStoredWallTime;
}

/** systemd-timesyncd touches this file once it has synchronised the system clock. */
export const TIMESYNCD_MARKER = '/run/systemd/timesync/synchronized';

export interface ClockTrustStore {
  readWallTime(): number | undefined;
  writeWallTime(epochMs: number): void;
}

export interface ClockTrust {
  trusted(): boolean;
  /** Re-evaluates trust and, once trusted, records the wall time for the next start. */
  check(): boolean;
}

export function createClockTrust(opts: {
  clock: Clock;
  store: ClockTrustStore;
  trustAtStart: boolean;
  ntpMarker?: string;
  /** How often the wall time is written at most: callers may check every few seconds. */
  writeEveryMs?: number;
}): ClockTrust {
  const marker = opts.ntpMarker ?? TIMESYNCD_MARKER;
  const writeEveryMs = opts.writeEveryMs ?? 60_000;
  let lastWritten: number | undefined;
  // Read once: the stored time is what the previous run knew; we overwrite it as we go.
  const lastStored = opts.store.readWallTime();
  let trusted = false;
  const check = (): boolean => {
    if (!trusted) {
      trusted = isClockTrusted({
        now: opts.clock.now(),
        lastStoredWallTime: lastStored,
        ntpSynchronised: existsSync(marker),
        trustAtStart: opts.trustAtStart,
      });
    }
    // Never write an untrusted time: it could be 1970 and poison the next start's comparison.
    const now = opts.clock.now();
    if (trusted && (lastWritten === undefined || now - lastWritten >= writeEveryMs)) {
      opts.store.writeWallTime(now);
      lastWritten = now;
    }
    return trusted;
  };
  return { trusted: () => trusted, check };
}
