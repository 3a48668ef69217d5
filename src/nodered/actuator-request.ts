import type { SiteConfig } from '../config/schema.js';

/**
 * What the service does with Node-RED's `request/actuator/<id>`: a pure function of the request, the
 * site file and what holds the garden back now. Node-RED never commands an actuator itself (the ACL
 * refuses it `actuator/+/set`); it asks, and the service applies its own safety rules:
 * - a garden valve becomes a garden override (`on`/`off` for some minutes, capped by the garden at
 *   overrideMaxMinutes, or `auto`), as a staff override would; but `on` is refused while it rains,
 *   in a quiet time or when the valve is stuck, the rules a person on site may set aside and a
 *   flow may not;
 * - a lid is refused: lids follow the waste schedule, nothing else;
 * - anything else (a relay, an unknown id) is refused.
 */
export type GardenHold = 'raining' | 'quiet-time' | 'valve-stuck';
export type ValveState = 'on' | 'off' | 'auto';
export const VALVE_STATES: readonly ValveState[] = ['on', 'off', 'auto'];

export type ActuatorPlan =
  | { action: 'override'; bedId: string; state: ValveState; minutes?: number }
  | { action: 'refuse'; reason: string; detail?: Record<string, unknown> };

export interface ActuatorRequestInput {
  actuatorId: string;
  state: string;
  minutes?: number | undefined;
}

export function planActuatorRequest(
  req: ActuatorRequestInput,
  config: Pick<SiteConfig, 'actuators' | 'garden'>,
  /** Asked only for a valve turned on: why the garden may not water this bed now, if anything. */
  holdFor: (bedId: string) => GardenHold | undefined,
): ActuatorPlan {
  const actuator = config.actuators.find((a) => a.id === req.actuatorId);
  if (!actuator) return { action: 'refuse', reason: 'unknown-actuator' };
  if (actuator.kind === 'lid') return { action: 'refuse', reason: 'lids-follow-the-schedule' };
  if (actuator.kind !== 'valve') return { action: 'refuse', reason: 'not-controllable', detail: { kind: actuator.kind } };
  const bed = config.garden.beds.find((b) => b.valve === actuator.id);
  if (!bed) return { action: 'refuse', reason: 'valve-not-in-a-bed' };
  if (!(VALVE_STATES as readonly string[]).includes(req.state)) return { action: 'refuse', reason: 'bad-state', detail: { allowed: VALVE_STATES } };
  const state = req.state as ValveState;
  if (state === 'on') {
    const hold = holdFor(bed.id);
    if (hold) return { action: 'refuse', reason: hold, detail: { bedId: bed.id } };
  }
  return { action: 'override', bedId: bed.id, state, ...(req.minutes !== undefined && state !== 'auto' ? { minutes: req.minutes } : {}) };
}
