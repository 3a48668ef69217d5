import { describe, expect, it } from 'vitest';
import { validateSiteConfig } from '../../../src/config/load.js';

const site = (uplink: unknown) => ({ version: 1, site: { id: 's1', name: { zh: '测试', en: 'Test' } }, uplink });

describe('uplink section of the site file', () => {
  it('fills the defaults: everything but raw readings, heartbeats and request/reply; MQTT 5, QoS 1, a bounded queue', () => {
    const r = validateSiteConfig(site({ url: 'mqtts://central.example:8883' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.uplink).toEqual({
      url: 'mqtts://central.example:8883',
      protocol: 'mqtt5',
      topics: ['#'],
      exclude: ['sensor/+/raw', 'bridge/+/heartbeat', 'request/#', 'reply/#'],
      qos: 1,
      reconnectSeconds: 5,
      queue: { maxMessages: 1_000_000, maxMessageBytes: 65_536 },
      drain: { maxPerSecond: 200, inflight: 32 },
    });
    expect(validateSiteConfig(site(undefined)).ok).toBe(true); // no section: no uplink
  });

  it('refuses what would forward the wrong things or nowhere', () => {
    const bad: [unknown, RegExp][] = [
      [{ url: 'http://central.example' }, /uplink\.url/],
      [{ url: 'mqtt://c', topics: [] }, /uplink\.topics/],
      [{ url: 'mqtt://c', topics: ['#/alert'] }, /uplink\.topics/],
      [{ url: 'mqtt://c', exclude: ['/alert'] }, /uplink\.exclude/],
      [{ url: 'mqtt://c', topicPrefix: 'sites/+' }, /uplink\.topicPrefix/],
      [{ url: 'mqtt://c', topicPrefix: 'sites/s1/' }, /uplink\.topicPrefix/],
      [{ url: 'mqtt://c', qos: 2 }, /uplink\.qos/],
      [{ url: 'mqtt://c', protocol: 'mqtt3' }, /uplink\.protocol/],
      [{ url: 'mqtt://c', queue: { maxMessages: 10 } }, /uplink\.queue\.maxMessages/],
      [{ url: 'mqtt://c', colour: 'blue' }, /uplink/],
    ];
    for (const [uplink, path] of bad) {
      const r = validateSiteConfig(site(uplink));
      expect(r.ok, JSON.stringify(uplink)).toBe(false);
      if (!r.ok) expect(r.issues.map((i) => `${i.path} ${i.message}`).join('\n'), JSON.stringify(uplink)).toMatch(path);
    }
  });
});
