import { describe, expect, it } from 'vitest';
import { canPublish, canReceive, canSubscribe, type Identity } from '../../../src/mqtt/acl.js';
import { siteTopics } from '../../../src/contract/topics.js';

const SITE = 's1';
const t = siteTopics(SITE);
const device: Identity = { role: 'device', deviceId: 'node-1', sensors: new Set(['soil-a']), actuators: new Set(['valve-a']) };
const crew: Identity = { role: 'crew', crewId: 'crew-a' };
const anon: Identity = { role: 'anonymous-local' };
const nodered: Identity = { role: 'nodered' };
const observer: Identity = { role: 'observer' };

const pub = (id: Identity, topic: string, retain = false) => canPublish(id, SITE, topic, retain).allowed;
const sub = (id: Identity, filter: string) => canSubscribe(id, SITE, filter).allowed;

describe('publish ACL', () => {
  it('a device publishes its own readings, status and actuator state, and nothing else', () => {
    expect(pub(device, t.sensorRaw('soil-a'))).toBe(true);
    expect(pub(device, t.deviceStatus('node-1'), true)).toBe(true);
    expect(pub(device, t.actuatorState('valve-a'), true)).toBe(true);
    expect(pub(device, t.sensorRaw('soil-b'))).toBe(false);
    expect(pub(device, t.sensorRaw('soil-a'), true)).toBe(false);
    expect(pub(device, t.deviceStatus('node-2'), true)).toBe(false);
    expect(pub(device, t.actuatorSet('valve-a'))).toBe(false);
    expect(pub(device, t.binState('b1'), true)).toBe(false);
    expect(pub(device, 'tongxin/other/sensor/soil-a/raw')).toBe(false);
  });

  it('a supervised bridge also heart-beats for its own link, never retained; a plain device may not', () => {
    const bridge: Identity = { ...device, linkId: 'garden-uno' } as Identity;
    expect(pub(bridge, t.bridgeHeartbeat('garden-uno'))).toBe(true);
    expect(pub(bridge, t.bridgeHeartbeat('garden-uno'), true)).toBe(false);
    expect(pub(bridge, t.bridgeHeartbeat('other-link'))).toBe(false);
    expect(pub(device, t.bridgeHeartbeat('garden-uno'))).toBe(false);
  });

  it('anonymous local clients may only feed sensor readings', () => {
    expect(pub(anon, t.sensorRaw('anything'))).toBe(true);
    expect(pub(anon, t.sensorRaw('anything'), true)).toBe(false);
    expect(pub(anon, t.actuatorSet('lid-1'))).toBe(false);
    expect(pub(anon, t.deviceStatus('node-1'), true)).toBe(false);
    expect(pub(anon, t.pointState('p1'), true)).toBe(false);
    expect(pub(anon, t.crewAck('crew-a'))).toBe(false);
    expect(pub(anon, 'elsewhere/x')).toBe(false);
  });

  it('a crew writes only its own acks', () => {
    expect(pub(crew, t.crewAck('crew-a'))).toBe(true);
    expect(pub(crew, t.crewAck('crew-b'))).toBe(false);
    expect(pub(crew, t.crewAlert('crew-a'))).toBe(false);
    expect(pub(crew, t.sensorRaw('soil-a'))).toBe(false);
  });

  it('Node-RED only asks (request/…), never commands actuators, fakes readings, speaks for a crew or writes retained state', () => {
    expect(pub(nodered, t.actuatorRequest('valve-a'))).toBe(true);
    expect(pub(nodered, t.alertRequest('0b6c8a52-6f1e-4a53-9d0e-2f4f1b7f9a10'))).toBe(true);
    expect(pub(nodered, `${t.root}/request/hazardous-pickup`)).toBe(true);
    expect(pub(nodered, t.actuatorRequest('valve-a'), true)).toBe(false);
    expect(pub(nodered, t.actuatorSet('valve-a'))).toBe(false);
    expect(pub(nodered, t.sensorRaw('soil-a'))).toBe(false);
    expect(pub(nodered, t.sensorValue('soil-a'))).toBe(false);
    expect(pub(nodered, t.crewAck('crew-a'))).toBe(false);
    expect(pub(nodered, t.crewAlert('crew-a'))).toBe(false);
    expect(pub(nodered, t.reply('r1'))).toBe(false);
    expect(pub(nodered, t.event('summary.daily'))).toBe(false);
    expect(pub(nodered, t.privateEvent('signup.promoted'))).toBe(false);
    expect(pub(nodered, t.gardenState('bed-a'), true)).toBe(false);
    expect(pub(nodered, 'tongxin/other/request/actuator/valve-a')).toBe(false);
    expect(pub(nodered, 'elsewhere/request/x')).toBe(false);
  });

  it('observers only read; the service may do anything', () => {
    expect(pub(observer, t.sensorRaw('soil-a'))).toBe(false);
    expect(pub({ role: 'service' }, t.actuatorSet('valve-a'))).toBe(true);
  });
});

describe('subscribe ACL', () => {
  it('only the service may subscribe to # or $SYS', () => {
    for (const id of [device, crew, anon, observer, nodered]) {
      expect(sub(id, '#')).toBe(false);
      expect(sub(id, '$SYS/#')).toBe(false);
      expect(sub(id, 'tongxin/+/#')).toBe(false);
      expect(sub(id, 'tongxin/other/#')).toBe(false);
    }
    expect(sub({ role: 'service' }, '#')).toBe(true);
  });
  it('Node-RED reads its whole site, private/ included', () => {
    expect(sub(nodered, t.all)).toBe(true);
    expect(sub(nodered, t.privateAll)).toBe(true);
    expect(sub(nodered, `${t.root}/reply/+`)).toBe(true);
  });
  it('anonymous local clients and observers read everything under the site but private/', () => {
    expect(sub(anon, t.all)).toBe(true);
    expect(sub(observer, t.sensorRawAny)).toBe(true);
    for (const id of [anon, observer, crew, device]) {
      expect(sub(id, t.privateAll)).toBe(false);
      expect(sub(id, t.privateEvent('signup.promoted'))).toBe(false);
      expect(sub(id, `${t.root}/private/+`)).toBe(false);
    }
  });
  it('a crew reads only its own alerts; a device only its own actuator commands', () => {
    expect(sub(crew, t.crewAlert('crew-a'))).toBe(true);
    expect(sub(crew, t.crewAlert('crew-b'))).toBe(false);
    expect(sub(crew, `${t.root}/crew/+/alert`)).toBe(false);
    expect(sub(device, t.actuatorSet('valve-a'))).toBe(true);
    expect(sub(device, t.actuatorSet('valve-b'))).toBe(false);
    expect(sub(device, `${t.root}/actuator/+/set`)).toBe(false);
  });
});

describe('delivery filter', () => {
  it('only the service and Node-RED receive private/… (a phone number), whatever they subscribed to', () => {
    const promoted = t.privateEvent('signup.promoted');
    for (const id of [anon, observer, crew, device]) {
      expect(canReceive(id, SITE, promoted)).toBe(false);
      expect(canReceive(id, SITE, `${t.root}/private`)).toBe(false);
    }
    expect(canReceive(nodered, SITE, promoted)).toBe(true);
    expect(canReceive({ role: 'service' }, SITE, promoted)).toBe(true);
    // The public event, without the phone, goes to everyone who may read the site.
    expect(canReceive(anon, SITE, t.event('signup.promoted'))).toBe(true);
    expect(canReceive(anon, SITE, t.event('signup.created'))).toBe(true);
    expect(canReceive(anon, SITE, t.binState('b1'))).toBe(true);
  });
});
