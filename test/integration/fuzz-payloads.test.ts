import { hash } from '@node-rs/argon2';
import mqtt, { type MqttClient } from 'mqtt';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { MAX_BATCH, MAX_PAYLOAD_BYTES } from '../../src/contract/payloads.js';
import { HEARTBEATS_REJECTED } from '../../src/supervise/bridges.js';
import { demoConfigWith, memoryLogger, tempDir, testConfig, waitFor } from '../helpers/app.js';

/**
 * Malformed payloads on every topic the service reads (each `mqtt.subscribe(` in src/): sensor
 * readings, device status, lid and valve state, crew acks, Node-RED's requests, bridge heartbeats,
 * and the native topics of Tasmota, ESPHome and ChirpStack devices. Each is published by a client
 * allowed to publish there (a device, a crew, Node-RED, the service's own client for heartbeats),
 * so the broker's ACL lets it through and the service itself must refuse it: each one counted under
 * its topic's rejection counter with a reason, nothing thrown (`mqtt_handler_errors` stays 0), and
 * the valid messages interleaved with them still processed.
 *
 * Every malformed payload is invalid by construction (not sampled and then checked with the code
 * under test): the counters must add up to exactly what was sent. Seeded (TONGXIN_FUZZ_SEED);
 * ≥ 10,000 malformed payloads, ×20 with TONGXIN_LONG=1.
 */
const LONG = process.env.TONGXIN_LONG === '1';
const MALFORMED = 10_000 * (LONG ? 20 : 1);
const VALID_EVERY = 20;
const SEED = Number(process.env.TONGXIN_FUZZ_SEED ?? 0x70617931) >>> 0;
const SITE = 'xianxia-demo';
const T = (rest: string) => `tongxin/${SITE}/${rest}`;
const APP_ID = '17c82e96-be03-4f38-aef3-f83d48582d97';
const DEV_EUI = '0101010101010101';
const ALERTS_PER_KIND = 40;

const USERS = {
  garden: { role: 'device', device: 'garden-node' },
  bins: { role: 'device', device: 'bins-p1' },
  crew: { role: 'crew', crew: 'crew-wet-dry' },
  nodered: { role: 'nodered' },
  tasmota: { role: 'device', device: 'bed-tasmota' },
  esphome: { role: 'device', device: 'bins-esp' },
  chirpstack: { role: 'device', device: 'lora-soil' },
} as const;
type User = keyof typeof USERS | 'service';
const password = (u: string) => `${u}-fuzz-pw-1`;

let app: RunningApp;
let logLines: string[];
let cleanup: () => Promise<void>;
const clients = new Map<User, MqttClient>();

beforeAll(async () => {
  const { dir, remove } = tempDir();
  const hashes = Object.fromEntries(await Promise.all(Object.keys(USERS).map(async (u) => [u, await hash(password(u))] as const)));
  const base = await demoConfigWith((doc) => {
    doc.mqtt.users = Object.entries(USERS).map(([username, u]) => ({ username, passwordHash: hashes[username], ...u }));
    doc.devices.push(
      { id: 'bed-tasmota', link: 'mqtt', offlineAfterSeconds: 600 },
      { id: 'bins-esp', link: 'mqtt', offlineAfterSeconds: 600 },
      { id: 'lora-soil', link: 'mqtt', offlineAfterSeconds: 3600 },
    );
    doc.sensors.push(
      { id: 'soil-tasmota', device: 'bed-tasmota', kind: 'soil-moisture', unit: '%', calibration: { raw: [560, 250], value: [0, 100] }, clamp: { min: 0, max: 100 } },
      { id: 'temp-tasmota', device: 'bed-tasmota', kind: 'temperature', unit: '°C' },
      { id: 'bin-esp', device: 'bins-esp', kind: 'bin-level', unit: '%', calibration: { raw: [100, 10], value: [0, 100] }, clamp: { min: 0, max: 120 } },
      { id: 'lid-esp', device: 'bins-esp', kind: 'lid' },
      { id: 'soil-lora', device: 'lora-soil', kind: 'soil-moisture', unit: '%', calibration: { raw: [560, 250], value: [0, 100] }, clamp: { min: 0, max: 100 } },
    );
    doc.mqttNative = [
      { format: 'tasmota', device: 'bed-tasmota', topic: 'tasmota_bed', sensors: { 'soil-tasmota': 'ANALOG.A0', 'temp-tasmota': 'DS18B20.Temperature' } },
      { format: 'esphome', device: 'bins-esp', prefix: 'lounge/bins-esp', sensors: { 'bin-esp': 'sensor/ultrasonic_distance', 'lid-esp': 'binary_sensor/lid_open' } },
      { format: 'chirpstack', device: 'lora-soil', application: APP_ID, devEui: DEV_EUI, sensors: { 'soil-lora': 'soil.moisture_raw' } },
    ];
    // A supervised bridge, so that the service listens to bridge heartbeats. Its serial port does
    // not exist: the bridge waits for it, heart-beating, which is all this test needs of it.
    doc.devices.find((d: { id: string }) => d.id === 'doors').link = 'serial';
    doc.links = [{ id: 'doors-uno', kind: 'serial', device: 'doors', path: join(dir, 'no-such-tty'), sensors: { f0in: 'door-main-in' }, actuators: {} }];
    doc.http.publicRateLimitPerMinute = 1_000_000;
  });
  // Warnings are kept (throttled by the service); debug lines for 10,000 messages would cost more than the fuzz.
  const logger = memoryLogger('warn');
  logLines = logger.lines;
  app = await startApp({ config: testConfig(dir, {}, base), log: logger.log, ntpMarker: join(dir, 'no-ntp-marker') });
  for (const u of Object.keys(USERS) as (keyof typeof USERS)[]) {
    const c = await mqtt.connectAsync(app.mqttUrl, { username: u, password: password(u), clientId: `fuzz-${u}`, reconnectPeriod: 0, connectTimeout: 5000 });
    c.on('error', () => undefined);
    clients.set(u, c);
  }
  cleanup = async () => {
    for (const c of clients.values()) await c.endAsync(true).catch(() => undefined);
    await app.stop();
    remove();
  };
}, 60_000);
afterAll(async () => cleanup?.());

/* ---------- a seeded generator ---------- */

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
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const chars = (from: string, min: number, max: number) => Array.from({ length: min + int(max - min + 1) }, () => from[int(from.length)]).join('');
  return { int, pick, chance: (p: number) => next() < p, bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))), chars };
}
type Rng = ReturnType<typeof rng>;
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/**
 * Malformed whatever the topic: never JSON (a control character first; for the plain-text topics
 * it is not a word either), a cut object, a byte that is not UTF-8 between tokens, too large, nested
 * beyond reason. `shape` is a valid JSON object of the topic, used for cutting and corrupting.
 */
function anyMalformed(r: Rng, shape: string): Buffer {
  switch (r.int(6)) {
    case 0:
      return Buffer.concat([Buffer.from([1 + r.int(8)]), r.bytes(r.int(300))]);
    case 1:
      return Buffer.from(shape.slice(0, 1 + r.int(shape.length - 1))); // a proper prefix of an object is never JSON
    case 2:
      return Buffer.concat([Buffer.from(shape.slice(0, 1)), Buffer.from([r.pick([0xff, 0xfe, 0xc3, 0x80, 0xed])]), Buffer.from(shape.slice(1))]);
    case 3: {
      // Over the contract's 64 KiB (and under the broker's 256 KiB packet limit), as a JSON array.
      const n = Math.ceil((MAX_PAYLOAD_BYTES + 1 + r.int(100_000)) / 2);
      return Buffer.from(`[${'0,'.repeat(n)}0]`);
    }
    case 4: {
      const depth = 1000 + r.int(30_000);
      return Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    }
    default:
      // Any text with a BEL after it: never JSON, never a word of the plain-text topics.
      return Buffer.from(`${r.chars(PRINTABLE, 0, 60)}\u0007`);
  }
}
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const randomKey = (r: Rng) => `k${r.chars('abcdefghijklmnopqrstuvwxyz_', 0, 8)}`;
const randomString = (r: Rng, avoid: readonly string[]) => {
  const s = r.chars(PRINTABLE, 0, 30);
  return avoid.includes(s) ? `${s}~` : s;
};
/** Any JSON value but an object: strings, numbers, booleans, null, arrays. */
const nonObject = (r: Rng) => r.pick<unknown>([randomString(r, []), r.int(1e6) - 5e5, r.int(2) === 1, null, [], [r.int(10)], [{}]]);

/* ---------- the topics the service reads, each with its malformed payloads and its valid ones ---------- */

interface Valid {
  topic: string;
  payload: Buffer;
  /** Readings it must add to `readings_accepted` (directly, or republished from a native device). */
  readings?: number;
  /** Messages the native module must republish into the contract for it. */
  republished?: number;
}
interface Target {
  name: string;
  user: User;
  /** The counter (and so the module) that must count each malformed payload. */
  counter: string;
  malformed(r: Rng): { topic: string; payload: Buffer };
  valid(r: Rng, n: number): Valid | undefined;
}

const ACTUATOR_STATES = ['open', 'closed', 'on', 'off'];
const RAW_OBJ = JSON.stringify({ value: 405, at: new Date().toISOString(), seq: 7 });

function sensorRawMalformed(r: Rng): Buffer {
  const now = Date.now();
  const bad: unknown[] = [
    randomString(r, []),
    r.int(2) === 1,
    null,
    {},
    [],
    { value: String(r.int(1000)) },
    { value: null },
    { value: 1, [randomKey(r)]: 1 },
    { value: 1, at: r.chars('0123456789', 0, 9) },
    { value: 1, at: true },
    { value: 1, seq: -1 - r.int(100) },
    { value: 1, seq: 1.5 },
    { value: 1, seq: '3' },
    { value: 1, at: new Date(Date.UTC(2019, 11, 31) - r.int(1e12)).toISOString() },
    { value: 1, at: r.int(Date.UTC(2019, 11, 31)) },
    { value: 1, at: Date.UTC(2100, 0, 2) + r.int(1e15) },
    { value: 1, at: `not a date ${randomString(r, [])}` },
    [{ value: 1, at: now }, randomString(r, [])],
    [[1]],
    [1, 2],
    Array.from({ length: MAX_BATCH + 1 + r.int(50) }, () => ({ value: 1 })),
    { [randomKey(r)]: r.int(100) },
  ];
  // JSON has no Infinity, but 1e400 parses as one.
  return r.chance(0.05) ? Buffer.from(r.pick(['1e400', '-1e400', '{"value":1e999}', `[{"value":2e308,"at":${now}}]`])) : r.chance(0.2) ? anyMalformed(r, RAW_OBJ) : json(r.pick(bad));
}

function targets(alerts: { crew: string[]; nodered: string[] }): Target[] {
  let requestId = 0;
  const rid = () => `fuzz-${++requestId}`;
  return [
    {
      name: 'sensor/<id>/raw',
      user: 'garden',
      counter: 'readings_rejected',
      malformed: (r) => ({ topic: T(`sensor/${r.pick(['soil-herbs-a', 'soil-herbs-b', 'soil-nectar-a'])}/raw`), payload: sensorRawMalformed(r) }),
      valid: (r) => {
        if (r.chance(0.5)) return { topic: T('sensor/soil-herbs-a/raw'), payload: Buffer.from(String(250 + r.int(300))), readings: 1 };
        const batch = [{ value: 250 + r.int(300) }, { value: 300, at: new Date(Date.now() - r.int(60_000)).toISOString() }].slice(0, 1 + r.int(2));
        return { topic: T('sensor/soil-herbs-a/raw'), payload: json(batch), readings: batch.length };
      },
    },
    {
      name: 'device/<id>/status',
      user: 'bins',
      counter: 'device_status_rejected',
      malformed: (r) => {
        const bad: unknown[] = [randomString(r, ['online', 'offline']), 'Online', 'OFFLINE', r.int(100), null, [], {}, ['online'], { status: randomString(r, ['online', 'offline']) }, { status: 'online', at: 'short' }, { status: true }];
        return { topic: T('device/bins-p1/status'), payload: r.chance(0.3) ? anyMalformed(r, '{"status":"online"}') : json(r.pick(bad)) };
      },
      valid: (_r, n) => ({ topic: T('device/bins-p1/status'), payload: n % 2 === 0 ? Buffer.from('online') : json({ status: 'offline' }) }),
    },
    {
      name: 'actuator/<lid>/state',
      user: 'bins',
      counter: 'actuator_state_rejected',
      malformed: (r) => ({ topic: T(`actuator/${r.pick(['lid-p1-wet', 'lid-p1-dry'])}/state`), payload: actuatorStateMalformed(r) }),
      valid: (_r, n) => ({ topic: T('actuator/lid-p1-wet/state'), payload: json({ state: n % 2 === 0 ? 'open' : 'closed' }) }),
    },
    {
      name: 'actuator/<valve>/state',
      user: 'garden',
      counter: 'valve_state_rejected',
      malformed: (r) => ({ topic: T(`actuator/${r.pick(['valve-herbs', 'valve-nectar'])}/state`), payload: actuatorStateMalformed(r) }),
      valid: (_r, n) => ({ topic: T('actuator/valve-herbs/state'), payload: Buffer.from(n % 2 === 0 ? 'on' : 'off') }),
    },
    {
      name: 'crew/<id>/ack',
      user: 'crew',
      counter: 'acks_rejected',
      malformed: (r) => {
        const bad: unknown[] = [nonObject(r), {}, { alertId: '' }, { alertId: 'x'.repeat(65 + r.int(100)) }, { alertId: r.int(1000) }, { alertId: null }, { [randomKey(r)]: 'x' }, { alertId: `no-such-alert-${r.int(1e9)}` }];
        return { topic: T('crew/crew-wet-dry/ack'), payload: r.chance(0.25) ? anyMalformed(r, '{"alertId":"a"}') : json(r.pick(bad)) };
      },
      valid: (_r, n) => (n < alerts.crew.length ? { topic: T('crew/crew-wet-dry/ack'), payload: json({ alertId: alerts.crew[n] }) } : undefined),
    },
    {
      name: 'request/alert/<id>',
      user: 'nodered',
      counter: 'nodered_requests_rejected',
      malformed: (r) => {
        const bad: unknown[] = [
          nonObject(r),
          {},
          { action: 'ack' },
          { requestId: '', action: 'ack' },
          { requestId: `a/${r.int(100)}`, action: 'ack' },
          { requestId: `a#${r.int(100)}`, action: 'resolve' },
          { requestId: 'x'.repeat(65), action: 'ack' },
          { requestId: r.int(100), action: 'ack' },
          { requestId: rid(), action: randomString(r, ['ack', 'resolve']) },
          { requestId: rid() },
          { requestId: rid(), action: 'resolve', note: '' },
          { requestId: rid(), action: 'resolve', note: 'n'.repeat(501) },
        ];
        return { topic: T(`request/alert/${alerts.nodered[r.int(alerts.nodered.length)]}`), payload: r.chance(0.25) ? anyMalformed(r, '{"requestId":"r","action":"ack"}') : json(r.pick(bad)) };
      },
      valid: (_r, n) => (n < alerts.nodered.length ? { topic: T(`request/alert/${alerts.nodered[n]}`), payload: json({ requestId: rid(), action: 'resolve', note: 'fuzz' }) } : undefined),
    },
    {
      name: 'request/actuator/<id>',
      user: 'nodered',
      counter: 'nodered_requests_rejected',
      malformed: (r) => {
        const bad: unknown[] = [
          nonObject(r),
          {},
          { state: 'on' },
          { requestId: rid() },
          { requestId: rid(), state: '' },
          { requestId: rid(), state: 's'.repeat(17) },
          { requestId: rid(), state: 'on', minutes: 0 },
          { requestId: rid(), state: 'on', minutes: -1 - r.int(100) },
          { requestId: rid(), state: 'on', minutes: 1441 + r.int(1e6) },
          { requestId: rid(), state: 'on', minutes: '5' },
          { requestId: rid(), state: 'on', reason: 'r'.repeat(201) },
          { requestId: `\u0001${r.int(100)}`, state: 'on' },
        ];
        return { topic: T(`request/actuator/${r.pick(['valve-herbs', 'lid-p1-wet'])}`), payload: r.chance(0.25) ? anyMalformed(r, '{"requestId":"r","state":"on"}') : json(r.pick(bad)) };
      },
      // Lids follow the schedule: a well-formed request for one is answered (refused), not rejected.
      valid: () => ({ topic: T('request/actuator/lid-p1-wet'), payload: json({ requestId: rid(), state: 'open' }) }),
    },
    {
      name: 'bridge/<link>/heartbeat',
      user: 'service',
      counter: HEARTBEATS_REJECTED,
      malformed: (r) => {
        if (r.chance(0.1)) return { topic: T(`bridge/no-such-link-${r.int(100)}/heartbeat`), payload: json({ node: 'online', counters: {} }) };
        const bad: unknown[] = [nonObject(r), {}, { node: randomString(r, ['online', 'offline']) }, { node: 'online', counters: r.int(10) }, { node: 'online', counters: [] }, { node: null }];
        return { topic: T('bridge/doors-uno/heartbeat'), payload: r.chance(0.3) ? anyMalformed(r, '{"node":"online"}') : json(r.pick(bad)) };
      },
      valid: (_r, n) => ({ topic: T('bridge/doors-uno/heartbeat'), payload: json({ link: 'doors-uno', node: n % 2 === 0 ? 'online' : 'offline', uptimeSeconds: n, counters: {} }) }),
    },
    {
      name: 'tele/<tasmota>/SENSOR and LWT',
      user: 'tasmota',
      counter: 'native_rejected',
      malformed: (r) => {
        if (r.chance(0.2)) return { topic: 'tele/tasmota_bed/LWT', payload: Buffer.from(r.pick(['Onlin', 'up', '1', '', 'On line', `${randomString(r, [])}~`])) };
        // Neither sensor readable, so the message is refused as a whole (one count).
        const bad: unknown[] = [nonObject(r), {}, { ANALOG: { A0: 'x' }, DS18B20: { Temperature: 'y' } }, { ANALOG: r.int(10), DS18B20: null }, { Time: randomString(r, []), ANALOG: { A0: 405 } }, { [randomKey(r)]: { A0: 1 } }];
        return { topic: 'tele/tasmota_bed/SENSOR', payload: r.chance(0.25) ? anyMalformed(r, '{"ANALOG":{"A0":405}}') : json(r.pick(bad)) };
      },
      valid: (r, n) =>
        n % 4 === 3
          ? { topic: 'tele/tasmota_bed/LWT', payload: Buffer.from('Online'), republished: 1 }
          : { topic: 'tele/tasmota_bed/SENSOR', payload: json({ ANALOG: { A0: 300 + r.int(200) }, DS18B20: { Id: '01144A0CB2AA', Temperature: 21.4 }, TempUnit: 'C' }), readings: 2, republished: 2 },
    },
    {
      name: '<esphome>/…/state and status',
      user: 'esphome',
      counter: 'native_rejected',
      malformed: (r) => {
        const which = r.int(3);
        if (which === 0) return { topic: 'lounge/bins-esp/status', payload: Buffer.from(r.pick(['Online', 'OFFLINE', 'up', '', `${randomString(r, [])}~`])) };
        if (which === 1) return { topic: 'lounge/bins-esp/binary_sensor/lid_open/state', payload: Buffer.from(r.pick(['on', 'off', 'TRUE', '1', '', 'ONN', `${randomString(r, [])}~`])) };
        return {
          topic: 'lounge/bins-esp/sensor/ultrasonic_distance/state',
          payload: Buffer.from(r.pick(['nan', 'None', '1e400', '-1e999', '0x10', '', 'abc', '1.2.3', '--1', `${'9'.repeat(65 + r.int(100))}`, `1${r.chars(' abcxyz', 1, 5)}2`])),
        };
      },
      valid: (r) => ({ topic: 'lounge/bins-esp/sensor/ultrasonic_distance/state', payload: Buffer.from((20 + r.int(8000) / 100).toFixed(2)), readings: 1, republished: 1 }),
    },
    {
      name: 'application/<app>/device/<eui>/event/…',
      user: 'chirpstack',
      counter: 'native_rejected',
      malformed: (r) => {
        const up = `application/${APP_ID}/device/${DEV_EUI}/event/up`;
        const info = { devEui: DEV_EUI };
        if (r.chance(0.15)) return { topic: `application/${APP_ID}/device/${DEV_EUI}/event/${r.pick(['join', 'status'])}`, payload: json(r.pick<unknown>([{}, { deviceInfo: { devEui: 'ffffffffffffffff' } }, nonObject(r)])) };
        const bad: unknown[] = [nonObject(r), {}, { deviceInfo: {} }, { deviceInfo: { devEui: r.chars('0123456789abcdef', 16, 16).replace(/^0101010101010101$/, 'ffff') } }, { deviceInfo: info }, { deviceInfo: info, object: r.int(10) }, { deviceInfo: info, time: r.pick(['', 'yesterday', 'now', '12:00', '2026-13-45T99:99:99Z']), object: { soil: { moisture_raw: 400 } } }, { deviceInfo: info, object: {} }, { deviceInfo: info, object: { soil: { moisture_raw: 'x' } } }];
        return { topic: up, payload: r.chance(0.2) ? anyMalformed(r, '{"deviceInfo":{"devEui":"0101010101010101"}}') : json(r.pick(bad)) };
      },
      valid: (r, n) => ({
        topic: `application/${APP_ID}/device/${DEV_EUI}/event/up`,
        payload: json({ deduplicationId: `d${n}`, time: new Date().toISOString(), deviceInfo: { devEui: DEV_EUI }, fCnt: n, fPort: 2, object: { soil: { moisture_raw: 300 + r.int(200) } } }),
        readings: 1,
        republished: 1,
      }),
    },
  ];
}

function actuatorStateMalformed(r: Rng): Buffer {
  const bad: unknown[] = [
    randomString(r, ACTUATOR_STATES),
    'OPEN',
    'unknown',
    r.int(100),
    null,
    [],
    {},
    { state: randomString(r, [...ACTUATOR_STATES, 'unknown']) },
    { state: 'open', at: 'short' },
    { state: 'open', failed: { requested: randomString(r, ACTUATOR_STATES), reason: 'no-ack' } },
    { state: 'closed', failed: { requested: 'open', reason: 'r'.repeat(65 + r.int(100)) } },
    { state: 'on', failed: 'no-ack' },
  ];
  return r.chance(0.25) ? anyMalformed(r, '{"state":"open"}') : json(r.pick(bad));
}

/* ---------- the run ---------- */

const getJson = async <T>(path: string): Promise<T> => (await fetch(`${app.httpUrl}${path}`)).json() as Promise<T>;

describe('malformed payloads on every topic the service reads', () => {
  it(`${MALFORMED} malformed payloads are each counted with a reason; nothing throws; valid ones still work`, { timeout: LONG ? 900_000 : 60_000 }, async () => {
    // Alerts for the crew to ack and for Node-RED to resolve, by valid messages among the fuzz.
    const raise = (i: number, who: string) => app.alerts.raise({ kind: 'bin-full', subject: `fuzz:${who}:${i}`, severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet' })!.id;
    const alerts = { crew: Array.from({ length: ALERTS_PER_KIND }, (_, i) => raise(i, 'crew')), nodered: Array.from({ length: ALERTS_PER_KIND }, (_, i) => raise(i, 'nodered')) };
    const list = targets(alerts);
    const counterNames = [...new Set(list.map((t) => t.counter)), 'readings_accepted', 'native_republished', 'nodered_requests', 'mqtt_handler_errors', 'mqtt_publish_denied'];
    const before = Object.fromEntries(counterNames.map((n) => [n, app.counters.total(n)]));
    const repliedMalformedBefore = app.counters.get('nodered_requests', 'malformed');

    const r = rng(SEED);
    const sent = new Map<string, number>(list.map((t) => [t.counter, 0]));
    const validSent = new Map<string, number>(list.map((t) => [t.name, 0]));
    const lastValid = new Map<string, Valid>();
    let validReadings = 0;
    let validRepublished = 0;
    const publishes: Promise<unknown>[] = [];
    const publish = (user: User, topic: string, payload: Buffer) => {
      const p = user === 'service' ? app.mqtt.publish(topic, payload, { qos: 1 }) : clients.get(user)!.publishAsync(topic, payload, { qos: 1 });
      publishes.push(p);
    };
    const t0 = Date.now();
    for (let i = 0; i < MALFORMED; i++) {
      const target = list[i % list.length]!;
      const m = target.malformed(r);
      publish(target.user, m.topic, m.payload);
      sent.set(target.counter, sent.get(target.counter)! + 1);
      if (i % VALID_EVERY === 0) {
        const vt = list[(i / VALID_EVERY) % list.length]!;
        const v = vt.valid(r, validSent.get(vt.name)!);
        if (v) {
          publish(vt.user, v.topic, v.payload);
          validSent.set(vt.name, validSent.get(vt.name)! + 1);
          lastValid.set(vt.name, v);
          validReadings += v.readings ?? 0;
          validRepublished += v.republished ?? 0;
        }
      }
      // A window of publishes in flight, so that memory stays bounded.
      if (publishes.length >= 500) await Promise.all(publishes.splice(0));
    }
    await Promise.all(publishes.splice(0));
    const seconds = (Date.now() - t0) / 1000;

    const delta = (n: string) => app.counters.total(n) - before[n]!;
    const counts = () => Object.fromEntries([...sent.keys()].map((n) => [n, delta(n)]));
    const expected = Object.fromEntries(sent);
    await waitFor('every malformed payload counted', () => JSON.stringify(counts()) === JSON.stringify(expected), 20_000).catch(() => undefined);
    const snapshot = app.counters.snapshot();
    expect(counts(), `by reason: ${JSON.stringify(Object.fromEntries([...sent.keys()].map((n) => [n, snapshot[n]?.by])))}`).toEqual(expected);
    // Nothing thrown out of a handler, nothing refused by the broker (each publisher was allowed).
    expect(delta('mqtt_handler_errors')).toBe(0);
    expect(delta('mqtt_publish_denied')).toBe(0);
    // Every rejection has a reason: nothing counted without a label.
    for (const n of sent.keys()) expect(Object.values(snapshot[n]?.by ?? {}).reduce((a, b) => a + b, 0), `${n} counted without a reason`).toBe(snapshot[n]?.total);

    // The valid messages among them were processed.
    const v = (name: string) => validSent.get(name)!;
    await waitFor('valid readings accepted', () => delta('readings_accepted') === validReadings, 10_000).catch(() => undefined);
    expect(delta('readings_accepted'), 'readings accepted: valid raw ones and the republished native ones').toBe(validReadings);
    expect(delta('native_republished')).toBe(validRepublished);
    expect(v('crew/<id>/ack')).toBe(ALERTS_PER_KIND);
    for (const id of alerts.crew) expect(app.alerts.get(id)?.state, `crew ack of ${id}`).toBe('acked');
    for (const id of alerts.nodered) expect(app.alerts.get(id)?.state, `Node-RED resolve of ${id}`).toBe('resolved');
    // Each valid request answered (resolutions and refused lid requests), besides the malformed ones answered "malformed".
    const answered = delta('nodered_requests') - (app.counters.get('nodered_requests', 'malformed') - repliedMalformedBefore);
    expect(answered).toBe(v('request/alert/<id>') + v('request/actuator/<id>'));
    // The last valid state of each kind is what the service shows.
    const lastLid = JSON.parse(lastValid.get('actuator/<lid>/state')!.payload.toString()) as { state: string };
    const points = await getJson<{ points: { bins: { lid: { id: string; reported: string | null } | null }[] }[] }>('/api/waste/points');
    expect(points.points.flatMap((p) => p.bins).find((b) => b.lid?.id === 'lid-p1-wet')?.lid?.reported).toBe(lastLid.state);
    const garden = await getJson<{ beds: { valve: { id: string; reported: string | null } | null }[] }>('/api/garden');
    expect(garden.beds.find((b) => b.valve?.id === 'valve-herbs')?.valve?.reported).toBe(lastValid.get('actuator/<valve>/state')!.payload.toString());
    const devices = await getJson<{ devices: { id: string; status: string; reason: string | null }[] }>('/api/devices');
    const lastStatus = lastValid.get('device/<id>/status')!.payload.toString().includes('offline') ? 'offline' : 'online';
    expect(devices.devices.find((d) => d.id === 'bins-p1')).toMatchObject({ status: lastStatus, reason: 'reported' });

    // Alive and well.
    const health = await getJson<{ status: string; degraded: string[] }>('/healthz');
    expect(health.degraded.filter((d) => !d.startsWith('child:'))).toEqual([]);
    expect(logLines.some((l) => l.includes('"level":50') || l.includes('"level":60'))).toBe(false);
    console.log(
      `${MALFORMED} malformed payloads on ${list.length} topic families in ${seconds.toFixed(1)} s, with ${[...validSent.values()].reduce((a, b) => a + b, 0)} valid ones; ` +
        `counted ${JSON.stringify(counts())}; reasons ${JSON.stringify(Object.fromEntries([...sent.keys()].map((n) => [n, snapshot[n]?.by])))}`,
    );
  });
});
