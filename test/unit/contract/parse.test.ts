import { describe, expect, it } from 'vitest';
import { parseDeviceStatus, parseSensorRaw } from '../../../src/contract/parse.js';
import { MAX_PAYLOAD_BYTES } from '../../../src/contract/payloads.js';

const NOW = Date.UTC(2026, 10, 28, 6, 0);
const b = (s: string) => Buffer.from(s);

describe('parseSensorRaw', () => {
  it('accepts a bare number, an object and a batch', () => {
    expect(parseSensorRaw(b('42.5'), NOW)).toEqual({ ok: true, value: [{ raw: 42.5, at: NOW }] });
    expect(parseSensorRaw(b('{"value":1,"at":"2026-11-28T13:59:00+08:00","seq":7}'), NOW)).toEqual({
      ok: true,
      value: [{ raw: 1, at: Date.UTC(2026, 10, 28, 5, 59), seq: 7 }],
    });
    expect(parseSensorRaw(b('[{"value":1,"at":1795836000000},{"value":2}]'), NOW)).toEqual({
      ok: true,
      value: [
        { raw: 1, at: 1795836000000 },
        { raw: 2, at: NOW },
      ],
    });
  });

  it.each([
    ['not json', 'not-json'],
    ['', 'not-json'],
    ['"12"', 'schema'],
    ['{"val":1}', 'schema'],
    ['{"value":1,"extra":true}', 'schema'],
    ['{"value":"1"}', 'schema'],
    ['[]', 'schema'],
    ['null', 'schema'],
    ['{"value":1,"at":"yesterday-ish"}', 'bad-timestamp'],
    ['{"value":1,"at":12}', 'bad-timestamp'],
    ['{"value":1,"at":"1970-01-01T00:00:00Z"}', 'bad-timestamp'],
  ])('rejects %j as %s', (payload, reason) => {
    const r = parseSensorRaw(b(payload), NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason).toBe(reason);
      expect(r.detail.length).toBeGreaterThan(0);
    }
  });

  it('rejects an oversized payload before parsing it', () => {
    const r = parseSensorRaw(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 0x20), NOW);
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
  });
});

describe('parseDeviceStatus', () => {
  it('accepts plain text and JSON', () => {
    expect(parseDeviceStatus(b('online'))).toEqual({ ok: true, value: 'online' });
    expect(parseDeviceStatus(b('offline\n'))).toEqual({ ok: true, value: 'offline' });
    expect(parseDeviceStatus(b('{"status":"offline"}'))).toEqual({ ok: true, value: 'offline' });
  });
  it('rejects anything else with a reason', () => {
    expect(parseDeviceStatus(b('maybe'))).toMatchObject({ ok: false, reason: 'not-json' });
    expect(parseDeviceStatus(b('{"status":"sleepy"}'))).toMatchObject({ ok: false, reason: 'schema' });
  });
});
