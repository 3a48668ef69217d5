import type { SiteConfig } from '../config/schema.js';
import { parseActuatorState, type ActuatorReportedState } from '../contract/parse.js';
import type { ActuatorSetPayload } from '../contract/payloads.js';
import { parseSiteTopic, type SiteTopics } from '../contract/topics.js';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../core/log.js';
import type { MqttConnection } from '../mqtt/connection.js';
import { valveNeedsCommand, type ValveState } from './valve-command.js';

/**
 * The garden's valves over `actuator/<id>/set` (QoS 1) and what they report on `…/state`. A command
 * is re-sent while the valve reports otherwise, and at once when its device comes back online (a
 * node that rebooted has forgotten it). Failed commands are counted and logged.
 */
export interface ValveRuntime {
  commanded: ValveState | undefined;
  sentAt?: number;
  reported?: ActuatorReportedState | undefined;
  force: boolean;
  failedCommands: number;
}

export function createValves(d: { config: SiteConfig; mqtt: MqttConnection; topics: SiteTopics; counters: Counters; log: Logger; resendMs: number }) {
  const { config, mqtt, topics, counters, log } = d;
  const device = new Map(config.actuators.filter((a) => a.kind === 'valve').map((a) => [a.id, a.device]));
  const valves = new Map<string, ValveRuntime>();
  const get = (id: string): ValveRuntime => {
    let v = valves.get(id);
    if (!v) valves.set(id, (v = { commanded: 'off', force: false, failedCommands: 0 }));
    return v;
  };

  return {
    valves: valves as ReadonlyMap<string, ValveRuntime>,
    /** After a restart with a run still open the valve's state is not known: command it at once. */
    unknownState(id: string) {
      get(id).commanded = undefined;
    },
    /** Sends a command when one is due; the promise settles when the broker has it (never rejects). */
    enforce(id: string, desired: ValveState, reason: string, now: number): Promise<void> {
      const v = get(id);
      if (!valveNeedsCommand({ desired, lastCommanded: v.commanded, lastSentAt: v.sentAt, reported: v.reported, force: v.force, now, resendMs: d.resendMs })) return Promise.resolve();
      if (v.commanded === desired && v.sentAt !== undefined && !v.force) counters.inc('valve_commands_resent');
      v.commanded = desired;
      v.sentAt = now;
      v.force = false;
      counters.inc('valve_commands', `${desired}:${reason}`);
      const body: ActuatorSetPayload = { state: desired, reason, at: new Date(now).toISOString() };
      return mqtt.publish(topics.actuatorSet(id), JSON.stringify(body), { qos: 1 }).catch((err: unknown) => log.warn({ err: (err as Error).message, valveId: id }, 'valve command not published'));
    },
    /** The valves of a device that came back online: told their state at the next enforce. */
    deviceOnline(deviceId: string): string[] {
      const ids = [...device].filter(([, dev]) => dev === deviceId).map(([id]) => id);
      for (const id of ids) get(id).force = true;
      return ids;
    },
    onState(topic: string, payload: Buffer) {
      const parsed = parseSiteTopic(config.site.id, topic);
      if (parsed?.kind !== 'actuatorState' || !device.has(parsed.actuatorId)) return;
      const r = parseActuatorState(payload);
      if (!r.ok) {
        counters.inc('valve_state_rejected', r.reason);
        log.warn({ valveId: parsed.actuatorId, reason: r.reason, detail: r.detail }, 'valve state rejected');
        return;
      }
      const v = get(parsed.actuatorId);
      v.reported = r.value.state;
      // Re-sent after resendMs like any disagreement; counted and logged so a valve whose node is
      // away shows in /healthz and the log, not only as a bed that stays dry.
      if (r.value.failed) {
        v.failedCommands++;
        counters.inc('valve_commands_failed', r.value.failed.reason);
        log.warn({ valveId: parsed.actuatorId, requested: r.value.failed.requested, reason: r.value.failed.reason, failures: v.failedCommands }, 'valve command failed');
      }
    },
  };
}
export type Valves = ReturnType<typeof createValves>;
