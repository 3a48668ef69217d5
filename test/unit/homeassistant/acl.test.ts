import { describe, expect, it } from 'vitest';
import { canPublish, canSubscribe, type Identity } from '../../../src/mqtt/acl.js';

/** Who may read Home Assistant discovery and send Home Assistant's status, on the embedded broker. */
const SITE = 's1';
const P = 'homeassistant';
const observer: Identity = { role: 'observer' };
const anonymous: Identity = { role: 'anonymous-local' };
const nodered: Identity = { role: 'nodered' };
const crew: Identity = { role: 'crew', crewId: 'c1' };
const device: Identity = { role: 'device', deviceId: 'd1', sensors: new Set(['s']), actuators: new Set(['a']) };

describe('ACL for Home Assistant discovery', () => {
  it('an observer (Home Assistant’s account) and the demo’s anonymous client read the discovery configs and the site', () => {
    for (const id of [observer, anonymous]) {
      for (const f of ['homeassistant/#', 'homeassistant/+/+/+/config', 'homeassistant/sensor/s1_x/value/config', 'homeassistant/status', `tongxin/${SITE}/#`]) {
        expect(canSubscribe(id, SITE, f, P).allowed, f).toBe(true);
      }
      for (const f of ['#', '+/status', 'homeassistantx/#', `tongxin/${SITE}/private/#`]) expect(canSubscribe(id, SITE, f, P).allowed, f).toBe(false);
    }
  });
  it('they publish Home Assistant’s birth and will on <prefix>/status and nothing else there', () => {
    for (const id of [observer, anonymous]) {
      expect(canPublish(id, SITE, 'homeassistant/status', false, P).allowed).toBe(true);
      expect(canPublish(id, SITE, 'homeassistant/status', true, P).allowed).toBe(true);
      for (const t of ['homeassistant/sensor/s1_x/value/config', 'homeassistant/status/x', 'homeassistant', `tongxin/${SITE}/service/status`]) {
        expect(canPublish(id, SITE, t, true, P).allowed, t).toBe(false);
      }
    }
  });
  it('the prefix is the configured one; with discovery off nothing outside the site is granted', () => {
    expect(canSubscribe(observer, SITE, 'ha/disc/#', 'ha/disc').allowed).toBe(true);
    expect(canSubscribe(observer, SITE, 'homeassistant/#', 'ha/disc').allowed).toBe(false);
    expect(canSubscribe(observer, SITE, 'homeassistant/#').allowed).toBe(false);
    expect(canPublish(observer, SITE, 'homeassistant/status', false).allowed).toBe(false);
  });
  it('devices, crews and Node-RED get nothing of it', () => {
    for (const id of [device, crew, nodered]) {
      expect(canSubscribe(id, SITE, 'homeassistant/#', P).allowed).toBe(false);
      expect(canPublish(id, SITE, 'homeassistant/status', false, P).allowed).toBe(false);
      expect(canPublish(id, SITE, 'homeassistant/sensor/x/y/config', true, P).allowed).toBe(false);
    }
  });
  it('the service publishes the retained configs and its own status', () => {
    expect(canPublish({ role: 'service' }, SITE, 'homeassistant/sensor/s1_x/value/config', true, P).allowed).toBe(true);
    expect(canPublish({ role: 'service' }, SITE, `tongxin/${SITE}/service/status`, true, P).allowed).toBe(true);
  });
});
