import { MAX_PAYLOAD_BYTES } from '../../contract/payloads.js';

/**
 * What the three native translators (Tasmota, ESPHome, ChirpStack) share: the shape of their answer,
 * the reasons they reject a message for, and reading one value out of a device's own JSON by a
 * dotted path such as `ANALOG.A0`, `DS18B20-1.Temperature` or `sensors[0].value`. Nothing here
 * throws: a message from a device is data, and bad data is a reason, never an exception.
 */

export type NativeRejectReason =
  | 'too-large'
  | 'not-json'
  | 'not-an-object'
  | 'missing-field'
  | 'not-a-number'
  | 'bad-timestamp'
  | 'bad-status'
  | 'no-object'
  | 'wrong-device'
  | 'unknown-topic';

export interface NativeReading {
  sensorId: string;
  value: number;
  /** epoch ms: the device's own time when it sent one, else `now` */
  at: number;
  /** `at` came from the payload, not from our clock (a retained message without it is stale, not new) */
  timed: boolean;
  /** the device's frame counter, for gap detection (ChirpStack `fCnt`) */
  seq?: number;
}

export interface NativeReject {
  reject: NativeRejectReason;
  detail: string;
}

/** One sensor of a multi-sensor payload that could not be read; its siblings still count. */
export interface NativeSkip extends NativeReject {
  sensorId: string;
}

export type NativeResult =
  | { readings: NativeReading[]; skipped: NativeSkip[] }
  | { status: 'online' | 'offline' }
  | NativeReject;

export const reject = (reason: NativeRejectReason, detail: string): NativeReject => ({ reject: reason, detail: detail.slice(0, 200) });

/** A JSON object payload, or why not. Arrays and bare values are not objects here. */
export function parseJsonObject(payload: Buffer): { ok: true; value: Record<string, unknown> } | NativeReject {
  if (payload.length > MAX_PAYLOAD_BYTES) return reject('too-large', `${payload.length} bytes > ${MAX_PAYLOAD_BYTES}`);
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return reject('not-json', (err as Error).message);
  }
  return isObject(value) ? { ok: true, value } : reject('not-an-object', `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SEGMENT = /^([^[\]]+)?((?:\[\d+\])*)$/;

/**
 * The value at `path` in `root`: dots separate object keys, `[n]` indexes arrays (a decoded LoRaWAN
 * payload often carries a list of measurements). Only own properties are followed, so a path such as
 * `__proto__.x` finds nothing instead of reaching into Object.prototype.
 */
export function readPath(root: unknown, path: string): { found: true; value: unknown } | { found: false; missing: string } {
  let node = root;
  let walked = '';
  for (const segment of path.split('.')) {
    const m = SEGMENT.exec(segment);
    if (!m || segment === '') return { found: false, missing: `${walked}${walked ? '.' : ''}${segment}` };
    const steps: (string | number)[] = [];
    if (m[1] !== undefined) steps.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
    for (const step of steps) {
      walked += typeof step === 'number' ? `[${step}]` : `${walked ? '.' : ''}${step}`;
      const next = stepInto(node, step);
      if (next === undefined) return { found: false, missing: walked };
      node = next;
    }
  }
  return { found: true, value: node };
}

function stepInto(node: unknown, step: string | number): unknown {
  if (Array.isArray(node)) {
    // `list.0` is read like `list[0]`: both spellings turn up in hand-written site files.
    const i = typeof step === 'number' ? step : /^\d+$/.test(step) ? Number(step) : NaN;
    return Number.isInteger(i) && i < node.length ? node[i] : undefined;
  }
  if (isObject(node) && typeof step === 'string' && Object.hasOwn(node, step)) return node[step];
  return undefined;
}

/**
 * A field's value as a reading: a finite number as it is, a JSON boolean as 1/0 (decoders write
 * `"open": true`), and with `onOff` the strings ON/OFF as 1/0 (how Tasmota reports a switch).
 * Strings with units ("3.38 V"), nulls, NaN and objects are not numbers.
 */
export function asNumber(value: unknown, opts: { onOff?: boolean } = {}): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (opts.onOff && typeof value === 'string') {
    const s = value.trim().toUpperCase();
    if (s === 'ON') return 1;
    if (s === 'OFF') return 0;
  }
  return undefined;
}

/** Readings for every mapped sensor found in `root`; the ones missing or not numeric are skipped with their reason. */
export function readSensors(
  root: unknown,
  sensors: Record<string, string>,
  stamp: { at: number; timed: boolean; seq?: number },
  opts: { onOff?: boolean; where?: string } = {},
): { readings: NativeReading[]; skipped: NativeSkip[] } {
  const readings: NativeReading[] = [];
  const skipped: NativeSkip[] = [];
  const where = opts.where ? `${opts.where}.` : '';
  for (const [sensorId, path] of Object.entries(sensors)) {
    const field = readPath(root, path);
    if (!field.found) {
      skipped.push({ sensorId, ...reject('missing-field', `no ${where}${field.missing} (path ${path})`) });
      continue;
    }
    const value = asNumber(field.value, opts);
    if (value === undefined) {
      skipped.push({ sensorId, ...reject('not-a-number', `${where}${path} is ${JSON.stringify(field.value) ?? 'undefined'}`) });
      continue;
    }
    readings.push({ sensorId, value, ...stamp });
  }
  return { readings, skipped };
}

/**
 * Multi-sensor payloads: the readings that could be read, with the others reported beside them. When
 * none could, the message as a whole is rejected with the first sensor's reason.
 */
export function readingsOrReject(r: { readings: NativeReading[]; skipped: NativeSkip[] }): NativeResult {
  const first = r.skipped[0];
  if (r.readings.length === 0 && first) return reject(first.reject, `${first.sensorId}: ${first.detail}`);
  return r;
}
