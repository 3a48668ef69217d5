import type { DeviceStatusValue } from '../contract/payloads.js';

/**
 * A device's status, decided from what it said (its retained status or its last will) and when we
 * last heard from it. Pure, so the transitions are table-tested.
 */
export interface DeviceState {
  status: DeviceStatusValue;
  reason: 'reported' | 'silent' | 'seen';
  changedAt: number;
  lastSeen: number | null;
}

export type DeviceInput =
  | { type: 'reported'; status: DeviceStatusValue; at: number }
  | { type: 'seen'; at: number }
  | { type: 'tick'; now: number; offlineAfterMs: number };

/** Returns the next state, or the same object when nothing changed. */
export function nextDeviceState(prev: DeviceState | undefined, input: DeviceInput): DeviceState | undefined {
  switch (input.type) {
    case 'reported':
      if (prev?.status === input.status) return { ...prev, reason: 'reported', lastSeen: input.status === 'online' ? input.at : prev.lastSeen };
      return { status: input.status, reason: 'reported', changedAt: input.at, lastSeen: input.status === 'online' ? input.at : (prev?.lastSeen ?? null) };
    case 'seen':
      // A reading is proof of life, even from a device whose last word was "offline".
      if (prev?.status === 'online') return { ...prev, lastSeen: input.at };
      return { status: 'online', reason: 'seen', changedAt: input.at, lastSeen: input.at };
    case 'tick':
      if (prev?.status !== 'online' || prev.lastSeen === null) return prev;
      if (input.now - prev.lastSeen <= input.offlineAfterMs) return prev;
      return { ...prev, status: 'offline', reason: 'silent', changedAt: input.now };
  }
}
