import { describe, expect, it } from 'vitest';
import { nextDeviceState, type DeviceState } from '../../../src/sensors/device-status.js';

const online = (lastSeen: number): DeviceState => ({ status: 'online', reason: 'seen', changedAt: 0, lastSeen });

describe('device status', () => {
  it('a reading brings an unknown or offline device online', () => {
    expect(nextDeviceState(undefined, { type: 'seen', at: 10 })).toMatchObject({ status: 'online', reason: 'seen', lastSeen: 10 });
    const offline: DeviceState = { status: 'offline', reason: 'reported', changedAt: 5, lastSeen: 1 };
    expect(nextDeviceState(offline, { type: 'seen', at: 10 })).toMatchObject({ status: 'online', changedAt: 10 });
  });

  it('the last will (reported offline) takes a device offline at once', () => {
    expect(nextDeviceState(online(100), { type: 'reported', status: 'offline', at: 150 })).toMatchObject({ status: 'offline', reason: 'reported', changedAt: 150, lastSeen: 100 });
  });

  it.each([
    { silentFor: 59_000, expected: 'online' },
    { silentFor: 60_000, expected: 'online' },
    { silentFor: 60_001, expected: 'offline' },
  ])('silent for $silentFor ms with a 60 s timeout → $expected', ({ silentFor, expected }) => {
    const next = nextDeviceState(online(1_000), { type: 'tick', now: 1_000 + silentFor, offlineAfterMs: 60_000 });
    expect(next?.status).toBe(expected);
    if (expected === 'offline') expect(next?.reason).toBe('silent');
  });

  it('a tick never changes a device we have not heard from', () => {
    expect(nextDeviceState(undefined, { type: 'tick', now: 1e9, offlineAfterMs: 1 })).toBeUndefined();
  });

  it('a repeated report keeps the time of the change', () => {
    const s: DeviceState = { status: 'online', reason: 'reported', changedAt: 5, lastSeen: 5 };
    expect(nextDeviceState(s, { type: 'reported', status: 'online', at: 50 })).toMatchObject({ changedAt: 5, lastSeen: 50 });
  });
});
