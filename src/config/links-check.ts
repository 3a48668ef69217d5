import type { SiteConfig } from './schema.js';
import type { LinkConfig, MqttNativeDeviceConfig } from './links-schema.js';

type Add = (path: string, message: string) => void;

/** The sensor and actuator ids a link serves, each with the config path that names it. */
export function linkSensors(link: LinkConfig): { id: string; path: string }[] {
  switch (link.kind) {
    case 'serial':
      return Object.entries(link.sensors).map(([ch, id]) => ({ id, path: `sensors.${ch}` }));
    case 'firmata':
      return link.sensors.flatMap((s, i) =>
        s.type === 'beam-pair'
          ? [{ id: s.inSensor, path: `sensors[${i}].inSensor` }, { id: s.outSensor, path: `sensors[${i}].outSensor` }]
          : [{ id: s.sensor, path: `sensors[${i}].sensor` }],
      );
    case 'modbus':
      return link.registers.map((r, i) => ({ id: r.sensor, path: `registers[${i}].sensor` }));
  }
}

export function linkActuators(link: LinkConfig): { id: string; path: string }[] {
  switch (link.kind) {
    case 'serial':
      return Object.entries(link.actuators).map(([ch, id]) => ({ id, path: `actuators.${ch}` }));
    case 'firmata':
      return link.actuators.map((a, i) => ({ id: a.actuator, path: `actuators[${i}].actuator` }));
    case 'modbus':
      return [];
  }
}

const nativeSensors = (d: MqttNativeDeviceConfig) => Object.keys(d.sensors);

/**
 * Links and MQTT-native mappings point at devices, sensors and actuators: each must exist, belong to
 * the link's device, and be served by one link only (two bridges publishing one sensor would
 * interleave two truths).
 */
export function crossCheckLinks(c: SiteConfig, add: Add): void {
  const device = new Map(c.devices.map((d) => [d.id, d]));
  const sensorDevice = new Map(c.sensors.map((s) => [s.id, s.device]));
  const actuatorDevice = new Map(c.actuators.map((a) => [a.id, a.device]));
  const servedBy = new Map<string, string>();
  const linkIds = new Set<string>();
  const paths = new Map<string, string>();

  const serve = (what: 'sensor' | 'actuator', id: string, owner: string, deviceId: string, path: string) => {
    const actual = (what === 'sensor' ? sensorDevice : actuatorDevice).get(id);
    if (actual === undefined) return add(path, `no ${what} "${id}"`);
    if (actual !== deviceId) add(path, `${what} "${id}" belongs to device "${actual}", not "${deviceId}"`);
    const key = `${what}:${id}`;
    const before = servedBy.get(key);
    if (before !== undefined) add(path, `${what} "${id}" is already served by ${before}`);
    servedBy.set(key, owner);
  };

  c.links.forEach((link, i) => {
    const at = `links[${i}]`;
    if (linkIds.has(link.id)) add(`${at}.id`, `duplicate link id "${link.id}"`);
    linkIds.add(link.id);
    const d = device.get(link.device);
    if (!d) add(`${at}.device`, `no device "${link.device}"`);
    else if (d.link !== link.kind) add(`${at}.device`, `device "${link.device}" has link: ${d.link}, expected ${link.kind}`);
    const other = paths.get(link.path);
    if (other !== undefined) add(`${at}.path`, `${link.path} is already opened by link "${other}"`);
    paths.set(link.path, link.id);
    for (const s of linkSensors(link)) serve('sensor', s.id, `link "${link.id}"`, link.device, `${at}.${s.path}`);
    for (const a of linkActuators(link)) serve('actuator', a.id, `link "${link.id}"`, link.device, `${at}.${a.path}`);
    if (link.kind === 'firmata') {
      const pins = new Set<string>();
      const usePin = (pin: string | number, path: string) => {
        const key = String(pin);
        if (pins.has(key)) add(path, `pin ${key} is used twice`);
        pins.add(key);
      };
      link.sensors.forEach((s, j) => {
        if (s.type === 'beam-pair') {
          usePin(s.outerPin, `${at}.sensors[${j}].outerPin`);
          usePin(s.innerPin, `${at}.sensors[${j}].innerPin`);
        } else usePin(s.pin, `${at}.sensors[${j}].pin`);
      });
      link.actuators.forEach((a, j) => usePin(a.pin, `${at}.actuators[${j}].pin`));
    }
  });

  // Two devices on one topic would read each other's payloads; a prefix must not swallow another
  // family's topics (an ESPHome prefix `tele` would cover every Tasmota) or the contract's root.
  const claimed = new Map<string, number>();
  const RESERVED_FIRST_LEVELS = new Set(['tongxin', 'tele', 'stat', 'cmnd', 'application', 'homeassistant']);
  c.mqttNative.forEach((n, i) => {
    const key = n.format === 'tasmota' ? `tasmota:${n.topic}` : n.format === 'esphome' ? `esphome:${n.prefix}` : `chirpstack:${n.devEui.toLowerCase()}`;
    const before = claimed.get(key);
    if (before !== undefined) add(`mqttNative[${i}]`, `the same ${n.format} topic as mqttNative[${before}]`);
    else claimed.set(key, i);
    if (n.format === 'esphome' && RESERVED_FIRST_LEVELS.has(n.prefix.split('/')[0] ?? '')) {
      add(`mqttNative[${i}].prefix`, `"${n.prefix}" would cover topics that are not this device's`);
    }
  });

  c.mqttNative.forEach((n, i) => {
    const at = `mqttNative[${i}]`;
    const d = device.get(n.device);
    if (!d) add(`${at}.device`, `no device "${n.device}"`);
    else if (d.link !== 'mqtt') add(`${at}.device`, `device "${n.device}" has link: ${d.link}, expected mqtt`);
    for (const id of nativeSensors(n)) serve('sensor', id, `mqttNative[${i}]`, n.device, `${at}.sensors.${id}`);
  });

  // A device on a bridged link with no link to serve it would sit offline forever.
  c.devices.forEach((d, i) => {
    if ((d.link === 'serial' || d.link === 'firmata' || d.link === 'modbus') && !c.links.some((l) => l.device === d.id)) {
      add(`devices[${i}].link`, `no entry in links serves device "${d.id}"`);
    }
  });
}
