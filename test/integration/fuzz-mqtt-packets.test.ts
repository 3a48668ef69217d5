import { hash } from '@node-rs/argon2';
import mqtt from 'mqtt';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { MQTT_CLIENT_ERRORS, MQTT_CONNECTIONS_REFUSED } from '../../src/mqtt/broker.js';
import { MAX_PACKET_BYTES } from '../../src/mqtt/packet-size-guard.js';
import { demoConfigWith, memoryLogger, tempDir, testConfig, waitFor } from '../helpers/app.js';

/**
 * Malformed MQTT at the embedded broker, over raw TCP, through our authentication and ACL hooks:
 * random bytes, truncated CONNECTs, bad and huge remaining lengths, wrong protocol names and levels,
 * wrong credentials, packets before CONNECT, and, once connected, malformed packets, bad topics
 * (wildcards, bad UTF-8, other sites), a second CONNECT and denied subscriptions. Valid clients are
 * interleaved. The broker and the service must stay up, memory must stay flat, and every bad
 * connection must be counted exactly once: under `mqtt_connections_refused` when it never completed
 * CONNECT, `mqtt_client_errors` when it had, `mqtt_subscribe_denied` for a refused subscription.
 *
 * Seeded (TONGXIN_FUZZ_SEED) so a failure reproduces; 10,000 connections, ×20 with TONGXIN_LONG=1.
 */
const LONG = process.env.TONGXIN_LONG === '1';
const CASES = 10_000 * (LONG ? 20 : 1);
const SEED = Number(process.env.TONGXIN_FUZZ_SEED ?? 0x6d717474) >>> 0;
const CONCURRENCY = 48;

/** A full garbage collection, so that heap figures are what is retained, not what awaits collection. */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};
const SITE = 'xianxia-demo';
const DEVICE = { username: 'garden', password: 'garden-secret-1' };

let app: RunningApp;
let anonPort: number;
let securedPort: number;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const { dir, remove } = tempDir();
  const passwordHash = await hash(DEVICE.password);
  const base = await demoConfigWith((doc) => {
    doc.mqtt.embedded.listeners.push({ host: '127.0.0.1', port: 0 }); // credentials required
    doc.mqtt.users = [{ username: DEVICE.username, passwordHash, role: 'device', device: 'garden-node' }];
    doc.http.publicRateLimitPerMinute = 1_000_000;
  });
  // Warnings only: ten thousand debug lines about client errors would cost more than the fuzz.
  app = await startApp({ config: testConfig(dir, {}, base), log: memoryLogger('warn').log, ntpMarker: join(dir, 'no-ntp-marker') });
  anonPort = app.brokerListeners.find((l) => !l.websocket && l.anonymousLocal)!.port;
  securedPort = app.brokerListeners.find((l) => !l.websocket && !l.anonymousLocal)!.port;
  cleanup = async () => {
    await app.stop();
    remove();
  };
});
afterAll(async () => cleanup?.());

/* ---------- MQTT 3.1.1 encoding, by hand, so that every field can be wrong ---------- */

function varint(n: number): Buffer {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const str = (s: string | Buffer) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([u16(b.length), b]);
};
const packet = (first: number, body: Buffer) => Buffer.concat([Buffer.from([first]), varint(body.length), body]);

interface ConnectFields {
  name?: string | Buffer;
  level?: number;
  flags?: number;
  keepalive?: number;
  clientId?: string | Buffer;
  username?: string | Buffer;
  password?: string | Buffer;
}
function connectBody(f: ConnectFields): Buffer {
  let flags = f.flags ?? 0x02; // clean session
  if (f.username !== undefined) flags |= 0x80;
  if (f.password !== undefined) flags |= 0x40;
  const parts = [str(f.name ?? 'MQTT'), Buffer.from([f.level ?? 4, flags]), u16(f.keepalive ?? 30), str(f.clientId ?? 'fuzz')];
  if (f.username !== undefined) parts.push(str(f.username));
  if (f.password !== undefined) parts.push(str(f.password));
  return Buffer.concat(parts);
}
const connectPacket = (f: ConnectFields) => packet(0x10, connectBody(f));
const publishPacket = (topic: string | Buffer, payload: string | Buffer, qos = 0) =>
  packet(0x30 | (qos << 1), Buffer.concat([str(topic), qos > 0 ? u16(1) : Buffer.alloc(0), Buffer.from(payload)]));
const subscribePacket = (filter: string, flags = 0x02) => packet(0x80 | flags, Buffer.concat([u16(1), str(filter), Buffer.from([1])]));
const DISCONNECT = Buffer.from([0xe0, 0x00]);

/* ---------- a seeded generator of cases ---------- */

function rng(seed: number) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T, chance: (p: number) => next() < p, bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))) };
}
type Rng = ReturnType<typeof rng>;

/** What the broker must make of a case: which counter counts it, or a valid client that must work. */
type Expect = 'refused' | 'client-error' | 'subscribe-denied' | 'valid';
interface Case {
  name: string;
  port: 'anon' | 'secured';
  /** Sent at once, before CONNACK (or instead of a CONNECT). */
  first: Buffer;
  /** Sent after the CONNACK, when `first` was a valid CONNECT. */
  then?: Buffer;
  /** For a client that leaves cleanly: the bytes of the broker's answer to `then` to wait for before DISCONNECT. */
  answer?: number;
  expect: Expect;
}

const BAD_UTF8 = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0x28]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80])];
const badUtf8 = (r: Rng, prefix: string) => Buffer.concat([Buffer.from(prefix), r.pick(BAD_UTF8), Buffer.from('/x')]);
const anonConnect = (r: Rng) => connectPacket({ clientId: `fz${r.int(1e9)}` });

function makeCase(r: Rng, i: number): Case {
  // Every 25th connection is a real client: it connects, publishes a reading, and leaves cleanly.
  if (i % 25 === 0) {
    return { name: 'valid reading', port: 'anon', first: anonConnect(r), then: publishPacket(`tongxin/${SITE}/sensor/soil-herbs-a/raw`, String(300 + r.int(200)), 1), answer: 4, expect: 'valid' };
  }
  switch (r.int(17)) {
    case 0: {
      const n = 1 + r.int(200);
      return { name: `${n} random bytes`, port: r.pick(['anon', 'secured'] as const), first: r.bytes(n), expect: 'refused' };
    }
    case 1: {
      const full = connectPacket({ clientId: `trunc${i}`, username: DEVICE.username, password: DEVICE.password });
      return { name: 'truncated CONNECT', port: 'secured', first: full.subarray(0, 1 + r.int(full.length - 1)), expect: 'refused' };
    }
    case 2: {
      // Remaining length: five bytes (a malformed variable byte integer), or not the body's length.
      const body = connectBody({ clientId: `len${i}` });
      const variant = r.int(3);
      const first =
        variant === 0
          ? Buffer.concat([Buffer.from([0x10, 0xff, 0xff, 0xff, 0xff, 0x7f]), body])
          : variant === 1
            ? Buffer.concat([Buffer.from([0x10]), varint(body.length - 1 - r.int(body.length - 1)), body])
            : Buffer.concat([Buffer.from([0x10]), varint(body.length + 1 + r.int(1000)), body]);
      return { name: `bad remaining length (${['five bytes', 'too short', 'too long'][variant]})`, port: 'anon', first, expect: 'refused' };
    }
    case 3:
      return { name: 'wrong protocol level', port: r.pick(['anon', 'secured'] as const), first: connectPacket({ level: r.pick([0, 1, 2, 5, 6, 7, 100, 255]), clientId: `lvl${i}` }), expect: 'refused' };
    case 4:
      return { name: 'wrong protocol name', port: 'anon', first: connectPacket({ name: r.pick(['MQTX', 'mqtt', '', 'MQIsdpX', 'HTTP/1.1', 'MQT']), clientId: `name${i}` }), expect: 'refused' };
    case 5:
      return { name: 'reserved CONNECT flag set', port: 'anon', first: connectPacket({ flags: 0x03, clientId: `flag${i}` }), expect: 'refused' };
    case 6: {
      // A header announcing far more than MAX_PACKET_BYTES, then part of it: dropped by the size guard.
      const announced = MAX_PACKET_BYTES + 1 + r.int(268_435_455 - MAX_PACKET_BYTES);
      const first = Buffer.concat([Buffer.from([r.pick([0x10, 0x30, 0x82])]), varint(announced), r.bytes(r.int(4096))]);
      return { name: 'huge remaining length before CONNECT', port: r.pick(['anon', 'secured'] as const), first, expect: 'refused' };
    }
    case 7: {
      // Wrong credentials; an existing user with a wrong password only now and then (argon2 costs ~25 ms).
      const known = r.chance(0.05);
      const username = known ? DEVICE.username : r.chance(0.2) ? badUtf8(r, 'u') : `nobody${r.int(1e6)}`;
      return { name: known ? 'wrong password' : 'unknown user', port: 'secured', first: connectPacket({ clientId: `cred${i}`, username, password: `pw${r.int(1e6)}` }), expect: 'refused' };
    }
    case 8:
      return { name: 'anonymous on the secured listener', port: 'secured', first: connectPacket({ clientId: `anon${i}` }), expect: 'refused' };
    case 9: {
      const before = r.pick([publishPacket(`tongxin/${SITE}/sensor/soil-herbs-a/raw`, '400'), subscribePacket('#'), Buffer.from([0xc0, 0x00]), DISCONNECT, Buffer.from([0x20, 0x02, 0x00, 0x00])]);
      return { name: 'packet before CONNECT', port: r.pick(['anon', 'secured'] as const), first: before, expect: 'refused' };
    }
    case 10:
      // On the anonymous listener, where the same CONNECT with a well-formed id is accepted.
      return { name: 'ill-formed UTF-8 or U+0000 in the client id', port: 'anon', first: connectPacket({ clientId: r.chance(0.8) ? badUtf8(r, 'c') : Buffer.from('c\u0000x') }), expect: 'refused' };
    case 11: {
      // Connected, then a malformed packet: reserved type 0, QoS 3, SUBSCRIBE with wrong flags, AUTH in 3.1.1.
      const bad = r.pick([Buffer.from([0x00, 0x00]), Buffer.from([0x36, 0x03, 0x00, 0x01, 0x61]), subscribePacket('a/b', 0x00), Buffer.from([0xf0, 0x00]), Buffer.concat([Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])])]);
      return { name: 'malformed packet after CONNECT', port: 'anon', first: anonConnect(r), then: bad, expect: 'client-error' };
    }
    case 12: {
      const topic = r.pick([`tongxin/${SITE}/sensor/#`, `tongxin/${SITE}/+/x/raw`, '', '#']);
      return { name: 'PUBLISH to a wildcard or empty topic', port: 'anon', first: anonConnect(r), then: publishPacket(topic, '1', r.int(2)), expect: 'client-error' };
    }
    case 13: {
      // Bad UTF-8 (decoded as U+FFFD), another site, an actuator command, retained state: all denied.
      const topic = r.pick<string | Buffer>([badUtf8(r, `tongxin/${SITE}/sensor/`), `tongxin/other-site/sensor/soil-herbs-a/raw`, `tongxin/${SITE}/actuator/lid-p1-wet/set`, `tongxin/${SITE}/crew/crew-wet-dry/ack`, `$SYS/x`]);
      return { name: 'PUBLISH where it may not', port: 'anon', first: anonConnect(r), then: publishPacket(topic, '{"state":"open"}', r.int(2)), expect: 'client-error' };
    }
    case 14:
      return { name: 'second CONNECT', port: 'anon', first: anonConnect(r), then: anonConnect(r), expect: 'client-error' };
    case 15: {
      const announced = MAX_PACKET_BYTES + 1 + r.int(10_000_000);
      return { name: 'huge remaining length after CONNECT', port: 'anon', first: anonConnect(r), then: Buffer.concat([Buffer.from([0x30]), varint(announced), r.bytes(r.int(2048))]), expect: 'client-error' };
    }
    default:
      // Subscribing to another site or to private data: a SUBACK failure, and the client stays.
      return { name: 'denied SUBSCRIBE', port: 'anon', first: anonConnect(r), then: subscribePacket(r.pick(['tongxin/other-site/#', `tongxin/${SITE}/private/#`, '$SYS/#', '#'])), answer: 5, expect: 'subscribe-denied' };
  }
}

/* ---------- running one case over a raw socket ---------- */

const CONNACK_OK = Buffer.from([0x20, 0x02, 0x00, 0x00]);

/** Sends the case and waits until the broker has closed the connection (or, for a clean case, we have). */
function run(c: Case): Promise<void> {
  return new Promise((resolve, reject) => {
    const s: Socket = connect(c.port === 'anon' ? anonPort : securedPort, '127.0.0.1');
    let received = Buffer.alloc(0);
    let sentThen = false;
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`${c.name}: the connection was still open after 5 s`));
    }, 5000);
    s.on('error', () => undefined); // a reset by the broker is an expected ending
    s.on('close', () => {
      clearTimeout(timer);
      if (c.then && !sentThen) return reject(new Error(`${c.name}: no CONNACK for a valid CONNECT (got ${received.toString('hex')})`));
      resolve();
    });
    s.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (c.then && !sentThen && received.length >= 4) {
        if (!received.subarray(0, 4).equals(CONNACK_OK)) return reject(new Error(`${c.name}: CONNACK ${received.toString('hex')}`));
        sentThen = true;
        s.write(c.then);
        // A bad packet: the broker drops us. A good one: wait for its answer, then leave cleanly.
        if (c.answer === undefined) s.end();
      }
      if (c.answer !== undefined && sentThen && received.length >= 4 + c.answer && s.writable) {
        s.write(DISCONNECT);
        s.end();
      }
    });
    s.on('connect', () => {
      s.write(c.first);
      // Without a follow-up, half-close at once: the broker reads what was sent, then sees the end.
      if (!c.then) s.end();
    });
  });
}

describe('malformed MQTT packets at the embedded broker', () => {
  it(`${CASES} connections: every bad one counted once, the broker and the service unharmed`, { timeout: LONG ? 900_000 : 60_000 }, async () => {
    const r = rng(SEED);
    const cases = Array.from({ length: CASES }, (_, i) => makeCase(r, i));
    const expected = { refused: 0, 'client-error': 0, 'subscribe-denied': 0, valid: 0 };
    for (const c of cases) expected[c.expect]++;
    const byName = new Map<string, number>();
    for (const c of cases) byName.set(c.name, (byName.get(c.name) ?? 0) + 1);

    const counters = app.counters;
    const before = {
      refused: counters.total(MQTT_CONNECTIONS_REFUSED),
      clientErrors: counters.total(MQTT_CLIENT_ERRORS),
      subscribeDenied: counters.total('mqtt_subscribe_denied'),
      accepted: counters.total('readings_accepted'),
      clients: (await health()).checks.broker.clients,
    };
    const heapBefore = retainedHeap();
    const rssBefore = process.memoryUsage().rss;
    const t0 = Date.now();

    let next = 0;
    const worker = async () => {
      while (next < cases.length) await run(cases[next++]!);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - t0) / 1000;

    // Counted when each connection closes on the broker's side, a moment after ours.
    const delta = () => ({
      refused: counters.total(MQTT_CONNECTIONS_REFUSED) - before.refused,
      'client-error': counters.total(MQTT_CLIENT_ERRORS) - before.clientErrors,
      'subscribe-denied': counters.total('mqtt_subscribe_denied') - before.subscribeDenied,
      valid: counters.total('readings_accepted') - before.accepted,
    });
    await waitFor('every connection accounted for', () => JSON.stringify(delta()) === JSON.stringify(expected), 10_000).catch(() => undefined);
    const snapshot = counters.snapshot();
    const counted = delta();
    expect(counted, `counted ${JSON.stringify(delta())}, sent ${JSON.stringify(expected)}; by kind: ${JSON.stringify({ refused: snapshot[MQTT_CONNECTIONS_REFUSED]?.by, clientErrors: snapshot[MQTT_CLIENT_ERRORS]?.by })}`).toEqual(expected);
    // Nothing counted as "other": each way of being dropped has a name.
    expect(snapshot[MQTT_CONNECTIONS_REFUSED]?.by.other ?? 0).toBe(0);
    expect(snapshot[MQTT_CLIENT_ERRORS]?.by.other ?? 0).toBe(0);
    // The size guard, not the parser's buffer, dropped the huge packets.
    expect(snapshot[MQTT_CONNECTIONS_REFUSED]?.by['too-large'] ?? 0).toBeGreaterThan(0);
    expect(snapshot[MQTT_CLIENT_ERRORS]?.by['too-large'] ?? 0).toBeGreaterThan(0);

    // Alive: no client left behind, /healthz ok, and a normal client with a password still works.
    await waitFor('fuzz clients gone', async () => (await health()).checks.broker.clients === before.clients, 5000);
    const h = await health();
    expect(h.status).toBe('ok');
    const device = await mqtt.connectAsync(`mqtt://127.0.0.1:${securedPort}`, { username: DEVICE.username, password: DEVICE.password, reconnectPeriod: 0, connectTimeout: 3000 });
    const acceptedBefore = counters.total('readings_accepted');
    await device.publishAsync(`tongxin/${SITE}/sensor/soil-herbs-b/raw`, '405', { qos: 1 });
    await device.endAsync();
    await waitFor('a reading after the fuzz', () => counters.total('readings_accepted') === acceptedBefore + 1, 5000);

    // Memory: nothing retained per connection (10,000 connections leaking 1 kB each would be 10 MB).
    const heapGrowthMb = (retainedHeap() - heapBefore) / 1e6;
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    expect(heapGrowthMb, 'retained heap growth (MB)').toBeLessThan(8);
    expect(rssGrowthMb, 'RSS growth (MB)').toBeLessThan(200);
    console.log(
      `${CASES} MQTT connections in ${seconds.toFixed(1)} s (${Math.round(CASES / seconds)}/s); counted ${JSON.stringify(counted)}; ` +
        `refused by kind ${JSON.stringify(snapshot[MQTT_CONNECTIONS_REFUSED]?.by)}; client errors by kind ${JSON.stringify(snapshot[MQTT_CLIENT_ERRORS]?.by)}; ` +
        `retained heap ${heapGrowthMb.toFixed(1)} MB, RSS ${rssGrowthMb.toFixed(1)} MB growth`,
    );
  });
});

async function health(): Promise<{ status: string; checks: { broker: { clients: number } } }> {
  return (await fetch(`${app.httpUrl}/healthz`)).json() as Promise<{ status: string; checks: { broker: { clients: number } } }>;
}
