import { describe, expect, it } from 'vitest';
import { ID_PROPERTY, QUEUED_AT_PROPERTY, encodeForwarded, readForwarded } from '../../../src/uplink/envelope.js';

const msg = { id: 'AbCdEfGh-42', queuedAt: 1_750_000_000_123, payload: Buffer.from('{"fill":81,"level":"warn"}') };

describe('uplink envelope', () => {
  it('MQTT 5: payload untouched, id and queue time as user properties', () => {
    const e = encodeForwarded('mqtt5', msg);
    expect(e.payload.equals(msg.payload)).toBe(true);
    expect(e.properties?.userProperties).toEqual({ [ID_PROPERTY]: msg.id, [QUEUED_AT_PROPERTY]: String(msg.queuedAt) });
    expect(readForwarded(e.payload, e.properties)).toEqual(msg);
  });

  it('MQTT 3.1.1: a JSON envelope around the original text, read back byte for byte', () => {
    const e = encodeForwarded('mqtt3.1.1', msg);
    expect(e.properties).toBeUndefined();
    expect(JSON.parse(e.payload.toString())).toEqual({ tongxinId: msg.id, queuedAt: msg.queuedAt, payload: msg.payload.toString() });
    expect(readForwarded(e.payload)).toEqual(msg);
  });

  it('MQTT 3.1.1: a payload that is not UTF-8 travels as base64', () => {
    const binary = { ...msg, payload: Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x7b]) };
    const e = encodeForwarded('mqtt3.1.1', binary);
    expect(JSON.parse(e.payload.toString())).toHaveProperty('payloadBase64');
    expect(readForwarded(e.payload)?.payload.equals(binary.payload)).toBe(true);
    // Empty payloads (a retained message being cleared) survive too.
    const empty = encodeForwarded('mqtt3.1.1', { ...msg, payload: Buffer.alloc(0) });
    expect(readForwarded(empty.payload)?.payload.length).toBe(0);
  });

  it('finds no id in a message that was not forwarded by an uplink', () => {
    for (const p of ['42', '{"value":3}', '{"tongxinId":5,"queuedAt":1,"payload":"x"}', '{"tongxinId":"a","payload":"x"}', '{not json', '']) {
      expect(readForwarded(Buffer.from(p)), p).toBeUndefined();
    }
    expect(readForwarded(Buffer.from('x'), { userProperties: {} })).toBeUndefined();
  });
});
