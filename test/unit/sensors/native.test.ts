import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../src/config/schema.js';
import { MAX_PAYLOAD_BYTES } from '../../../src/contract/payloads.js';
import { siteTopics } from '../../../src/contract/topics.js';
import { createCounters } from '../../../src/core/counters.js';
import { createLogger } from '../../../src/core/log.js';
import type { ModuleDeps } from '../../../src/deps.js';
import type { MessageHandler } from '../../../src/mqtt/connection.js';
import { createNativeModule } from '../../../src/sensors/native-module.js';
import { chirpstackFilters, translateChirpstack, type ChirpstackDevice } from '../../../src/sensors/native/chirpstack.js';
import { esphomeFilters, translateEsphome, type EsphomeDevice } from '../../../src/sensors/native/esphome.js';
import { asNumber, readPath, type NativeResult } from '../../../src/sensors/native/field-path.js';
import { parseTasmotaTime, tasmotaFilters, translateTasmota, type TasmotaDevice } from '../../../src/sensors/native/tasmota.js';

/**
 * The three translators, fed payloads in the exact shapes the devices publish (Tasmota's
 * tele/<topic>/SENSOR and LWT, ESPHome's plain-text state topics, ChirpStack v4's JSON events as in
 * its "Event types" documentation), and every reason a message can be turned away for.
 */
const NOW = Date.UTC(2026, 4, 4, 0, 20, 0); // 08:20 in Shanghai
const TZ = 'Asia/Shanghai';
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const reasonOf = (r: NativeResult) => ('reject' in r ? r.reject : 'accepted');

describe('field paths', () => {
  const doc = { ANALOG: { A0: 405 }, 'DS18B20-1': { Temperature: 19.8 }, list: [{ value: 1 }, { value: 2 }], grid: [[0, 7]] };

  it.each([
    ['ANALOG.A0', 405],
    ['DS18B20-1.Temperature', 19.8],
    ['list[1].value', 2],
    ['list.1.value', 2],
    ['grid[0][1]', 7],
  ])('%s → %s', (path, value) => {
    expect(readPath(doc, path)).toEqual({ found: true, value });
  });

  it.each([
    ['ANALOG.A1', 'ANALOG.A1'],
    ['list[5].value', 'list[5]'],
    ['ANALOG..A0', 'ANALOG.'],
    ['__proto__.x', '__proto__'],
    ['ANALOG.constructor', 'ANALOG.constructor'],
    ['list.length', 'list.length'],
  ])('%s is missing at %s, never reaching into prototypes', (path, missing) => {
    expect(readPath(doc, path)).toEqual({ found: false, missing });
  });

  it('numbers are finite numbers or booleans; ON/OFF only where asked for', () => {
    expect([asNumber(3.5), asNumber(true), asNumber(false), asNumber('ON', { onOff: true }), asNumber('off', { onOff: true })]).toEqual([3.5, 1, 0, 1, 0]);
    for (const v of ['ON', '21.5', '3.38 V', null, Number.NaN, Infinity, {}]) expect(asNumber(v)).toBeUndefined();
  });
});

describe('Tasmota', () => {
  const sensors = { 'soil-a': 'ANALOG.A0', 'water-temp': 'DS18B20.Temperature', 'air-hum': 'SHT3X.Humidity' };
  const dev: TasmotaDevice = { format: 'tasmota', device: 'bed-node', topic: 'tasmota_bed', sensors };
  const SENSOR = 'tele/tasmota_bed/SENSOR';
  const LWT = 'tele/tasmota_bed/LWT';
  const tele = (payload: unknown, d: TasmotaDevice = dev, tz = TZ) => translateTasmota(d, SENSOR, buf(payload), NOW, tz);

  it('listens on its LWT and SENSOR topics', () => {
    expect(tasmotaFilters(dev)).toEqual([LWT, SENSOR]);
  });

  it('reads nested ANALOG, DS18B20 and SHT3X fields, at the device’s local Time in the site zone', () => {
    const r = tele({
      Time: '2026-05-04T08:15:00',
      ANALOG: { A0: 405 },
      DS18B20: { Id: '01144A0CB2AA', Temperature: 21.4 },
      SHT3X: { Temperature: 22.1, Humidity: 45.3, DewPoint: 9.7 },
      TempUnit: 'C',
    });
    const at = Date.UTC(2026, 4, 4, 0, 15, 0);
    expect(r).toEqual({
      readings: [
        { sensorId: 'soil-a', value: 405, at, timed: true },
        { sensorId: 'water-temp', value: 21.4, at, timed: true },
        { sensorId: 'air-hum', value: 45.3, at, timed: true },
      ],
      skipped: [],
    });
  });

  it('reads numbered probes (DS18B20-1, SHT3X-0x44) and a switch reported as ON/OFF', () => {
    const d: TasmotaDevice = { ...dev, sensors: { probe2: 'DS18B20-2.Temperature', hum44: 'SHT3X-0x44.Humidity', lid: 'Switch1' } };
    const r = tele(
      {
        Time: '2026-05-04T08:15:00',
        Switch1: 'ON',
        'DS18B20-1': { Id: '3C01D0753B2E', Temperature: 19.8 },
        'DS18B20-2': { Id: '3C01D075A1C4', Temperature: 20.3 },
        'SHT3X-0x44': { Temperature: 22.4, Humidity: 51.2, DewPoint: 11.9 },
        TempUnit: 'C',
      },
      d,
    );
    expect('readings' in r && r.readings.map((x) => [x.sensorId, x.value])).toEqual([['probe2', 20.3], ['hum44', 51.2], ['lid', 1]]);
  });

  it('local Time is read in the site zone, including one with daylight saving time', () => {
    expect(parseTasmotaTime('2026-07-01T08:15:00', 'Europe/Berlin')).toBe(Date.UTC(2026, 6, 1, 6, 15, 0));
    expect(parseTasmotaTime('2026-05-04T08:15:00.250', TZ)).toBe(Date.UTC(2026, 4, 4, 0, 15, 0, 250));
    // SetOption52 adds the offset: then it is taken as written.
    expect(parseTasmotaTime('2026-05-04T08:15:00+02:00', TZ)).toBe(Date.UTC(2026, 4, 4, 6, 15, 0));
  });

  it('a clock that never synced (1970) does not throw the reading away: it is taken at now, untimed', () => {
    const r = tele({ Time: '1970-01-01T00:02:13', ANALOG: { A0: 512 } }, { ...dev, sensors: { 'soil-a': 'ANALOG.A0' } });
    expect(r).toEqual({ readings: [{ sensorId: 'soil-a', value: 512, at: NOW, timed: false }], skipped: [] });
  });

  it('a probe that dropped off the bus is skipped with its reason; the others still count', () => {
    const r = tele({ Time: '2026-05-04T08:15:00', ANALOG: { A0: 405 }, SHT3X: { Temperature: null, Humidity: null } });
    expect('readings' in r && r.readings.map((x) => x.sensorId)).toEqual(['soil-a']);
    expect('readings' in r && r.skipped.map((s) => [s.sensorId, s.reject])).toEqual([['water-temp', 'missing-field'], ['air-hum', 'not-a-number']]);
  });

  it('LWT Online/Offline is the device status', () => {
    expect(translateTasmota(dev, LWT, buf('Online'), NOW, TZ)).toEqual({ status: 'online' });
    expect(translateTasmota(dev, LWT, buf('Offline'), NOW, TZ)).toEqual({ status: 'offline' });
  });

  it.each([
    ['not JSON', SENSOR, '{"Time":"2026-05-04T08:15:00","ANALOG":', 'not-json'],
    ['a JSON array', SENSOR, '[405]', 'not-an-object'],
    ['no mapped field at all', SENSOR, { Time: '2026-05-04T08:15:00', BME280: { Temperature: 20 } }, 'missing-field'],
    ['only strings with units', SENSOR, { ANALOG: { A0: '405 mV' }, DS18B20: { Temperature: '21 C' }, SHT3X: { Humidity: 'high' } }, 'not-a-number'],
    ['a Time that is not one', SENSOR, { Time: 'yesterday', ANALOG: { A0: 405 } }, 'bad-timestamp'],
    ['an impossible date', SENSOR, { Time: '2026-02-30T08:00:00', ANALOG: { A0: 405 } }, 'bad-timestamp'],
    ['a numeric Time', SENSOR, { Time: 1777853700, ANALOG: { A0: 405 } }, 'bad-timestamp'],
    ['an oversized payload', SENSOR, `{"pad":"${'x'.repeat(MAX_PAYLOAD_BYTES)}"}`, 'too-large'],
    ['an LWT that is neither', LWT, 'Rebooting', 'bad-status'],
    ['another topic', 'tele/tasmota_bed/STATE', { Time: '2026-05-04T08:15:00', Uptime: '0T00:00:19' }, 'unknown-topic'],
    ['another device', 'tele/tasmota_roof/SENSOR', { ANALOG: { A0: 1 } }, 'unknown-topic'],
  ])('rejects %s', (_what, topic, payload, reason) => {
    const r = translateTasmota(dev, topic, buf(payload), NOW, TZ);
    expect(reasonOf(r)).toBe(reason);
    expect('detail' in r && r.detail.length).toBeGreaterThan(0);
  });
});

describe('ESPHome', () => {
  const sensors = { 'bin-level': 'sensor/ultrasonic_distance', 'bin-level-copy': 'sensor/ultrasonic_distance', lid: 'binary_sensor/lid_open' };
  const dev: EsphomeDevice = { format: 'esphome', device: 'bins-esp', prefix: 'lounge/bins-esp', sensors };
  const DIST = 'lounge/bins-esp/sensor/ultrasonic_distance/state';
  const LID = 'lounge/bins-esp/binary_sensor/lid_open/state';
  const STATUS = 'lounge/bins-esp/status';
  const esp = (topic: string, text: string) => translateEsphome(dev, topic, buf(text), NOW);

  it('listens on its status topic and each mapped entity’s state topic, once each', () => {
    expect(esphomeFilters(dev)).toEqual([STATUS, DIST, LID]);
  });

  it('a sensor state is a plain number, taken at now; every sensor id mapped to the entity gets it', () => {
    expect(esp(DIST, '0.87')).toEqual({
      readings: [
        { sensorId: 'bin-level', value: 0.87, at: NOW, timed: false },
        { sensorId: 'bin-level-copy', value: 0.87, at: NOW, timed: false },
      ],
      skipped: [],
    });
    const negative = esp(DIST, '-12.50');
    expect('readings' in negative && negative.readings[0]?.value).toBe(-12.5);
  });

  it('a binary sensor is ON → 1, OFF → 0', () => {
    expect(esp(LID, 'ON')).toEqual({ readings: [{ sensorId: 'lid', value: 1, at: NOW, timed: false }], skipped: [] });
    expect(esp(LID, 'OFF')).toEqual({ readings: [{ sensorId: 'lid', value: 0, at: NOW, timed: false }], skipped: [] });
  });

  it('status online/offline (birth message and last will) is the device status', () => {
    expect(esp(STATUS, 'online')).toEqual({ status: 'online' });
    expect(esp(STATUS, 'offline')).toEqual({ status: 'offline' });
  });

  it.each([
    ['nan while the sensor has no valid value', DIST, 'nan', 'not-a-number'],
    ['None (publish_nan_as_none)', DIST, 'None', 'not-a-number'],
    ['unavailable', DIST, 'unavailable', 'not-a-number'],
    ['an empty state', DIST, '', 'not-a-number'],
    ['a hex number', DIST, '0x10', 'not-a-number'],
    ['a binary state other than ON/OFF', LID, 'on', 'not-a-number'],
    ['a runaway payload', DIST, '1'.repeat(100), 'too-large'],
    ['a status that is neither', STATUS, 'rebooting', 'bad-status'],
    ['an entity not in the site file', 'lounge/bins-esp/sensor/wifi_signal/state', '-61', 'unknown-topic'],
    ['a command topic', 'lounge/bins-esp/switch/relay/command', 'ON', 'unknown-topic'],
  ])('rejects %s', (_what, topic, text, reason) => {
    expect(reasonOf(esp(topic, text))).toBe(reason);
  });
});

describe('ChirpStack v4', () => {
  const APP = '17c82e96-be03-4f38-aef3-f83d48582d97';
  const sensors = { 'soil-lora': 'soil.moisture_raw', 'temp-lora': 'measurements[1].value', 'door-lora': 'door_open' };
  const dev: ChirpstackDevice = { format: 'chirpstack', device: 'lora-soil', application: APP, devEui: '0101010101010101', sensors };
  const topic = (event: string, eui = '0101010101010101') => `application/${APP}/device/${eui}/event/${event}`;
  const deviceInfo = {
    tenantId: '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
    tenantName: 'ChirpStack',
    applicationId: APP,
    applicationName: 'Test application',
    deviceProfileId: '14855bf7-d10d-4aee-b618-ebfcb64dc7ad',
    deviceProfileName: 'Test device-profile',
    deviceName: 'Test device',
    devEui: '0101010101010101',
  };
  // The documented `up` example, plus what a codec adds: `object` (and `fCnt`, left out when 0).
  const up = {
    deduplicationId: '3ac7e3c4-4401-4b8d-9386-a5c902f9202d',
    time: '2022-07-18T09:34:15.775023242+00:00',
    deviceInfo,
    devAddr: '00189440',
    dr: 1,
    fCnt: 42,
    fPort: 1,
    data: 'AZUAyAE=',
    object: { soil: { moisture_raw: 405 }, measurements: [{ type: 'battery', value: 3.6 }, { type: 'temperature', value: 21.5 }], door_open: false },
    rxInfo: [{ gatewayId: '0016c001f153a14c', uplinkId: 4217106255, rssi: -36, snr: 10.5, context: 'E3OWOQ==' }],
    txInfo: { frequency: 867100000, modulation: { lora: { bandwidth: 125000, spreadingFactor: 11, codeRate: 'CR_4_5' } } },
  };
  const cs = (event: string, payload: unknown, t = topic(event)) => translateChirpstack(dev, t, buf(payload), NOW);

  it('listens on the up, join and status events of its own DevEUI (lowercase, as ChirpStack writes it)', () => {
    expect(chirpstackFilters({ ...dev, devEui: '0101010101ABCDEF' })).toEqual(['up', 'join', 'status'].map((e) => topic(e, '0101010101abcdef')));
  });

  it('an uplink’s decoded object gives readings at its ISO time, with fCnt as the sequence number', () => {
    const at = Date.parse('2022-07-18T09:34:15.775Z');
    expect(cs('up', up)).toEqual({
      readings: [
        { sensorId: 'soil-lora', value: 405, at, timed: true, seq: 42 },
        { sensorId: 'temp-lora', value: 21.5, at, timed: true, seq: 42 },
        { sensorId: 'door-lora', value: 0, at, timed: true, seq: 42 },
      ],
      skipped: [],
    });
  });

  it('the first frame (fCnt 0 is left out of proto3 JSON) has no sequence number', () => {
    const { fCnt: _omitted, ...first } = up;
    const r = cs('up', first);
    expect('readings' in r && r.readings.every((x) => x.seq === undefined)).toBe(true);
  });

  it('join and status events say the device is alive', () => {
    expect(cs('join', { deduplicationId: 'c9dbe358-2578-4fb7-b295-66b44edc45a6', time: '2022-07-18T09:33:28.823500726+00:00', deviceInfo, devAddr: '00189440' })).toEqual({
      status: 'online',
    });
    expect(cs('status', { deduplicationId: 'bf2a9746-1c8b-49be-a92e-f0b89c8534e4', time: '2022-07-18T09:35:06.927172638+00:00', deviceInfo, margin: 10, batteryLevel: 88.3 })).toEqual({
      status: 'online',
    });
  });

  it('a field the decoder did not produce is skipped; the rest still count', () => {
    const r = cs('up', { ...up, object: { soil: { moisture_raw: 390 }, measurements: [{ value: 3.6 }] } });
    expect('readings' in r && r.readings.map((x) => x.sensorId)).toEqual(['soil-lora']);
    expect('readings' in r && r.skipped.map((s) => [s.sensorId, s.reject])).toEqual([['temp-lora', 'missing-field'], ['door-lora', 'missing-field']]);
  });

  it.each([
    ['a frame without object (no codec in the device profile)', 'up', { ...up, object: undefined }, topic('up'), 'no-object'],
    ['a decoded value with a unit in it', 'up', { ...up, object: { soil: { moisture_raw: '405 raw' }, measurements: [{}, { value: '21.5 C' }], door_open: 'no' } }, topic('up'), 'not-a-number'],
    ['nothing mapped in the object', 'up', { ...up, object: { battery: 3.6 } }, topic('up'), 'missing-field'],
    ['an event for another device on our topic', 'up', { ...up, deviceInfo: { ...deviceInfo, devEui: '0202020202020202' } }, topic('up'), 'wrong-device'],
    ['an event without deviceInfo', 'up', { ...up, deviceInfo: undefined }, topic('up'), 'wrong-device'],
    ['a time that is not one', 'up', { ...up, time: 'soon' }, topic('up'), 'bad-timestamp'],
    ['a Protobuf-encoded event (the integration set to Protobuf, not JSON)', 'up', '\n$3ac7e3c4', topic('up'), 'not-json'],
    ['a JSON string', 'up', '"up"', topic('up'), 'not-an-object'],
    ['an ack event', 'ack', { deviceInfo, acknowledged: true, fCntDown: 3 }, topic('ack'), 'unknown-topic'],
    ['another DevEUI’s topic', 'up', up, topic('up', '0202020202020202'), 'unknown-topic'],
  ])('rejects %s', (_what, event, payload, t, reason) => {
    expect(reasonOf(cs(event, payload, t))).toBe(reason);
  });
});

describe('the module around them', () => {
  // Only what the module touches: its slice of the config, and a broker that records.
  const config = {
    site: { id: 's1', timezone: TZ },
    mqttNative: [
      { format: 'esphome', device: 'bins-esp', prefix: 'bins', sensors: { lid: 'binary_sensor/lid' } },
      { format: 'esphome', device: 'copy-esp', prefix: 'bins', sensors: { lid2: 'binary_sensor/lid' } },
    ],
  } as unknown as SiteConfig;
  const handlers = new Map<string, MessageHandler>();
  const published: { topic: string; payload: string; qos?: 0 | 1; retain?: boolean }[] = [];
  const mqtt = {
    subscribe: async (filter: string, handler: MessageHandler) => void handlers.set(filter, handler),
    unsubscribe: async (filter: string) => void handlers.delete(filter),
    publish: async (topic: string, payload: string, o: { qos?: 0 | 1; retain?: boolean } = {}) => void published.push({ topic, payload, ...o }),
  };
  const counters = createCounters();
  const log = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
  const deps = { config, topics: siteTopics('s1'), mqtt, clock: { now: () => NOW }, log, counters } as unknown as ModuleDeps;
  const deliver = (topic: string, text: string, retained: boolean) => handlers.get(topic)?.(topic, Buffer.from(text), retained);

  it('republishes status retained at QoS 1 and live readings at QoS 0; a retained untimed state is old news', async () => {
    const m = createNativeModule(deps);
    await m.start();
    // The second device claims the same topics: it is not subscribed twice.
    expect([...handlers.keys()]).toEqual(['bins/status', 'bins/binary_sensor/lid/state']);
    deliver('bins/status', 'online', true);
    deliver('bins/binary_sensor/lid/state', 'ON', true);
    deliver('bins/binary_sensor/lid/state', 'OFF', false);
    deliver('bins/binary_sensor/lid/state', 'open', false);
    await new Promise((r) => setImmediate(r));
    expect(published).toEqual([
      { topic: 'tongxin/s1/device/bins-esp/status', payload: 'online', qos: 1, retain: true },
      { topic: 'tongxin/s1/sensor/lid/raw', payload: JSON.stringify({ value: 0, at: new Date(NOW).toISOString() }), qos: 0, retain: false },
    ]);
    expect([counters.get('native_ignored', 'retained-untimed'), counters.get('native_rejected', 'not-a-number')]).toEqual([1, 1]);
    await m.stop();
    expect(handlers.size).toBe(0);
  });
});
