import { Ajv } from 'ajv';
import type { Static } from '@sinclair/typebox';
import { ActuatorRequestPayload, ActuatorSetPayload, ActuatorStatePayload, AlertRequestPayload, CrewAckPayload, MAX_PAYLOAD_BYTES, REQUEST_ID_PATTERN, SensorRawPayload, DeviceStatusPayload, type DeviceStatusValue } from './payloads.js';

/**
 * Turning bytes from outside into trusted values. Nothing here throws: a bad message comes back as
 * a reason, which the caller counts and logs (DESIGN.md: "counted and logged with its reason").
 */
export type RejectReason =
  | 'too-large'
  | 'not-json'
  | 'schema'
  | 'bad-timestamp'
  | 'unknown-sensor'
  | 'unknown-device'
  | 'not-our-topic';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: RejectReason; detail: string };

const ajv = new Ajv({ allErrors: false, strict: false });
const validateRaw = ajv.compile<SensorRawPayload>(SensorRawPayload);
const validateAck = ajv.compile<Static<typeof CrewAckPayload>>(CrewAckPayload);
const validateActuatorState = ajv.compile<Static<typeof ActuatorStatePayload>>(ActuatorStatePayload);
const validateActuatorSet = ajv.compile<ActuatorSetPayload>(ActuatorSetPayload);
const validateStatus = ajv.compile<Static<typeof DeviceStatusPayload>>(DeviceStatusPayload);
const validateActuatorRequest = ajv.compile<ActuatorRequestPayload>(ActuatorRequestPayload);
const validateAlertRequest = ajv.compile<AlertRequestPayload>(AlertRequestPayload);
const REQUEST_ID_RE = new RegExp(REQUEST_ID_PATTERN, 'u');

export interface RawReading {
  raw: number;
  at: number;
  seq?: number;
}

// Readings from before 2020 are a device with an unset clock, not history; after 2100, garbage (the
// largest epoch numbers are not even a valid Date, and one such reading would sort after all others).
const EARLIEST = Date.UTC(2020, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
// ISO-8601 (or RFC 3339 with a space) only: Date.parse alone reads "sensor 2021" as 1 January 2021.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

function parseAt(at: string | number | undefined, now: number): number | undefined {
  if (at === undefined) return now;
  if (typeof at === 'string' && !ISO_TIME.test(at)) return undefined;
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > LATEST) return undefined;
  return ms;
}

function parseJson(payload: Buffer): Parsed<unknown> {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    return { ok: false, reason: 'too-large', detail: `${payload.length} bytes > ${MAX_PAYLOAD_BYTES}` };
  }
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) };
  } catch (err) {
    return { ok: false, reason: 'not-json', detail: (err as Error).message };
  }
}

export function parseSensorRaw(payload: Buffer, now: number): Parsed<RawReading[]> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateRaw(json.value)) {
    return { ok: false, reason: 'schema', detail: ajv.errorsText(validateRaw.errors) };
  }
  const body = json.value;
  const items = typeof body === 'number' ? [{ value: body }] : Array.isArray(body) ? body : [body];
  const out: RawReading[] = [];
  for (const item of items) {
    // JSON has no Infinity, but 1e400 parses as one: a value no sensor measured.
    if (!Number.isFinite(item.value)) return { ok: false, reason: 'schema', detail: 'value is not a finite number' };
    const at = parseAt(item.at, now);
    if (at === undefined) return { ok: false, reason: 'bad-timestamp', detail: `at=${JSON.stringify(item.at)}` };
    out.push(item.seq === undefined ? { raw: item.value, at } : { raw: item.value, at, seq: item.seq });
  }
  return { ok: true, value: out };
}

export function parseDeviceStatus(payload: Buffer): Parsed<DeviceStatusValue> {
  const text = payload.toString('utf8').trim();
  if (text === 'online' || text === 'offline') return { ok: true, value: text };
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateStatus(json.value)) {
    return { ok: false, reason: 'schema', detail: ajv.errorsText(validateStatus.errors) };
  }
  const body = json.value;
  return { ok: true, value: typeof body === 'string' ? body : body.status };
}

export function parseCrewAck(payload: Buffer): Parsed<{ alertId: string }> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateAck(json.value)) return { ok: false, reason: 'schema', detail: ajv.errorsText(validateAck.errors) };
  return { ok: true, value: { alertId: json.value.alertId } };
}

/** service → bridge: a command for an actuator. */
export function parseActuatorSet(payload: Buffer): Parsed<ActuatorSetPayload> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateActuatorSet(json.value)) return { ok: false, reason: 'schema', detail: ajv.errorsText(validateActuatorSet.errors) };
  return { ok: true, value: json.value };
}

export type ActuatorReportedState = 'open' | 'closed' | 'on' | 'off';
export interface ActuatorReport {
  /** undefined when the bridge does not know (a command failed before any state was reported). */
  state: ActuatorReportedState | undefined;
  failed?: { requested: ActuatorReportedState; reason: string };
}

export function parseActuatorState(payload: Buffer): Parsed<ActuatorReport> {
  const text = payload.toString('utf8').trim();
  if (text === 'open' || text === 'closed' || text === 'on' || text === 'off') return { ok: true, value: { state: text } };
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateActuatorState(json.value)) return { ok: false, reason: 'schema', detail: ajv.errorsText(validateActuatorState.errors) };
  const body = json.value;
  if (typeof body === 'string') return { ok: true, value: { state: body } };
  const state = body.state === 'unknown' ? undefined : body.state;
  return { ok: true, value: body.failed ? { state, failed: body.failed } : { state } };
}

/** Node-RED → service: a request to move an actuator. */
export function parseActuatorRequest(payload: Buffer): Parsed<ActuatorRequestPayload> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateActuatorRequest(json.value)) return { ok: false, reason: 'schema', detail: ajv.errorsText(validateActuatorRequest.errors) };
  return { ok: true, value: json.value };
}

/** Node-RED → service: a request to ack or resolve an alert. */
export function parseAlertRequest(payload: Buffer): Parsed<AlertRequestPayload> {
  const json = parseJson(payload);
  if (!json.ok) return json;
  if (!validateAlertRequest(json.value)) return { ok: false, reason: 'schema', detail: ajv.errorsText(validateAlertRequest.errors) };
  return { ok: true, value: json.value };
}

/**
 * The requestId of a request that failed its schema, if one can be read: the sender then gets a
 * refusal on its reply topic instead of waiting for a reply that never comes.
 */
export function readRequestId(payload: Buffer): string | undefined {
  if (payload.length > MAX_PAYLOAD_BYTES) return undefined;
  try {
    const body: unknown = JSON.parse(payload.toString('utf8'));
    const id = body && typeof body === 'object' && 'requestId' in body ? body.requestId : undefined;
    return typeof id === 'string' && REQUEST_ID_RE.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
