import { parseActuatorSet } from '../../src/contract/parse.js';
import type { ActuatorSetPayload } from '../../src/contract/payloads.js';
import { parseSiteTopic, siteTopics } from '../../src/contract/topics.js';
import type { LinkConfig } from '../../src/config/links-schema.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createCounters, type Counters } from '../../src/core/counters.js';
import { childLogger, type Logger } from '../../src/core/log.js';
import { createThrottledWarn } from '../../src/core/throttled-log.js';
import { connectMqtt, type MqttConnection } from '../../src/mqtt/connection.js';
import { CommandFailed, type Link, type SwitchState } from './link.js';

/**
 * The bridge process's heart: one link on one side, the broker on the other (DESIGN.md: the bridge
 * never touches the database). Samples become `sensor/<id>/raw`; the node's presence becomes the
 * retained `device/<id>/status` (with a last will for the bridge itself); `actuator/<id>/set` is
 * carried to the link and every outcome, failures included, comes back on `actuator/<id>/state`.
 */
export type ActuatorKind = SiteConfig['actuators'][number]['kind'];

export interface BridgeSpec {
  siteId: string;
  link: LinkConfig;
  /** The actuators this link drives, by kind: a lid's open/closed is its relay's on/off. */
  actuators: Record<string, ActuatorKind>;
  mqtt: { url: string; clientId: string; username?: string; password?: string };
  /** Publish `bridge/<link>/heartbeat` this often for the supervisor (0: not supervised). */
  heartbeatSeconds: number;
}

export interface RunningBridge {
  counters: Counters;
  /** Resolves with the exit code the process should end with: 0 after stop(), 3 after a fatal link error. */
  done: Promise<number>;
  stop(): Promise<void>;
}


const toSwitch = (kind: ActuatorKind, state: ActuatorSetPayload['state']): SwitchState | undefined => {
  if (kind === 'lid') return state === 'open' ? 'on' : state === 'closed' ? 'off' : undefined;
  return state === 'on' || state === 'off' ? state : undefined;
};
const fromSwitch = (kind: ActuatorKind, s: SwitchState) => (kind === 'lid' ? (s === 'on' ? 'open' : 'closed') : s);

export async function runBridge(spec: BridgeSpec, link: Link, o: { log: Logger; now?: () => number }): Promise<RunningBridge> {
  const now = o.now ?? Date.now;
  const log = childLogger(o.log, `bridge:${spec.link.id}`);
  const warn = createThrottledWarn(log, { now });
  const counters = createCounters();
  const topics = siteTopics(spec.siteId);
  const device = spec.link.device;
  const known = new Map<string, string>();
  let nodeOnline = false;
  let finished = false;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const mqtt: MqttConnection = await connectMqtt({
    url: spec.mqtt.url,
    clientId: spec.mqtt.clientId,
    username: spec.mqtt.username,
    password: spec.mqtt.password,
    will: { topic: topics.deviceStatus(device), payload: 'offline', retain: true, qos: 1 },
    log,
    counters,
  });
  const publish = (topic: string, payload: string, opts: { qos: 0 | 1; retain?: boolean }) =>
    void mqtt.publish(topic, payload, opts).catch((err: unknown) => {
      counters.inc('bridge_publish_failed');
      warn('publish', { topic, err: (err as Error).message }, 'publish failed');
    });
  const publishState = (actuatorId: string, body: object) => publish(topics.actuatorState(actuatorId), JSON.stringify({ ...body, at: new Date(now()).toISOString() }), { qos: 1, retain: true });

  const onSet = (topic: string, payload: Buffer) => {
    const parsed = parseSiteTopic(spec.siteId, topic);
    const kind = parsed?.kind === 'actuatorSet' ? spec.actuators[parsed.actuatorId] : undefined;
    if (parsed?.kind !== 'actuatorSet' || kind === undefined) return;
    const command = parseActuatorSet(payload);
    if (!command.ok) {
      counters.inc('bridge_commands', 'bad-command');
      return warn('bad-command', { topic, reason: command.reason, detail: command.detail }, 'actuator command rejected');
    }
    const body = command.value;
    const actuatorId = parsed.actuatorId;
    const wanted = toSwitch(kind, body.state);
    const failed = (reason: string) => {
      counters.inc('bridge_commands', `failed:${reason}`);
      warn(`failed:${reason}`, { actuatorId, requested: body.state, reason }, 'actuator command failed');
      publishState(actuatorId, { state: known.get(actuatorId) ?? 'unknown', failed: { requested: body.state, reason } });
    };
    if (wanted === undefined) return failed('bad-state');
    link.command(actuatorId, wanted).then(
      () => counters.inc('bridge_commands', 'ok'),
      (err: unknown) => failed(err instanceof CommandFailed ? err.reason : 'error'),
    );
  };

  await link.start({
    sample(s) {
      counters.inc('bridge_samples');
      publish(topics.sensorRaw(s.sensorId), JSON.stringify(s.seq === undefined ? { value: s.raw, at: s.at } : { value: s.raw, at: s.at, seq: s.seq }), { qos: 0 });
    },
    nodeStatus(status, reason) {
      nodeOnline = status === 'online';
      log.info({ device, status, reason }, 'node status');
      publish(topics.deviceStatus(device), status, { qos: 1, retain: true });
    },
    actuatorState(actuatorId, state) {
      const kind = spec.actuators[actuatorId];
      if (kind === undefined) return;
      const reported = fromSwitch(kind, state);
      known.set(actuatorId, reported);
      publishState(actuatorId, { state: reported });
    },
    rejected(reason, detail) {
      counters.inc('bridge_rejected', reason);
      warn(reason, { reason, detail: detail.slice(0, 200) }, 'bad input from the node side');
    },
    fatal(err) {
      if (finished) return;
      log.error({ err: err.message }, 'link lost for good; exiting so the supervisor starts a fresh bridge');
      void stop().then(() => finish(3));
    },
  });
  await Promise.all(Object.keys(spec.actuators).map((id) => mqtt.subscribe(topics.actuatorSet(id), onSet, 1)));

  const started = now();
  const heartbeat =
    spec.heartbeatSeconds > 0
      ? setInterval(() => {
          const snapshot = counters.snapshot();
          publish(
            topics.bridgeHeartbeat(spec.link.id),
            JSON.stringify({ link: spec.link.id, device, node: nodeOnline ? 'online' : 'offline', uptimeSeconds: Math.round((now() - started) / 1000), counters: snapshot }),
            { qos: 0 },
          );
        }, spec.heartbeatSeconds * 1000)
      : undefined;
  log.info({ link: spec.link.id, kind: spec.link.kind, path: spec.link.path, device }, 'bridge running');

  async function stop() {
    if (finished) return;
    finished = true;
    if (heartbeat) clearInterval(heartbeat);
    await link.stop().catch((err: unknown) => log.warn({ err }, 'link stop failed'));
    // A clean disconnect suppresses the will: say offline ourselves.
    await mqtt.publish(topics.deviceStatus(device), 'offline', { qos: 1, retain: true }).catch(() => undefined);
    await mqtt.close().catch(() => undefined);
  }

  return {
    counters,
    done,
    async stop() {
      await stop();
      finish(0);
    },
  };
}
