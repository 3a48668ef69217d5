import { hash } from '@node-rs/argon2';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, waitFor } from '../helpers/app.js';

/**
 * Devices that speak MQTT themselves, end to end: the demo site plus a Tasmota soil node, an ESPHome
 * bin node and a LoRaWAN soil probe behind ChirpStack, each connecting as its own broker user with
 * the real `mqtt` client and publishing in its own dialect. The service must turn them into
 * calibrated readings and device presence, republish both into the contract, count what it cannot
 * use, and the broker must keep each device to its own topics.
 */
const SITE = 'xianxia-demo';
const TZ = 'Asia/Shanghai';
const APP_ID = '17c82e96-be03-4f38-aef3-f83d48582d97';
const DEV_EUI = '0101010101010101';
const PASSWORD = { tasmota: 'tasmota-pw-1', esphome: 'esphome-pw-1', chirpstack: 'chirpstack-pw-1' };
const T = {
  tasmotaSensor: 'tele/tasmota_bed/SENSOR',
  tasmotaLwt: 'tele/tasmota_bed/LWT',
  espStatus: 'lounge/bins-esp/status',
  espDistance: 'lounge/bins-esp/sensor/ultrasonic_distance/state',
  espLid: 'lounge/bins-esp/binary_sensor/lid_open/state',
  loraEvent: (event: string, eui = DEV_EUI) => `application/${APP_ID}/device/${eui}/event/${event}`,
  raw: (sensorId: string) => `tongxin/${SITE}/sensor/${sensorId}/raw`,
  status: (deviceId: string) => `tongxin/${SITE}/device/${deviceId}/status`,
};

let app: RunningApp;
let logLines: string[];
let stopAll: () => Promise<void>;
const clients: MqttClient[] = [];
/** Everything the contract carries, as a watcher (anonymous, on the loopback demo listener) sees it. */
const contract: { topic: string; payload: string; qos: number; retain: boolean }[] = [];

beforeAll(async () => {
  const { dir, remove } = tempDir();
  const [tasmota, esphome, chirpstack] = await Promise.all([hash(PASSWORD.tasmota), hash(PASSWORD.esphome), hash(PASSWORD.chirpstack)]);
  const base = await demoConfigWith((doc) => {
    doc.devices.push(
      { id: 'bed-tasmota', name: 'Tasmota soil node', link: 'mqtt', offlineAfterSeconds: 600 },
      { id: 'bins-esp', name: 'ESPHome bin node', link: 'mqtt', offlineAfterSeconds: 600 },
      { id: 'lora-soil', name: 'LoRaWAN soil probe', link: 'mqtt', offlineAfterSeconds: 3600 },
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
    doc.mqtt.users = [
      { username: 'bed-tasmota', passwordHash: tasmota, role: 'device', device: 'bed-tasmota' },
      { username: 'bins-esp', passwordHash: esphome, role: 'device', device: 'bins-esp' },
      // ChirpStack's MQTT integration: one client for every LoRaWAN device of the site.
      { username: 'chirpstack', passwordHash: chirpstack, role: 'device', device: 'lora-soil' },
    ];
  });
  ({ app, logLines } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) }));
  const watcher = await connect({});
  watcher.on('message', (topic, payload, packet) => contract.push({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }));
  await watcher.subscribeAsync([`tongxin/${SITE}/sensor/+/raw`, `tongxin/${SITE}/device/+/status`], { qos: 1 });
  stopAll = async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await app.stop();
    remove();
  };
});
afterAll(async () => stopAll?.());

async function connect(opts: IClientOptions): Promise<MqttClient> {
  const c = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0, connectTimeout: 3000, ...opts });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}
const asDevice = (username: keyof typeof PASSWORD, will?: IClientOptions['will']) =>
  connect({ username: username === 'tasmota' ? 'bed-tasmota' : username === 'esphome' ? 'bins-esp' : 'chirpstack', password: PASSWORD[username], ...(will ? { will } : {}) });

const getJson = async <T>(path: string): Promise<T> => (await fetch(`${app.httpUrl}${path}`)).json() as Promise<T>;
type SensorRow = { id: string; value: number | null; raw: number | null; at: number | null; stale: boolean };
const sensor = async (id: string) => (await getJson<{ sensors: SensorRow[] }>('/api/sensors')).sensors.find((s) => s.id === id);
const device = async (id: string) => (await getJson<{ devices: { id: string; status: string; reason: string | null }[] }>('/api/devices')).devices.find((d) => d.id === id);
const rejected = (reason: string) => app.counters.get('native_rejected', reason);

/** The site's local wall time `msAgo` before now, as Tasmota writes `Time`, and the instant it means. */
function tasmotaTime(msAgo: number): { text: string; at: number } {
  const at = Math.floor((Date.now() - msAgo) / 1000) * 1000;
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(at)
    .replace(' ', 'T');
  return { text, at };
}

/** A retained message as a fresh subscriber receives it, or null when none comes within `waitMs`. */
async function retainedOn(topic: string, waitMs = 3000): Promise<{ payload: string; retain: boolean } | null> {
  const c = await connect({});
  const got = new Promise<{ payload: string; retain: boolean }>((resolve) => c.on('message', (_t, payload, packet) => resolve({ payload: payload.toString(), retain: packet.retain })));
  await c.subscribeAsync(topic, { qos: 1 });
  const result = await Promise.race([got, new Promise<null>((resolve) => setTimeout(() => resolve(null), waitMs))]);
  await c.endAsync(true);
  return result;
}

/** Publishes once on a fresh connection as `who`; true when the broker closed the connection for it. */
async function refusedPublish(who: keyof typeof PASSWORD, topic: string, payload: string, retain = false): Promise<boolean> {
  const c = await asDevice(who);
  const closed = new Promise<true>((r) => c.once('close', () => r(true)));
  c.publish(topic, payload, { qos: 1, retain });
  return Promise.race([closed, new Promise<false>((r) => setTimeout(() => r(false), 2000))]);
}

describe('MQTT-native devices become readings and presence', () => {
  it('Tasmota: SENSOR fields are calibrated at the device’s own local Time; LWT Online/Offline is its status', async () => {
    const c = await asDevice('tasmota', { topic: T.tasmotaLwt, payload: Buffer.from('Offline'), qos: 1, retain: true });
    await c.publishAsync(T.tasmotaLwt, 'Online', { qos: 1, retain: true });
    await waitFor('bed-tasmota online', async () => (await device('bed-tasmota'))?.status === 'online');

    const time = tasmotaTime(60_000);
    const payload = { Time: time.text, ANALOG: { A0: 405 }, DS18B20: { Id: '01144A0CB2AA', Temperature: 21.4 }, TempUnit: 'C' };
    await c.publishAsync(T.tasmotaSensor, JSON.stringify(payload), { qos: 1 });

    const soil = await waitFor('soil-tasmota calibrated', async () => {
      const s = await sensor('soil-tasmota');
      return s?.value === 50 ? s : undefined;
    });
    expect(soil).toMatchObject({ raw: 405, value: 50, at: time.at, stale: false });
    expect(await sensor('temp-tasmota')).toMatchObject({ raw: 21.4, value: 21.4, at: time.at });

    // Republished into the contract: a reading is QoS 0 and not retained; the status is retained.
    const reading = contract.find((m) => m.topic === T.raw('soil-tasmota'));
    expect(reading).toMatchObject({ qos: 0, retain: false });
    expect(JSON.parse(reading?.payload ?? '{}')).toEqual({ value: 405, at: new Date(time.at).toISOString() });
    expect(await retainedOn(T.status('bed-tasmota'))).toEqual({ payload: 'online', retain: true });
    expect(await retainedOn(T.raw('soil-tasmota'), 300)).toBeNull();

    // The node loses power: the broker publishes its last will, and the service follows.
    c.stream.destroy();
    await waitFor('bed-tasmota offline', async () => (await device('bed-tasmota'))?.status === 'offline');
    expect(await retainedOn(T.status('bed-tasmota'))).toEqual({ payload: 'offline', retain: true });
  });

  it('ESPHome: a plain-number state and ON/OFF binary states; status online/offline', async () => {
    const c = await asDevice('esphome', { topic: T.espStatus, payload: Buffer.from('offline'), qos: 1, retain: true });
    await c.publishAsync(T.espStatus, 'online', { qos: 1, retain: true });
    await waitFor('bins-esp online', async () => (await device('bins-esp'))?.status === 'online');

    await c.publishAsync(T.espDistance, '55.00', { qos: 1, retain: true });
    await c.publishAsync(T.espLid, 'ON', { qos: 1, retain: true });
    await waitFor('bin-esp calibrated', async () => (await sensor('bin-esp'))?.value === 50);
    await waitFor('lid open', async () => (await sensor('lid-esp'))?.value === 1);

    await c.publishAsync(T.espLid, 'OFF', { qos: 1, retain: true });
    await waitFor('lid closed', async () => (await sensor('lid-esp'))?.value === 0);

    // An ultrasonic sensor that lost its echo reports nan: counted, and the last good value stays.
    const before = rejected('not-a-number');
    await c.publishAsync(T.espDistance, 'nan', { qos: 1, retain: true });
    await waitFor('nan counted', () => rejected('not-a-number') === before + 1);
    expect(await sensor('bin-esp')).toMatchObject({ raw: 55, value: 50 });

    await c.publishAsync(T.espStatus, 'offline', { qos: 1, retain: true });
    await waitFor('bins-esp offline', async () => (await device('bins-esp'))?.status === 'offline');
    expect(contract.filter((m) => m.topic === T.status('bins-esp')).map((m) => m.payload)).toEqual(['online', 'offline']);
  });

  it('ChirpStack: a join says the probe is alive; an uplink’s decoded object is its reading, at ChirpStack’s time', async () => {
    const c = await asDevice('chirpstack');
    const deviceInfo = { tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242', tenantName: 'ChirpStack', applicationId: APP_ID, applicationName: 'garden', deviceName: 'soil probe 1', devEui: DEV_EUI };
    const time = new Date(Date.now() - 5_000).toISOString();
    await c.publishAsync(T.loraEvent('join'), JSON.stringify({ deduplicationId: 'c9dbe358-2578-4fb7-b295-66b44edc45a6', time, deviceInfo, devAddr: '00189440' }), { qos: 1 });
    await waitFor('lora-soil online from its join', async () => {
      const d = await device('lora-soil');
      return d?.status === 'online' && d.reason === 'reported';
    });

    const up = { deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d', time, deviceInfo, devAddr: '00189440', dr: 5, fCnt: 7, fPort: 2, data: 'AZU=', object: { soil: { moisture_raw: 343 } } };
    await c.publishAsync(T.loraEvent('up'), JSON.stringify(up), { qos: 1 });
    const soil = await waitFor('soil-lora calibrated', async () => {
      const s = await sensor('soil-lora');
      return s?.value === 70 ? s : undefined;
    });
    expect(soil).toMatchObject({ raw: 343, at: Date.parse(time) });
    expect(JSON.parse(contract.find((m) => m.topic === T.raw('soil-lora'))?.payload ?? '{}')).toEqual({ value: 343, at: time, seq: 7 });

    // The same application's other devices are ChirpStack's to publish, and simply not ours to read.
    await c.publishAsync(T.loraEvent('up', '0303030303030303'), JSON.stringify({ ...up, deviceInfo: { ...deviceInfo, devEui: '0303030303030303' } }), { qos: 1 });
    expect(c.connected).toBe(true);
  });

  it('what cannot be used is counted by reason and logged, throttled; nothing is thrown', async () => {
    const tasmota = await asDevice('tasmota');
    const chirpstack = await asDevice('chirpstack');
    const before = { notJson: rejected('not-json'), noObject: rejected('no-object'), wrongDevice: rejected('wrong-device'), badTime: rejected('bad-timestamp') };
    for (let i = 0; i < 40; i++) tasmota.publish(T.tasmotaSensor, '{"Time":"2026-05-04T08:15:00","ANALOG":', { qos: 0 });
    await tasmota.publishAsync(T.tasmotaSensor, JSON.stringify({ Time: 'yesterday', ANALOG: { A0: 400 } }), { qos: 1 });
    const deviceInfo = { applicationId: APP_ID, devEui: DEV_EUI };
    await chirpstack.publishAsync(T.loraEvent('up'), JSON.stringify({ time: new Date().toISOString(), deviceInfo, fPort: 2, data: 'AZU=' }), { qos: 1 });
    await chirpstack.publishAsync(T.loraEvent('up'), JSON.stringify({ time: new Date().toISOString(), deviceInfo: { ...deviceInfo, devEui: '0202020202020202' }, object: { soil: { moisture_raw: 1 } } }), { qos: 1 });

    await waitFor('every rejection counted', () => rejected('not-json') === before.notJson + 40 && rejected('wrong-device') === before.wrongDevice + 1, 10_000);
    expect(rejected('bad-timestamp')).toBe(before.badTime + 1);
    expect(rejected('no-object')).toBe(before.noObject + 1);
    const health = await getJson<{ status: string; counters: Record<string, { total: number; by: Record<string, number> }> }>('/healthz');
    expect(health.status).toBe('ok');
    expect(health.counters.native_rejected?.by).toMatchObject({ 'not-json': before.notJson + 40, 'no-object': before.noObject + 1 });
    const lines = logLines.filter((l) => l.includes('native message rejected') && l.includes('"reason":"not-json"'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(20);
    // The bad frames changed nothing.
    expect((await sensor('soil-lora'))?.raw).toBe(343);
  });

  it('a device user is refused (and disconnected) outside its own native topics', async () => {
    const denied = app.counters.get('mqtt_publish_denied', 'device');
    const cases: [keyof typeof PASSWORD, string, boolean][] = [
      ['tasmota', 'tele/tasmota_roof/SENSOR', false], // another Tasmota
      ['tasmota', 'cmnd/tasmota_bed/POWER', false], // commands are read, not written
      ['tasmota', 'tasmota/discovery/A4CF12345678/config', true], // Tasmota discovery: off on these nodes
      ['esphome', 'homeassistant/sensor/bins-esp/distance/config', true], // so is ESPHome's
      ['esphome', 'lounge/other-esp/status', true],
      ['esphome', `tongxin/${SITE}/actuator/lid-p1-wet/set`, false],
      ['chirpstack', `application/${APP_ID}/device/${DEV_EUI}/command/down`, false],
      ['chirpstack', 'application/99999999-0000-4000-8000-000000000000/device/0101010101010101/event/up', false],
      ['chirpstack', 'tele/tasmota_bed/SENSOR', false],
    ];
    const outcome = await Promise.all(cases.map(async ([who, topic, retain]) => `${who} → ${topic}: ${(await refusedPublish(who, topic, '{}', retain)) ? 'refused' : 'allowed'}`));
    expect(outcome).toEqual(cases.map(([who, topic]) => `${who} → ${topic}: refused`));
    expect(app.counters.get('mqtt_publish_denied', 'device') - denied).toBe(cases.length);
    // Its own topics still work on a new connection.
    expect(await refusedPublish('tasmota', T.tasmotaLwt, 'Online', true)).toBe(false);
  });
});
