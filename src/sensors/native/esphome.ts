import type { MqttNativeDeviceConfig } from '../../config/links-schema.js';
import { reject, type NativeReading, type NativeResult } from './field-path.js';

/**
 * ESPHome's MQTT component (https://esphome.io/components/mqtt.html): availability on
 * `<topic_prefix>/status` (`online` as its birth message, `offline` as its last will, both retained)
 * and one plain-text state topic per entity:
 *   <prefix>/sensor/<object_id>/state         "21.50" — or "nan" (or "None" with publish_nan_as_none)
 *                                              while the sensor has no valid value
 *   <prefix>/binary_sensor/<object_id>/state  "ON" / "OFF"
 * The payload carries no time, so a reading is taken at `now`.
 */
export type EsphomeDevice = Extract<MqttNativeDeviceConfig, { format: 'esphome' }>;

const statusTopic = (d: EsphomeDevice) => `${d.prefix}/status`;
const stateTopic = (d: EsphomeDevice, entity: string) => `${d.prefix}/${entity}/state`;

export function esphomeFilters(d: EsphomeDevice): string[] {
  return [statusTopic(d), ...new Set(Object.values(d.sensors).map((entity) => stateTopic(d, entity)))];
}

// What ESPHome's value_accuracy_to_string prints for a finite float: no hex, no Infinity, no blanks.
const NUMBER_RE = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function stateValue(entity: string, text: string): number | undefined {
  if (entity.startsWith('binary_sensor/')) return text === 'ON' ? 1 : text === 'OFF' ? 0 : undefined;
  if (!NUMBER_RE.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined; // "1e400" matches, but is no measurement
}

export function translateEsphome(d: EsphomeDevice, topic: string, payload: Buffer, now: number): NativeResult {
  const text = payload.toString('utf8').trim();
  if (topic === statusTopic(d)) {
    if (text === 'online' || text === 'offline') return { status: text };
    return reject('bad-status', `status ${JSON.stringify(text.slice(0, 40))} is neither online nor offline`);
  }
  const entries = Object.entries(d.sensors).filter(([, entity]) => stateTopic(d, entity) === topic);
  const first = entries[0];
  if (!first) return reject('unknown-topic', `${topic} is not a state topic of ${d.prefix}`);
  if (payload.length > 64) return reject('too-large', `${payload.length} bytes for a single ESPHome state`);
  const value = stateValue(first[1], text);
  if (value === undefined) {
    const expected = first[1].startsWith('binary_sensor/') ? 'ON or OFF' : 'a number';
    return reject('not-a-number', `${first[1]} is ${JSON.stringify(text.slice(0, 40))}, expected ${expected}`);
  }
  // Two sensor ids may read one entity (say, a raw and a differently calibrated view).
  const readings: NativeReading[] = entries.map(([sensorId]) => ({ sensorId, value, at: now, timed: false }));
  return { readings, skipped: [] };
}
