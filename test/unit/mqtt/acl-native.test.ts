import { describe, expect, it } from 'vitest';
import { parseSiteYaml, validateSiteConfig } from '../../../src/config/load.js';
import type { SiteConfig } from '../../../src/config/schema.js';
import { canPublish, canSubscribe } from '../../../src/mqtt/acl.js';
import { deviceIdentity, nativeGrants } from '../../../src/mqtt/auth.js';

/**
 * Devices in `mqttNative` publish on their own dialect's topics, outside `tongxin/`: Tasmota its
 * `tele/` and `stat/` trees, ESPHome its topic_prefix, the ChirpStack integration the applications
 * of the site file. Nothing else outside the site, and the contract rules inside it are unchanged.
 */
const SITE = 'test-site';
const APP_1 = '17c82e96-be03-4f38-aef3-f83d48582d97';
const APP_2 = 'b4e7c1a0-0000-4000-8000-000000000002';

function site(extraNative = ''): SiteConfig {
  const parsed = parseSiteYaml(`
version: 1
site: { id: ${SITE}, name: { zh: 测试, en: Test } }
devices:
  - { id: bed-tasmota, link: mqtt }
  - { id: bins-esp, link: mqtt }
  - { id: lora-soil, link: mqtt }
  - { id: lora-bin, link: mqtt }
  - { id: evil-esp, link: mqtt }
  - { id: uno-1, link: simulated }
sensors:
  - { id: soil-t, device: bed-tasmota, kind: soil-moisture }
  - { id: bin-e, device: bins-esp, kind: bin-level }
  - { id: soil-l, device: lora-soil, kind: soil-moisture }
  - { id: bin-l, device: lora-bin, kind: bin-level }
  - { id: soil-u, device: uno-1, kind: soil-moisture }
actuators:
  - { id: lid-e, device: bins-esp, kind: lid }
mqttNative:
  - { format: tasmota, device: bed-tasmota, topic: tasmota_bed, sensors: { soil-t: ANALOG.A0 } }
  - { format: esphome, device: bins-esp, prefix: lounge/bins-esp, sensors: { bin-e: sensor/distance } }
  - { format: chirpstack, device: lora-soil, application: ${APP_1}, devEui: '0101010101010101', sensors: { soil-l: soil.raw } }
  - { format: chirpstack, device: lora-bin, application: ${APP_2}, devEui: '0202020202020202', sensors: { bin-l: level } }
${extraNative}
`);
  if (!parsed.ok) throw new Error('yaml');
  const r = validateSiteConfig(parsed.doc);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.config;
}

const config = site();
const who = (deviceId: string, c = config) => deviceIdentity(c, deviceId);
const pub = (deviceId: string, topic: string, retain = false, c = config) => canPublish(who(deviceId, c), SITE, topic, retain).allowed;
const sub = (deviceId: string, filter: string, c = config) => canSubscribe(who(deviceId, c), SITE, filter).allowed;

describe('Tasmota device user', () => {
  it('publishes its tele/ and stat/ topics, the LWT retained', () => {
    expect(pub('bed-tasmota', 'tele/tasmota_bed/SENSOR')).toBe(true);
    expect(pub('bed-tasmota', 'tele/tasmota_bed/STATE')).toBe(true);
    expect(pub('bed-tasmota', 'tele/tasmota_bed/LWT', true)).toBe(true);
    expect(pub('bed-tasmota', 'stat/tasmota_bed/RESULT')).toBe(true);
  });
  it('does not publish commands, another Tasmota’s topics, discovery or anything else', () => {
    expect(pub('bed-tasmota', 'cmnd/tasmota_bed/POWER')).toBe(false);
    expect(pub('bed-tasmota', 'tele/tasmota_roof/SENSOR')).toBe(false);
    expect(pub('bed-tasmota', 'tele/tasmota_bed')).toBe(true); // `#` covers its parent level, as MQTT matching does
    expect(pub('bed-tasmota', 'tasmota/discovery/A4CF12345678/config', true)).toBe(false);
    expect(pub('bed-tasmota', 'homeassistant/sensor/x/config', true)).toBe(false);
    expect(pub('bed-tasmota', 'elsewhere/x')).toBe(false);
  });
  it('reads its cmnd/ tree, but nobody else’s', () => {
    expect(sub('bed-tasmota', 'cmnd/tasmota_bed/#')).toBe(true);
    expect(sub('bed-tasmota', 'cmnd/tasmota_bed/POWER')).toBe(true);
    expect(sub('bed-tasmota', 'cmnd/tasmotas/#')).toBe(false);
    expect(sub('bed-tasmota', 'cmnd/+/POWER')).toBe(false);
    expect(sub('bed-tasmota', '#')).toBe(false);
  });
});

describe('ESPHome device user', () => {
  it('publishes and reads everything under its own topic_prefix', () => {
    expect(pub('bins-esp', 'lounge/bins-esp/status', true)).toBe(true);
    expect(pub('bins-esp', 'lounge/bins-esp/sensor/distance/state', true)).toBe(true);
    expect(pub('bins-esp', 'lounge/bins-esp/binary_sensor/lid_open/state', true)).toBe(true);
    expect(sub('bins-esp', 'lounge/bins-esp/switch/+/command')).toBe(true);
  });
  it('not a sibling prefix, its parent, or Home Assistant discovery (disable it on the device)', () => {
    expect(pub('bins-esp', 'lounge/other-esp/status', true)).toBe(false);
    expect(pub('bins-esp', 'lounge/status')).toBe(false);
    expect(pub('bins-esp', 'homeassistant/sensor/bins-esp/distance/config', true)).toBe(false);
    expect(sub('bins-esp', 'lounge/#')).toBe(false);
    expect(sub('bins-esp', 'homeassistant/status')).toBe(false);
  });
  it('keeps its contract rights: own readings, status and actuator commands', () => {
    expect(pub('bins-esp', `tongxin/${SITE}/sensor/bin-e/raw`)).toBe(true);
    expect(pub('bins-esp', `tongxin/${SITE}/device/bins-esp/status`, true)).toBe(true);
    expect(sub('bins-esp', `tongxin/${SITE}/actuator/lid-e/set`)).toBe(true);
    expect(pub('bins-esp', `tongxin/${SITE}/actuator/lid-e/set`)).toBe(false);
  });
});

describe('ChirpStack integration (a chirpstack device’s user)', () => {
  it('publishes events of every application in the site file, for any DevEUI in them', () => {
    for (const deviceId of ['lora-soil', 'lora-bin']) {
      expect(pub(deviceId, `application/${APP_1}/device/0101010101010101/event/up`)).toBe(true);
      expect(pub(deviceId, `application/${APP_2}/device/0202020202020202/event/status`)).toBe(true);
      // A device of the application that the site file does not list: ChirpStack publishes it too.
      expect(pub(deviceId, `application/${APP_1}/device/0303030303030303/event/up`)).toBe(true);
    }
  });
  it('never publishes a downlink command, nor for an application outside the site file', () => {
    expect(pub('lora-soil', `application/${APP_1}/device/0101010101010101/command/down`)).toBe(false);
    expect(pub('lora-soil', 'application/99999999-0000-4000-8000-000000000000/device/0101010101010101/event/up')).toBe(false);
  });
  it('subscribes to the command filter ChirpStack v4 uses, and within its applications', () => {
    expect(sub('lora-soil', 'application/+/device/+/command/+')).toBe(true);
    expect(sub('lora-soil', `application/${APP_2}/#`)).toBe(true);
    expect(sub('lora-soil', 'application/#')).toBe(false);
    expect(sub('lora-soil', 'application/+/device/+/event/+')).toBe(false);
  });
  it('a Tasmota or ESPHome user gets none of that', () => {
    expect(pub('bed-tasmota', `application/${APP_1}/device/0101010101010101/event/up`)).toBe(false);
    expect(nativeGrants(config, 'bins-esp').some((g) => g.filter.startsWith('application/'))).toBe(false);
  });
});

describe('boundaries', () => {
  it('a device outside mqttNative has no native topics', () => {
    expect(nativeGrants(config, 'uno-1')).toEqual([]);
    expect(pub('uno-1', 'tele/tasmota_bed/SENSOR')).toBe(false);
    expect(pub('uno-1', `tongxin/${SITE}/sensor/soil-u/raw`)).toBe(true);
  });

  it('a prefix naming the contract root or $SYS opens neither', () => {
    // The site-file check refuses such a prefix already; the ACL must hold even if a config slipped past it.
    expect(() => site(`  - { format: esphome, device: evil-esp, prefix: tongxin/${SITE}, sensors: {} }`)).toThrow(/would cover topics/);
    const c = structuredClone(config) as SiteConfig;
    c.mqttNative.push({ format: 'esphome', device: 'evil-esp', prefix: `tongxin/${SITE}`, sensors: {} }, { format: 'esphome', device: 'evil-esp', prefix: '$SYS/broker', sensors: {} });
    expect(pub('evil-esp', `tongxin/${SITE}/actuator/lid-e/set`, false, c)).toBe(false);
    expect(pub('evil-esp', `tongxin/${SITE}/bin/b1/state`, true, c)).toBe(false);
    expect(pub('evil-esp', 'tongxin/other-site/sensor/x/raw', false, c)).toBe(false);
    expect(sub('evil-esp', `tongxin/${SITE}/#`, c)).toBe(false);
    expect(pub('evil-esp', '$SYS/broker/clients', false, c)).toBe(false);
    expect(sub('evil-esp', '$SYS/broker/#', c)).toBe(false);
    // The grants are still there: it is the reserved roots that are out of their reach.
    expect(nativeGrants(c, 'evil-esp').map((g) => g.filter)).toEqual([`tongxin/${SITE}/#`, '$SYS/broker/#']);
  });
});
