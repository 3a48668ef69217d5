import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../core/log.js';
import { createThrottledWarn } from '../core/throttled-log.js';
import type { Db } from '../store/db.js';
import { encodeForwarded } from './envelope.js';
import { createUplinkQueue, type QueuedMessage, type UplinkQueue } from './queue.js';
import { createRateLimiter } from './rate.js';
import { createTopicPolicy } from './topic-policy.js';

/**
 * The uplink (DESIGN.md §Scale): a second MQTT client, from the site to a central broker (Mosquitto
 * here, an EMQX cluster in a town), fed by a local client that reads `tongxin/<site>/…` from the
 * site's broker (the embedded one or an external one the service does not own).
 *
 * Every message to forward is first a row in SQLite (queue.ts), then published with QoS 1 and
 * deleted on PUBACK. While the central broker is away the queue grows, within its bound; when it is
 * back the queue drains in order at a bounded rate. mqtt.js re-sends its own unacknowledged
 * publishes first after a reconnect, so the drain only moves forward; what was received centrally
 * but not acknowledged arrives twice, and the consumer drops it by its id (dedupe.ts).
 *
 * Counters: `uplink_queued`, `uplink_forwarded`, `uplink_dropped` by reason (queue-full,
 * superseded, too-large, refused, store-error), `uplink_filtered` by reason (private, excluded).
 */
export type UplinkConfig = NonNullable<SiteConfig['uplink']>;

export type UplinkStatus = {
  ok: boolean;
  /** Connected to the central broker. */
  connected: boolean;
  /** Connected to the site's broker, where the messages come from. */
  local: boolean;
  url: string;
  protocol: UplinkConfig['protocol'];
  /** Messages waiting to be acknowledged by the central broker. */
  depth: number;
  inflight: number;
  oldestQueuedAt: string | null;
};

export interface Uplink {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): UplinkStatus;
}

const TICK_MS = 100;
const FLUSH_AT = 1000;
/** PUBACK reason codes that mean "later", not "never": the message is sent again. */
const TRANSIENT_REFUSALS = new Set([0x96, 0x97]);

/** A URL with any user:password removed: it is shown on /healthz and in logs. */
export const redactUrl = (url: string) => url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1');

const hostPort = (url: string) => {
  try {
    const u = new URL(url);
    const host = u.hostname === 'localhost' || u.hostname === '[::1]' ? '127.0.0.1' : u.hostname;
    const port = u.port || { 'mqtt:': '1883', 'mqtts:': '8883', 'ws:': '80', 'wss:': '443' }[u.protocol] || '';
    return `${host}:${port}`;
  } catch {
    return url;
  }
};
const sameBroker = (a: string, b: string) => hostPort(a) === hostPort(b);

export function createUplink(o: {
  siteId: string;
  config: UplinkConfig;
  /** The site's broker and the credentials to read all of `tongxin/<site>/#` on it. */
  local: { url: string; username?: string | undefined; password?: string | undefined };
  db: Db;
  clock: Clock;
  log: Logger;
  counters: Counters;
}): Uplink {
  const { config: c, counters, log } = o;
  const policy = createTopicPolicy({ siteId: o.siteId, topics: c.topics, exclude: c.exclude, topicPrefix: c.topicPrefix });
  const warn = createThrottledWarn(log, { now: o.clock.now });
  const rate = createRateLimiter({ perSecond: c.drain.maxPerSecond, now: () => performance.now() });
  const url = redactUrl(c.url);
  const boot = randomBytes(6).toString('base64url');
  const queue: UplinkQueue = createUplinkQueue({ db: o.db, boot, maxMessages: c.queue.maxMessages });
  const inflight = new Set<number>();
  let cursor = 0;
  let local: MqttClient | undefined;
  let central: MqttClient | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pumpTimer: NodeJS.Timeout | undefined;
  let pumpScheduled = false;
  let stopping = false;
  let closed = false;

  const flush = () => {
    const r = queue.flush(cursor);
    if (r.queued) counters.inc('uplink_queued', undefined, r.queued);
    if (r.superseded) counters.inc('uplink_dropped', 'superseded', r.superseded);
    if (r.dropped) counters.inc('uplink_dropped', 'queue-full', r.dropped);
    if (r.failed) {
      counters.inc('uplink_dropped', 'store-error', r.failed);
      warn('store', { err: (r.error as Error)?.message, lost: r.failed }, 'uplink queue write failed; messages dropped');
    }
  };

  const onLocal = (topic: string, payload: Buffer, packet: IPublishPacket) => {
    if (stopping) return;
    const d = policy.decide(topic, packet.retain);
    if (!d.forward) {
      if (d.reason !== 'other-site') counters.inc('uplink_filtered', d.reason);
      return;
    }
    if (payload.length > c.queue.maxMessageBytes) {
      counters.inc('uplink_dropped', 'too-large');
      return;
    }
    queue.add({ topic, payload, retain: d.retain, class: d.class, queuedAt: o.clock.now() });
    if (queue.buffered() >= FLUSH_AT) flush();
  };

  const schedulePump = (delayMs = 0) => {
    if (closed) return;
    if (delayMs > 0) {
      pumpTimer ??= setTimeout(() => {
        pumpTimer = undefined;
        pump();
      }, delayMs);
      return;
    }
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  };

  const settled = (m: QueuedMessage) => (err?: Error & { code?: number }) => {
    inflight.delete(m.seq);
    if (closed || (err && stopping)) return;
    if (!err) {
      queue.ack(m.seq);
      counters.inc('uplink_forwarded');
    } else if (typeof err.code === 'number' && err.code >= 0x80 && !TRANSIENT_REFUSALS.has(err.code)) {
      // The central broker will never take it (not authorised, too large…): retrying would block nothing but waste the link.
      queue.ack(m.seq);
      counters.inc('uplink_dropped', 'refused');
      warn('refused', { topic: m.topic, reason: err.message }, 'central broker refused a forwarded message');
    } else {
      // Sent again from here when the link allows.
      cursor = Math.min(cursor, m.seq - 1);
      warn('retry', { reason: err.message }, 'forwarded message not acknowledged; will send again');
      schedulePump(1000);
      return;
    }
    schedulePump();
  };

  const send = (m: QueuedMessage) => {
    const client = central as MqttClient;
    inflight.add(m.seq);
    cursor = Math.max(cursor, m.seq);
    const enc = encodeForwarded(c.protocol, { id: m.id, queuedAt: m.queuedAt, payload: m.payload });
    client.publish(policy.centralTopic(m.topic), enc.payload, { qos: c.qos, retain: m.retain, ...(enc.properties ? { properties: enc.properties } : {}) }, settled(m));
  };

  function pump() {
    if (stopping || !central?.connected) return;
    const room = c.drain.inflight - inflight.size;
    if (room <= 0) return;
    // Every stored row is in flight (an idle link): nothing to read, and the tick runs every 100 ms.
    if (queue.depth() <= inflight.size) return;
    const rows = queue.next(cursor, room).filter((m) => !inflight.has(m.seq));
    if (rows.length === 0) return;
    const granted = rate.take(rows.length);
    for (const m of rows.slice(0, granted)) send(m);
    if (granted < rows.length) schedulePump(Math.max(rate.waitMs(), 5));
  }

  const connectCentral = () => {
    const options: IClientOptions = {
      clientId: c.clientId ?? `tongxin-uplink-${o.siteId}`,
      protocolVersion: c.protocol === 'mqtt5' ? 5 : 4,
      clean: true,
      keepalive: 30,
      reconnectPeriod: c.reconnectSeconds * 1000,
      connectTimeout: 10_000,
      will: { topic: policy.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(c.username !== undefined ? { username: c.username } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
      ...(c.caFile ? { ca: readFileSync(c.caFile) } : {}),
    };
    const client = mqtt.connect(c.url, options);
    let up = false;
    client.on('connect', () => {
      up = true;
      log.info({ url, depth: queue.depth() }, 'uplink connected to the central broker');
      client.publish(policy.statusTopic, 'online', { qos: 1, retain: true });
      schedulePump();
    });
    client.on('close', () => {
      if (up && !stopping) log.warn({ url, depth: queue.depth() }, 'uplink lost the central broker; queueing');
      up = false;
    });
    client.on('error', (err) => warn('central', { url, err: err.message }, 'uplink connection error'));
    return client;
  };

  return {
    async start() {
      // The site's own broker as the "central" one would forward every message back to where it came from, forever.
      if (sameBroker(c.url, o.local.url)) throw new Error('uplink.url is the site’s own broker');
      const l = await mqtt.connectAsync(o.local.url, {
        // Not the central client's id: on one broker the two would keep taking each other's session over.
        clientId: `tongxin-uplink-local-${o.siteId}`,
        clean: true,
        reconnectPeriod: 1000,
        connectTimeout: 10_000,
        ...(o.local.username !== undefined ? { username: o.local.username } : {}),
        ...(o.local.password !== undefined ? { password: o.local.password } : {}),
      });
      local = l;
      l.on('message', onLocal);
      l.on('error', (err) => warn('local', { err: err.message }, 'uplink local connection error'));
      try {
        const granted = await l.subscribeAsync(policy.subscriptions, { qos: 1 });
        if (granted.some((g) => g.qos === 128)) throw new Error(`the site's broker refused the uplink's subscriptions ${policy.subscriptions.join(', ')}`);
      } catch (err) {
        await l.endAsync(true);
        local = undefined;
        throw err;
      }
      central = connectCentral();
      timer = setInterval(() => {
        flush();
        pump();
      }, TICK_MS);
      timer.unref();
      log.info({ url, protocol: c.protocol, queued: queue.depth(), subscriptions: policy.subscriptions }, 'uplink started');
    },
    async stop() {
      if (closed) return;
      stopping = true;
      if (timer) clearInterval(timer);
      if (pumpTimer) clearTimeout(pumpTimer);
      await local?.endAsync(true);
      const cl = central;
      if (cl?.connected) {
        // A clean stop sends no last will: say so ourselves, briefly.
        await Promise.race([cl.publishAsync(policy.statusTopic, 'offline', { qos: 1, retain: true }).catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
      }
      await cl?.endAsync(true);
      // What arrived and what was acknowledged so far is kept; the rest is sent at the next start.
      flush();
      closed = true;
    },
    status() {
      const connected = central?.connected ?? false;
      const localUp = local?.connected ?? false;
      const oldest = queue.oldestQueuedAt();
      return {
        ok: connected && localUp,
        connected,
        local: localUp,
        url,
        protocol: c.protocol,
        depth: queue.depth() + queue.buffered(),
        inflight: inflight.size,
        oldestQueuedAt: oldest === undefined ? null : new Date(oldest).toISOString(),
      };
    },
  };
}
