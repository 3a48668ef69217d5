import type { MqttNativeDeviceConfig } from '../../config/links-schema.js';
import { isObject, parseJsonObject, readSensors, readingsOrReject, reject, type NativeResult } from './field-path.js';

/**
 * ChirpStack v4's MQTT integration (https://www.chirpstack.io/docs/chirpstack/integrations/events.html),
 * JSON encoding, on `application/<applicationId>/device/<devEui>/event/<type>`:
 *   up     {"deduplicationId", "time": "2022-07-18T09:34:15.775023242+00:00", "deviceInfo": {..., "devEui"},
 *           "fCnt", "fPort", "data": <base64>, "object": {...decoded...}, "rxInfo", "txInfo"}
 *          `object` is there only when the device profile has a codec; proto3 JSON leaves out zero
 *          values, so `fCnt` is absent on the first frame.
 *   join   {"deduplicationId", "time", "deviceInfo", "devAddr"}: the device (re)joined the network
 *   status {"deduplicationId", "time", "deviceInfo", "margin", "batteryLevel", ...}: it answered a
 *          DevStatusReq
 * LoRaWAN has no last will: a join or a status answer says the device is alive, and silence is
 * turned into offline by the devices module's offlineAfterSeconds, as for any other device.
 */
export type ChirpstackDevice = Extract<MqttNativeDeviceConfig, { format: 'chirpstack' }>;

const EVENTS = ['up', 'join', 'status'] as const;

// ChirpStack writes the DevEUI in lowercase hex, in the topic and in deviceInfo.
const eventTopic = (d: ChirpstackDevice, event: string) => `application/${d.application}/device/${d.devEui.toLowerCase()}/event/${event}`;

export const chirpstackFilters = (d: ChirpstackDevice): string[] => EVENTS.map((e) => eventTopic(d, e));

export function translateChirpstack(d: ChirpstackDevice, topic: string, payload: Buffer, now: number): NativeResult {
  const event = EVENTS.find((e) => eventTopic(d, e) === topic);
  if (!event) return reject('unknown-topic', `${topic} is not an up, join or status event of ${d.devEui}`);

  const json = parseJsonObject(payload);
  if (!('ok' in json)) return json;
  const body = json.value;

  // The ChirpStack user may publish for every application in the site file; the payload must at
  // least agree with the topic about whose event this is.
  const info = body.deviceInfo;
  const devEui = isObject(info) && typeof info.devEui === 'string' ? info.devEui : undefined;
  if (devEui === undefined) return reject('wrong-device', 'no deviceInfo.devEui');
  if (devEui.toLowerCase() !== d.devEui.toLowerCase()) return reject('wrong-device', `deviceInfo.devEui ${devEui} on the topic of ${d.devEui}`);

  if (event !== 'up') return { status: 'online' };

  let at = now;
  let timed = false;
  if (body.time !== undefined) {
    const parsed = typeof body.time === 'string' ? Date.parse(body.time) : NaN;
    if (!Number.isFinite(parsed)) return reject('bad-timestamp', `time=${JSON.stringify(body.time)}`);
    at = parsed;
    timed = true;
  }
  if (!isObject(body.object)) return reject('no-object', `fPort ${String(body.fPort ?? '?')}: no decoded object (is a codec set in the device profile?)`);
  const fCnt = body.fCnt;
  const seq = typeof fCnt === 'number' && Number.isInteger(fCnt) && fCnt >= 0 ? fCnt : undefined;
  return readingsOrReject(readSensors(body.object, d.sensors, seq === undefined ? { at, timed } : { at, timed, seq }, { where: 'object' }));
}
