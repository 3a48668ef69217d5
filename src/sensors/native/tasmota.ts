import type { MqttNativeDeviceConfig } from '../../config/links-schema.js';
import { localToEpoch } from '../../waste/local-time.js';
import { parseJsonObject, readSensors, readingsOrReject, reject, type NativeResult } from './field-path.js';

/**
 * Tasmota (https://tasmota.github.io/docs/MQTT/): every TelePeriod it publishes its sensors as one
 * JSON object on `tele/<topic>/SENSOR`, e.g.
 *   {"Time":"2026-05-04T08:15:00","ANALOG":{"A0":405},"DS18B20":{"Id":"01144A0CB2AA","Temperature":21.4},"TempUnit":"C"}
 * and its availability, retained and as its last will, on `tele/<topic>/LWT`: `Online` / `Offline`.
 * `Time` is the device's local wall time without a zone (unless SetOption52 adds an offset), so it
 * is read in the site's timezone.
 */
export type TasmotaDevice = Extract<MqttNativeDeviceConfig, { format: 'tasmota' }>;

export const tasmotaTopics = (d: TasmotaDevice) => ({ sensor: `tele/${d.topic}/SENSOR`, lwt: `tele/${d.topic}/LWT` });

export function tasmotaFilters(d: TasmotaDevice): string[] {
  const t = tasmotaTopics(d);
  return [t.lwt, t.sensor];
}

// Before 2020 is a device whose clock never synced (Tasmota starts at 1970), not history.
const EARLIEST = Date.UTC(2020, 0, 1);
const TIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})?$/;

/** Tasmota's `Time` as epoch ms, `null` when its clock is unset, `undefined` when it is not a time. */
export function parseTasmotaTime(time: string, timezone: string): number | null | undefined {
  const m = TIME_RE.exec(time);
  if (!m) return undefined;
  const [, date, hh, mm, ss, frac, zone] = m;
  let at: number;
  if (zone !== undefined) {
    at = Date.parse(time);
  } else {
    const hours = Number(hh);
    const minutes = Number(mm);
    const seconds = Number(ss);
    if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
    try {
      at = localToEpoch(date as string, hours * 60 + minutes, timezone) + seconds * 1000 + Math.round(Number(frac ?? 0) * 1000);
    } catch {
      return undefined; // an impossible date such as 2026-02-30
    }
  }
  if (!Number.isFinite(at)) return undefined;
  return at < EARLIEST ? null : at;
}

export function translateTasmota(d: TasmotaDevice, topic: string, payload: Buffer, now: number, timezone: string): NativeResult {
  const t = tasmotaTopics(d);
  if (topic === t.lwt) {
    const text = payload.toString('utf8').trim().toLowerCase();
    if (text === 'online' || text === 'offline') return { status: text };
    return reject('bad-status', `LWT ${JSON.stringify(payload.toString('utf8').slice(0, 40))} is neither Online nor Offline`);
  }
  if (topic !== t.sensor) return reject('unknown-topic', `${topic} is not tele/${d.topic}/SENSOR or LWT`);

  const json = parseJsonObject(payload);
  if (!('ok' in json)) return json;
  const body = json.value;

  let at = now;
  let timed = false;
  if (body.Time !== undefined) {
    const parsed = typeof body.Time === 'string' ? parseTasmotaTime(body.Time, timezone) : undefined;
    if (parsed === undefined) return reject('bad-timestamp', `Time=${JSON.stringify(body.Time)}`);
    // A Tasmota on a lounge LAN without internet may never reach NTP: its reading is still current
    // (it publishes as it measures), so it is taken at our time rather than thrown away.
    if (parsed !== null) {
      at = parsed;
      timed = true;
    }
  }
  return readingsOrReject(readSensors(body, d.sensors, { at, timed }, { onOff: true }));
}
