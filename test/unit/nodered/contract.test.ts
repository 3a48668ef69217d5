import { describe, expect, it } from 'vitest';
import { parseActuatorRequest, parseAlertRequest, readRequestId } from '../../../src/contract/parse.js';
import { MAX_PAYLOAD_BYTES } from '../../../src/contract/payloads.js';
import { parseSiteTopic, siteTopics } from '../../../src/contract/topics.js';

const t = siteTopics('s1');
const b = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('the Node-RED topics', () => {
  it('are built under the site and parsed back', () => {
    expect(t.sensorValue('soil-a')).toBe('tongxin/s1/sensor/soil-a/value');
    expect(t.actuatorRequest('valve-a')).toBe('tongxin/s1/request/actuator/valve-a');
    expect(t.alertRequest('a-1')).toBe('tongxin/s1/request/alert/a-1');
    expect(t.reply('r-1')).toBe('tongxin/s1/reply/r-1');
    expect(t.privateEvent('signup.promoted')).toBe('tongxin/s1/private/signup.promoted');
    expect(parseSiteTopic('s1', t.actuatorRequest('valve-a'))).toEqual({ kind: 'actuatorRequest', actuatorId: 'valve-a' });
    expect(parseSiteTopic('s1', t.alertRequest('0b6c8a52-6f1e-4a53-9d0e-2f4f1b7f9a10'))).toEqual({ kind: 'alertRequest', alertId: '0b6c8a52-6f1e-4a53-9d0e-2f4f1b7f9a10' });
    expect(parseSiteTopic('s1', 'tongxin/s1/request/actuator/bad id')).toEqual({ kind: 'other', levels: ['request', 'actuator', 'bad id'] });
    expect(parseSiteTopic('s1', 'tongxin/s1/request/pickup/x')).toEqual({ kind: 'other', levels: ['request', 'pickup', 'x'] });
  });
});

describe('parseActuatorRequest', () => {
  it('accepts a request with or without minutes and reason', () => {
    expect(parseActuatorRequest(b({ requestId: 'r1', state: 'on', minutes: 10, reason: 'bed is dry' }))).toEqual({ ok: true, value: { requestId: 'r1', state: 'on', minutes: 10, reason: 'bed is dry' } });
    expect(parseActuatorRequest(b({ requestId: 'f3c0a2b1e4d5c6b7', state: 'off' }))).toMatchObject({ ok: true });
  });
  it.each([
    ['not json', 'not-json'],
    [{ state: 'on' }, 'schema'],
    [{ requestId: '', state: 'on' }, 'schema'],
    [{ requestId: 'x'.repeat(65), state: 'on' }, 'schema'],
    [{ requestId: 'a/b', state: 'on' }, 'schema'],
    [{ requestId: 'a#', state: 'on' }, 'schema'],
    [{ requestId: 'r1', state: 'on', minutes: 0 }, 'schema'],
    [{ requestId: 'r1', state: 'on', minutes: 24 * 60 + 1 }, 'schema'],
    [{ requestId: 'r1', state: 'on', minutes: '5' }, 'schema'],
    [{ requestId: 'r1' }, 'schema'],
  ])('refuses %j (%s)', (body, reason) => {
    expect(parseActuatorRequest(b(body))).toMatchObject({ ok: false, reason });
  });
  it('refuses what is too large before parsing it', () => {
    expect(parseActuatorRequest(Buffer.alloc(MAX_PAYLOAD_BYTES + 1, 32))).toMatchObject({ ok: false, reason: 'too-large' });
  });
});

describe('parseAlertRequest', () => {
  it('accepts ack and resolve, a note only as text', () => {
    expect(parseAlertRequest(b({ requestId: 'r1', action: 'ack' }))).toEqual({ ok: true, value: { requestId: 'r1', action: 'ack' } });
    expect(parseAlertRequest(b({ requestId: 'r1', action: 'resolve', note: 'emptied by hand' }))).toMatchObject({ ok: true, value: { note: 'emptied by hand' } });
    expect(parseAlertRequest(b({ requestId: 'r1', action: 'escalate' }))).toMatchObject({ ok: false, reason: 'schema' });
    expect(parseAlertRequest(b({ requestId: 'r1', action: 'resolve', note: 7 }))).toMatchObject({ ok: false, reason: 'schema' });
  });
});

describe('readRequestId', () => {
  it('finds the id of a request that failed its schema, so it can be refused on its reply topic', () => {
    expect(readRequestId(b({ requestId: 'r9', state: 42 }))).toBe('r9');
    expect(readRequestId(b({ requestId: 'a/b' }))).toBeUndefined();
    expect(readRequestId(b({ requestId: 7 }))).toBeUndefined();
    expect(readRequestId(b('[1,2]'))).toBeUndefined();
    expect(readRequestId(b('null'))).toBeUndefined();
    expect(readRequestId(b('{'))).toBeUndefined();
  });
});
