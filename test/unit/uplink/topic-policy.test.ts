import { describe, expect, it } from 'vitest';
import { QueueClass, createTopicPolicy } from '../../../src/uplink/topic-policy.js';

const DEFAULT_EXCLUDE = ['sensor/+/raw', 'bridge/+/heartbeat', 'request/#', 'reply/#'];
const policy = (o: { topics?: string[]; exclude?: string[]; topicPrefix?: string } = {}) =>
  createTopicPolicy({ siteId: 's1', topics: o.topics ?? ['#'], exclude: o.exclude ?? DEFAULT_EXCLUDE, topicPrefix: o.topicPrefix });

describe('uplink topic policy', () => {
  it('forwards the site’s messages with their class, and keeps the rest at home', () => {
    const p = policy();
    const cases: [string, boolean, ReturnType<typeof p.decide>][] = [
      ['tongxin/s1/alert/bin-full', false, { forward: true, centralTopic: 'tongxin/s1/alert/bin-full', retain: false, class: QueueClass.message }],
      ['tongxin/s1/event/signup.created', false, { forward: true, centralTopic: 'tongxin/s1/event/signup.created', retain: false, class: QueueClass.message }],
      ['tongxin/s1/sensor/soil-a/value', false, { forward: true, centralTopic: 'tongxin/s1/sensor/soil-a/value', retain: false, class: QueueClass.reading }],
      // State by the contract even when the broker cleared the retain flag on a live delivery.
      ['tongxin/s1/bin/b1/state', false, { forward: true, centralTopic: 'tongxin/s1/bin/b1/state', retain: true, class: QueueClass.state }],
      ['tongxin/s1/lounge/occupancy', false, { forward: true, centralTopic: 'tongxin/s1/lounge/occupancy', retain: true, class: QueueClass.state }],
      ['tongxin/s1/device/d1/status', false, { forward: true, centralTopic: 'tongxin/s1/device/d1/status', retain: true, class: QueueClass.state }],
      // Retained on arrival (the subscription's snapshot) is state whatever the topic.
      ['tongxin/s1/something/new', true, { forward: true, centralTopic: 'tongxin/s1/something/new', retain: true, class: QueueClass.state }],
      ['tongxin/s1/private/signup.promoted', false, { forward: false, reason: 'private' }],
      ['tongxin/s1/private/a/b/c', true, { forward: false, reason: 'private' }],
      ['tongxin/s1/sensor/soil-a/raw', false, { forward: false, reason: 'excluded' }],
      ['tongxin/s1/request/alert/a1', false, { forward: false, reason: 'excluded' }],
      ['tongxin/s1/reply/r1', false, { forward: false, reason: 'excluded' }],
      ['tongxin/s1/bridge/l1/heartbeat', false, { forward: false, reason: 'excluded' }],
      ['tongxin/s2/alert/bin-full', false, { forward: false, reason: 'other-site' }],
      ['tongxin/s1', false, { forward: false, reason: 'other-site' }],
      ['homeassistant/sensor/x/config', true, { forward: false, reason: 'other-site' }],
    ];
    for (const [topic, retained, want] of cases) expect(p.decide(topic, retained), topic).toEqual(want);
    expect(p.subscriptions).toEqual(['tongxin/s1/#']);
  });

  it('never forwards private/…, even when the site file asks for it', () => {
    const p = policy({ topics: ['private/#', '#'], exclude: [] });
    expect(p.decide('tongxin/s1/private/x', false)).toEqual({ forward: false, reason: 'private' });
    expect(p.decide('tongxin/s1/sensor/a/raw', false)).toMatchObject({ forward: true, class: QueueClass.reading });
  });

  it('forwards only what `topics` names, minus `exclude`', () => {
    const p = policy({ topics: ['alert/#', 'bin/+/state'], exclude: ['alert/test'] });
    expect(p.subscriptions).toEqual(['tongxin/s1/alert/#', 'tongxin/s1/bin/+/state']);
    expect(p.decide('tongxin/s1/alert/bin-full', false).forward).toBe(true);
    expect(p.decide('tongxin/s1/alert/test', false)).toEqual({ forward: false, reason: 'excluded' });
    expect(p.decide('tongxin/s1/garden/g1/state', false)).toEqual({ forward: false, reason: 'excluded' });
  });

  it('maps the site root to the central prefix, and names the status topic under it', () => {
    const p = policy({ topicPrefix: 'sites/s1' });
    expect(p.decide('tongxin/s1/bin/b1/state', false)).toMatchObject({ centralTopic: 'sites/s1/bin/b1/state' });
    expect(p.centralTopic('tongxin/s1/alert/x')).toBe('sites/s1/alert/x');
    expect(p.statusTopic).toBe('sites/s1/uplink/status');
    expect(policy().statusTopic).toBe('tongxin/s1/uplink/status');
  });
});
