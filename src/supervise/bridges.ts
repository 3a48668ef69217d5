import { join } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import type { SiteTopics } from '../contract/topics.js';
import { parseSiteTopic } from '../contract/topics.js';
import type { Counters } from '../core/counters.js';
import { childLogger, type Logger } from '../core/log.js';
import { createThrottledWarn } from '../core/throttled-log.js';
import { MAX_PAYLOAD_BYTES } from '../contract/payloads.js';
import { packageRoot } from '../core/paths.js';
import type { MqttConnection } from '../mqtt/connection.js';
import type { InternalCredential } from '../mqtt/auth.js';
import { SPEC_ENV, bridgeSpecFor } from '../../firmware-bridge/src/spec.js';
import type { Supervisor } from './supervisor.js';

/**
 * One firmware bridge process per configured link (DESIGN.md: johnny-five cannot reopen a board in
 * a running process, and a wedged serial driver must not stall the schedule). Each child gets its
 * spec and broker credentials in its environment, heart-beats over MQTT, and is restarted by the
 * supervisor when it exits or goes quiet.
 */
export const BRIDGE_HEARTBEAT_SECONDS = 5;
/** Several missed heartbeats, plus the time a Firmata board takes to say it is ready. */
const HEARTBEAT_TIMEOUT_MS = 30_000;

export const bridgeChildName = (linkId: string) => `bridge:${linkId}`;
export const HEARTBEATS_REJECTED = 'bridge_heartbeats_rejected';

export interface BridgeHeartbeat {
  node: 'online' | 'offline';
  at: number;
  counters: Record<string, { total: number; by: Record<string, number> }>;
}

export async function superviseBridges(o: {
  config: SiteConfig;
  supervisor: Supervisor;
  mqtt: MqttConnection;
  mqttUrl: string;
  topics: SiteTopics;
  /** Broker credentials for a link's bridge (minted per start for the embedded broker). */
  credentialsFor: (linkId: string) => Pick<InternalCredential, 'username' | 'password'> | undefined;
  now: () => number;
  log: Logger;
  counters?: Counters;
}): Promise<{ heartbeats: ReadonlyMap<string, BridgeHeartbeat>; stop(): Promise<void> }> {
  const log = childLogger(o.log, 'bridges');
  const warn = createThrottledWarn(log, { now: o.now });
  const heartbeats = new Map<string, BridgeHeartbeat>();
  const linkIds = new Set(o.config.links.map((l) => l.id));
  // A heartbeat keeps a bridge from being restarted, so only a well-formed one counts as one.
  const reject = (reason: string, topic: string) => {
    o.counters?.inc(HEARTBEATS_REJECTED, reason);
    warn(reason, { topic, reason }, 'bridge heartbeat rejected');
  };
  const onHeartbeat = (topic: string, payload: Buffer) => {
    const parsed = parseSiteTopic(o.config.site.id, topic);
    const linkId = parsed?.kind === 'bridgeHeartbeat' ? parsed.linkId : undefined;
    if (linkId === undefined || !linkIds.has(linkId)) return reject('unknown-link', topic);
    if (payload.length > MAX_PAYLOAD_BYTES) return reject('too-large', topic);
    let body: unknown;
    try {
      body = JSON.parse(payload.toString('utf8'));
    } catch {
      return reject('not-json', topic);
    }
    if (!isObject(body) || (body.node !== 'online' && body.node !== 'offline') || (body.counters !== undefined && !isObject(body.counters))) return reject('schema', topic);
    heartbeats.set(linkId, { node: body.node, at: o.now(), counters: (body.counters ?? {}) as BridgeHeartbeat['counters'] });
    o.supervisor.heartbeat(bridgeChildName(linkId));
  };
  if (linkIds.size > 0) await o.mqtt.subscribe(o.topics.bridgeHeartbeatAny, onHeartbeat, 0);

  const cli = join(packageRoot(), 'dist', 'src', 'cli.js');
  for (const link of o.config.links) {
    const cred = o.credentialsFor(link.id);
    const spec = bridgeSpecFor(
      o.config,
      link.id,
      { url: o.mqttUrl, clientId: cred?.username ?? `bridge-${link.id}`, ...(cred ? { username: cred.username, password: cred.password } : {}) },
      BRIDGE_HEARTBEAT_SECONDS,
    );
    o.supervisor.add({
      name: bridgeChildName(link.id),
      command: process.execPath,
      args: [cli, 'bridge', '--link', link.id],
      env: { [SPEC_ENV]: JSON.stringify(spec) },
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      backoff: { initialMs: 1000, maxMs: 30_000 },
    });
    log.info({ link: link.id, kind: link.kind, path: link.path }, 'bridge supervised');
  }
  return {
    heartbeats,
    async stop() {
      if (linkIds.size > 0) await o.mqtt.unsubscribe(o.topics.bridgeHeartbeatAny, onHeartbeat).catch(() => undefined);
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
