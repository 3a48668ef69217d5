/**
 * How a forwarded message carries its stable id to the central side, by which a consumer drops the
 * duplicates that a re-send after a reconnect produces (dedupe.ts).
 *
 * - MQTT 5: the payload is untouched; the id and the time it was queued at the site travel as user
 *   properties `tongxin-id` and `tongxin-queued-at`.
 * - MQTT 3.1.1 has no properties: the payload is wrapped in a JSON envelope
 *   `{"tongxinId": "...", "queuedAt": 1700000000000, "payload": "<the original payload as text>"}`
 *   (`payloadBase64` instead of `payload` when the original is not UTF-8).
 *
 * `readForwarded` reads either form, so a consumer works whichever protocol a site's uplink uses.
 */
export const ID_PROPERTY = 'tongxin-id';
export const QUEUED_AT_PROPERTY = 'tongxin-queued-at';

export interface Forwarded {
  id: string;
  /** Epoch ms the site queued it: how late a message arrives after an outage. */
  queuedAt: number;
  payload: Buffer;
}

export type UplinkProtocol = 'mqtt5' | 'mqtt3.1.1';

export interface Encoded {
  payload: Buffer;
  properties?: { userProperties: Record<string, string> };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeForwarded(protocol: UplinkProtocol, m: Forwarded): Encoded {
  if (protocol === 'mqtt5') {
    return { payload: m.payload, properties: { userProperties: { [ID_PROPERTY]: m.id, [QUEUED_AT_PROPERTY]: String(m.queuedAt) } } };
  }
  let text: string | undefined;
  try {
    text = utf8.decode(m.payload);
  } catch {
    text = undefined;
  }
  const body = text === undefined ? { payloadBase64: m.payload.toString('base64') } : { payload: text };
  return { payload: Buffer.from(JSON.stringify({ tongxinId: m.id, queuedAt: m.queuedAt, ...body })) };
}

type UserProperties = Record<string, string | string[]> | undefined;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The id, queue time and original payload of a forwarded message, or undefined when it carries none. */
export function readForwarded(payload: Buffer, properties?: { userProperties?: UserProperties }): Forwarded | undefined {
  const id = first(properties?.userProperties?.[ID_PROPERTY]);
  if (id !== undefined) {
    const queuedAt = Number(first(properties?.userProperties?.[QUEUED_AT_PROPERTY]));
    return { id, queuedAt: Number.isFinite(queuedAt) ? queuedAt : NaN, payload };
  }
  // Cheap test first: an envelope is a JSON object starting with its id.
  if (payload.length < 14 || payload[0] !== 0x7b) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null) return undefined;
  const e = doc as { tongxinId?: unknown; queuedAt?: unknown; payload?: unknown; payloadBase64?: unknown };
  if (typeof e.tongxinId !== 'string' || typeof e.queuedAt !== 'number') return undefined;
  if (typeof e.payload === 'string') return { id: e.tongxinId, queuedAt: e.queuedAt, payload: Buffer.from(e.payload, 'utf8') };
  if (typeof e.payloadBase64 === 'string') return { id: e.tongxinId, queuedAt: e.queuedAt, payload: Buffer.from(e.payloadBase64, 'base64') };
  return undefined;
}
