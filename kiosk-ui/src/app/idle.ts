/**
 * Idle time, as a pure state machine (the hook in useIdle.ts drives it with the clock):
 * - active: someone is using the kiosk;
 * - prompt: untouched for `idleMs` off the home screen: "Still there?" for `promptMs`;
 * - rest: the kiosk was reset to its home screen and rests (attract or night screen) until touched.
 * On the home screen nothing has been typed, so it goes to rest without asking.
 */
export type IdlePhase = 'active' | 'prompt' | 'rest';

export interface IdleState {
  phase: IdlePhase;
  /** when this phase began (epoch ms) */
  since: number;
}

export interface IdleTiming {
  idleMs: number;
  promptMs: number;
}

export interface IdleStep {
  state: IdleState;
  /** the kiosk must be reset now: home, Chinese, normal text, every form cleared */
  reset: boolean;
}

export function idleTick(s: IdleState, now: number, lastActivity: number, t: IdleTiming, onHome: boolean): IdleStep {
  if (s.phase === 'active' && now - Math.max(lastActivity, s.since) >= t.idleMs) {
    return onHome ? { state: { phase: 'rest', since: now }, reset: true } : { state: { phase: 'prompt', since: now }, reset: false };
  }
  if (s.phase === 'prompt' && now - s.since >= t.promptMs) return { state: { phase: 'rest', since: now }, reset: true };
  return { state: s, reset: false };
}

/** "Continue" on the prompt, or the touch that wakes a resting kiosk: back to active. */
export function idleResume(now: number): IdleState {
  return { phase: 'active', since: now };
}

/** When the prompt times out (for its countdown). */
export function promptEndsAt(s: IdleState, t: IdleTiming): number | null {
  return s.phase === 'prompt' ? s.since + t.promptMs : null;
}
