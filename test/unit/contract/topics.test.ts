import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterWithin, parseSiteTopic, siteTopics, topicMatches } from '../../../src/contract/topics.js';

describe('topic builders and parser', () => {
  const t = siteTopics('s1');
  it('round-trip the ids in every topic that carries one', () => {
    expect(parseSiteTopic('s1', t.sensorRaw('soil-a'))).toEqual({ kind: 'sensorRaw', sensorId: 'soil-a' });
    expect(parseSiteTopic('s1', t.deviceStatus('node_1'))).toEqual({ kind: 'deviceStatus', deviceId: 'node_1' });
    expect(parseSiteTopic('s1', t.actuatorSet('lid-1'))).toEqual({ kind: 'actuatorSet', actuatorId: 'lid-1' });
    expect(parseSiteTopic('s1', t.crewAck('crew-a'))).toEqual({ kind: 'crewAck', crewId: 'crew-a' });
  });
  it('refuses other sites and malformed ids', () => {
    expect(parseSiteTopic('s1', 'tongxin/s2/sensor/a/raw')).toBeUndefined();
    expect(parseSiteTopic('s1', 'tongxin/s1/sensor/a b/raw')).toEqual({ kind: 'other', levels: ['sensor', 'a b', 'raw'] });
  });
});

describe('topicMatches (MQTT 3.1.1 §4.7)', () => {
  it.each([
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['#', '$SYS/x', false],
    ['+/x', '$SYS/x', false],
    ['a/b', 'a/b/c', false],
    ['a/+', 'a', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

describe('filterWithin', () => {
  it.each([
    ['tongxin/s/#', 'tongxin/s/#', true],
    ['tongxin/s/sensor/+/raw', 'tongxin/s/#', true],
    ['tongxin/+/sensor/a/raw', 'tongxin/s/#', false],
    ['#', 'tongxin/s/#', false],
    ['tongxin/#', 'tongxin/s/#', false],
    ['tongxin/s/crew/a/alert', 'tongxin/s/crew/a/alert', true],
    ['tongxin/s/crew/+/alert', 'tongxin/s/crew/a/alert', false],
    ['tongxin/s/crew/a/#', 'tongxin/s/crew/a/alert', false],
  ])('%s within %s: %s', (filter, allowed, expected) => {
    expect(filterWithin(filter, allowed)).toBe(expected);
  });

  it('whatever a filter within an allowed pattern matches, the pattern matches too', () => {
    const level = fc.constantFrom('a', 'b', '+', '#');
    const filterArb = fc.array(level, { minLength: 1, maxLength: 4 }).map((l) => l.join('/'));
    const topicArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));
    fc.assert(
      fc.property(filterArb, filterArb, topicArb, (filter, allowed, topic) => {
        if (filterWithin(filter, allowed) && topicMatches(filter, topic)) expect(topicMatches(allowed, topic)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
