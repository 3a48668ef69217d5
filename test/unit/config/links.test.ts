import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadSiteConfig, parseSiteYaml, validateSiteConfig } from '../../../src/config/load.js';
import { packageRoot } from '../../../src/core/paths.js';

const SITE = (links: string) => `
version: 1
site: { id: test-site, name: { zh: 测试, en: Test } }
devices:
  - { id: uno-1, link: serial }
  - { id: board-2, link: firmata }
  - { id: rs485, link: modbus }
  - { id: esp-1, link: mqtt }
  - { id: sim-1, link: simulated }
sensors:
  - { id: soil-a, device: uno-1, kind: soil-moisture }
  - { id: soil-b, device: board-2, kind: soil-moisture }
  - { id: door-in, device: board-2, kind: footfall }
  - { id: door-out, device: board-2, kind: footfall }
  - { id: soil-c, device: rs485, kind: soil-moisture }
  - { id: soil-d, device: esp-1, kind: soil-moisture }
  - { id: soil-e, device: sim-1, kind: soil-moisture }
actuators:
  - { id: valve-a, device: uno-1, kind: valve }
  - { id: valve-b, device: board-2, kind: valve }
${links}
`;

const check = (yaml: string) => {
  const parsed = parseSiteYaml(yaml);
  if (!parsed.ok) throw new Error('yaml');
  return validateSiteConfig(parsed.doc);
};

describe('links and mqttNative in the site file', () => {
  it('accepts one link of each kind and the three MQTT-native formats, with defaults filled', () => {
    const r = check(
      SITE(`
links:
  - { id: garden, kind: serial, device: uno-1, path: /dev/tongxin-garden, sensors: { m0: soil-a }, actuators: { r0: valve-a } }
  - id: board
    kind: firmata
    device: board-2
    path: /dev/tongxin-board
    sensors:
      - { type: analog, sensor: soil-b, pin: A0 }
      - { type: beam-pair, outerPin: 2, innerPin: 3, inSensor: door-in, outSensor: door-out }
    actuators: [{ type: relay, actuator: valve-b, pin: 8 }]
  - { id: probes, kind: modbus, device: rs485, path: /dev/tongxin-rs485, registers: [{ sensor: soil-c, unit: 1, address: 0 }] }
mqttNative:
  - { format: tasmota, device: esp-1, topic: balcony, sensors: { soil-d: ANALOG.A0 } }
`),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.config.links.map((l) => l.kind)).toEqual(['serial', 'firmata', 'modbus']);
    expect(r.config.links[0]).toMatchObject({ baudRate: 57600 });
    expect(r.config.links[2]).toMatchObject({ baudRate: 9600, parity: 'none', pollSeconds: 10, registers: [{ table: 'holding', type: 'uint16' }] });
  });

  it('reports every wrong reference at once', () => {
    const r = check(
      SITE(`
links:
  - { id: garden, kind: serial, device: board-2, path: /dev/x, sensors: { m0: soil-e, m1: nope }, actuators: { r0: valve-b } }
  - { id: garden, kind: modbus, device: rs485, path: /dev/x, registers: [{ sensor: soil-c, unit: 1, address: 0 }, { sensor: soil-c, unit: 2, address: 0 }] }
  - id: board
    kind: firmata
    device: board-2
    path: /dev/y
    sensors: [{ type: analog, sensor: soil-b, pin: A0 }, { type: button, sensor: door-in, pin: 8 }]
    actuators: [{ type: relay, actuator: valve-b, pin: 8 }]
mqttNative:
  - { format: esphome, device: sim-1, prefix: roof, sensors: { soil-e: sensor/soil } }
`),
    );
    expect(r.ok).toBe(false);
    const issues = r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining([
        'links[0].device: device "board-2" has link: firmata, expected serial',
        'links[0].sensors.m0: sensor "soil-e" belongs to device "sim-1", not "board-2"',
        'links[0].sensors.m1: no sensor "nope"',
        'links[1].id: duplicate link id "garden"',
        'links[1].path: /dev/x is already opened by link "garden"',
        'links[1].registers[1].sensor: sensor "soil-c" is already served by link "garden"',
        'links[2].actuators[0].pin: pin 8 is used twice',
        'links[2].actuators[0].actuator: actuator "valve-b" is already served by link "garden"',
        'mqttNative[0].device: device "sim-1" has link: simulated, expected mqtt',
        'devices[0].link: no entry in links serves device "uno-1"',
      ]),
    );
  });

  it('refuses two native devices on one topic, and a prefix that would swallow other topics', () => {
    const r = check(
      SITE(`
mqttNative:
  - { format: tasmota, device: esp-1, topic: balcony, sensors: { soil-d: ANALOG.A0 } }
  - { format: tasmota, device: esp-1, topic: balcony, sensors: {} }
  - { format: esphome, device: esp-1, prefix: tele, sensors: {} }
`),
    );
    const issues = r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual(
      expect.arrayContaining(['mqttNative[1]: the same tasmota topic as mqttNative[0]', 'mqttNative[2].prefix: "tele" would cover topics that are not this device\'s']),
    );
  });

  it('the shipped example of a site with real hardware is valid', () => {
    const c = loadSiteConfig(join(packageRoot(), 'src/config/sites/example-hardware.yaml'));
    expect(c.links.map((l) => l.kind)).toEqual(['serial', 'firmata', 'modbus']);
    expect(c.mqttNative.map((n) => n.format)).toEqual(['tasmota', 'esphome', 'chirpstack']);
  });

  it('rejects a malformed link by its shape, naming the field', () => {
    const r = check(SITE(`links: [{ id: x, kind: serial, device: uno-1, path: '', sensors: { 'bad channel!': soil-a } }]`));
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^links\[0\]/)]));
  });
});
