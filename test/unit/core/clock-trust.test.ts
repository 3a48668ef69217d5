import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/core/clock.js';
import { createClockTrust, isClockTrusted } from '../../../src/core/clock-trust.js';

const T = Date.UTC(2026, 10, 28, 4, 0);

describe('isClockTrusted', () => {
  it.each([
    { name: 'first boot, no NTP, nothing stored', now: T, last: undefined, ntp: false, rtc: false, expected: false },
    { name: 'booted at the fake-hwclock time, before what we stored', now: T - 60_000, last: T, ntp: false, rtc: false, expected: false },
    { name: 'booted in 1970', now: 0, last: T, ntp: false, rtc: false, expected: false },
    { name: 'time moved past what we stored', now: T + 1, last: T, ntp: false, rtc: false, expected: true },
    { name: 'NTP synchronised', now: 0, last: T, ntp: true, rtc: false, expected: true },
    { name: 'machine has a real-time clock', now: T, last: undefined, ntp: false, rtc: true, expected: true },
  ])('$name → $expected', ({ now, last, ntp, rtc, expected }) => {
    expect(isClockTrusted({ now, lastStoredWallTime: last, ntpSynchronised: ntp, trustAtStart: rtc })).toBe(expected);
  });
});

describe('createClockTrust', () => {
  const memoryStore = (initial?: number) => {
    let v = initial;
    return { readWallTime: () => v, writeWallTime: (ms: number) => void (v = ms), value: () => v };
  };
  const noMarker = join(mkdtempSync(join(tmpdir(), 'tx-ntp-')), 'absent');

  it('stays untrusted until the clock passes the stored time, and never stores an untrusted time', () => {
    const clock = createManualClock(T - 3_600_000); // booted an hour "in the past"
    const store = memoryStore(T);
    const trust = createClockTrust({ clock, store, trustAtStart: false, ntpMarker: noMarker });
    expect(trust.check()).toBe(false);
    expect(store.value()).toBe(T);
    clock.set(T + 5_000); // NTP stepped the clock forward
    expect(trust.check()).toBe(true);
    expect(store.value()).toBe(T + 5_000);
  });

  it('trusts at once when the NTP marker exists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tx-ntp-'));
    const marker = join(dir, 'synchronized');
    writeFileSync(marker, '');
    const trust = createClockTrust({ clock: createManualClock(0), store: memoryStore(T), trustAtStart: false, ntpMarker: marker });
    expect(trust.check()).toBe(true);
  });
});
