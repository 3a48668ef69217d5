import { describe, expect, it } from 'vitest';
import { idleResume, idleTick, promptEndsAt, type IdleState } from '../../../kiosk-ui/src/app/idle.js';

const T = { idleMs: 90_000, promptMs: 20_000 };
const active = (since = 0): IdleState => ({ phase: 'active', since });

describe('kiosk idle state machine', () => {
  it('stays active while touched within the idle time', () => {
    expect(idleTick(active(), 89_999, 0, T, false)).toEqual({ state: active(), reset: false });
    // A touch at 50 s starts the idle time again.
    expect(idleTick(active(), 139_999, 50_000, T, false).state.phase).toBe('active');
    expect(idleTick(active(), 140_000, 50_000, T, false).state).toEqual({ phase: 'prompt', since: 140_000 });
  });

  it('asks "Still there?" off the home screen, then resets when the prompt times out', () => {
    const prompt = idleTick(active(), 90_000, 0, T, false);
    expect(prompt).toEqual({ state: { phase: 'prompt', since: 90_000 }, reset: false });
    expect(promptEndsAt(prompt.state, T)).toBe(110_000);
    // Touches do not end the prompt by themselves (only a tap on it does, through idleResume).
    expect(idleTick(prompt.state, 109_999, 100_000, T, false)).toEqual({ state: prompt.state, reset: false });
    expect(idleTick(prompt.state, 110_000, 100_000, T, false)).toEqual({ state: { phase: 'rest', since: 110_000 }, reset: true });
  });

  it('rests without asking on the home screen, where nothing was typed', () => {
    expect(idleTick(active(), 90_000, 0, T, true)).toEqual({ state: { phase: 'rest', since: 90_000 }, reset: true });
  });

  it('rests until woken; waking starts the idle time afresh', () => {
    const rest: IdleState = { phase: 'rest', since: 90_000 };
    expect(idleTick(rest, 10_000_000, 0, T, true)).toEqual({ state: rest, reset: false });
    const woken = idleResume(500_000);
    expect(woken).toEqual({ phase: 'active', since: 500_000 });
    // The last touch was long ago, but the idle time counts from the wake.
    expect(idleTick(woken, 589_999, 0, T, false).state.phase).toBe('active');
    expect(idleTick(woken, 590_000, 0, T, false).state.phase).toBe('prompt');
    expect(promptEndsAt(woken, T)).toBeNull();
  });
});
