import type { ActuatorReportedState } from '../contract/parse.js';

/**
 * When to (re)send a valve command, as lids do: when the wanted state changed, again every
 * `resendMs` while the valve reports otherwise (a lost command, a node that rebooted), at once when
 * forced (its device came back online). A state only assumed at start (no open run stored: the
 * valve was last told off) is not announced unless the valve itself reports otherwise, so a site
 * whose garden node is absent is not sent commands nobody reads.
 */
export type ValveState = 'on' | 'off';

export function valveNeedsCommand(o: {
  desired: ValveState;
  lastCommanded: ValveState | undefined;
  /** undefined: never sent since start (the state is assumed) */
  lastSentAt: number | undefined;
  reported: ActuatorReportedState | undefined;
  force: boolean;
  now: number;
  resendMs: number;
}): boolean {
  if (o.force || o.lastCommanded !== o.desired) return true;
  if (o.reported === o.desired) return false;
  if (o.lastSentAt === undefined) return o.reported !== undefined;
  return o.now - o.lastSentAt >= o.resendMs;
}
