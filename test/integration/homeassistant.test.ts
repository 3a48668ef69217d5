import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { renderTemplate } from '../unit/homeassistant/ha-template.js';

/**
 * Home Assistant MQTT discovery end to end (issue #9, item 6). A client plays Home Assistant: it
 * logs in as an observer, subscribes to `homeassistant/#` and to the site, and evaluates each
 * entity's templates against the messages on the topics it names, as Home Assistant would.
 */
const SITE = 'xianxia-demo';
const HA_USER = 'homeassistant';
const HA_PASSWORD = 'ha-password-1';
const defer = useCleanup();

interface Availability {
  topic: string;
  value_template?: string;
  payload_available?: string;
  payload_not_available?: string;
}
interface EntityConfig {
  unique_id: string;
  name: string;
  state_topic: string;
  value_template?: string;
  unit_of_measurement?: string;
  device_class?: string;
  options?: string[];
  payload_on?: string;
  payload_off?: string;
  availability?: Availability[];
  availability_mode?: string;
  device: { identifiers: string[]; name?: string };
}

/** Home Assistant as seen from the broker: the last message on every topic it reads. */
class FakeHomeAssistant {
  readonly last = new Map<string, string>();
  /** Every discovery message received, in order (retained or live). */
  readonly discovery: { topic: string; payload: string; retained: boolean }[] = [];
  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload, packet) => {
      const text = payload.toString('utf8');
      this.last.set(topic, text);
      if (topic.startsWith('homeassistant/') && topic.endsWith('/config')) this.discovery.push({ topic, payload: text, retained: packet.retain });
    });
  }

  static async connect(url: string, opts: { username?: string; password?: string } = {}) {
    const client = await mqtt.connectAsync(url, { ...opts, clientId: `ha-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 0 });
    const ha = new FakeHomeAssistant(client);
    const granted = await client.subscribeAsync(['homeassistant/#', `tongxin/${SITE}/#`], { qos: 1 });
    if (granted.some((g) => g.qos === 128)) throw new Error('subscription refused');
    return ha;
  }

  /** The current configs, as Home Assistant keeps them: an empty payload removes one. */
  configs(): Map<string, EntityConfig> {
    const out = new Map<string, EntityConfig>();
    for (const [topic, payload] of this.last) {
      if (topic.startsWith('homeassistant/') && topic.endsWith('/config') && payload !== '') out.set(topic, JSON.parse(payload) as EntityConfig);
    }
    return out;
  }

  /** The entity's state as Home Assistant would show it, or undefined before its first message. */
  state(c: EntityConfig): string | undefined {
    const payload = this.last.get(c.state_topic);
    if (payload === undefined) return undefined;
    return c.value_template ? renderTemplate(c.value_template, payload) : payload;
  }

  /** availability_mode all: every topic has said its payload_available (an unheard topic is not available). */
  available(c: EntityConfig): boolean {
    if (!c.availability) return true;
    expect(c.availability_mode).toBe('all');
    return c.availability.every((a) => {
      const payload = this.last.get(a.topic);
      if (payload === undefined) return false;
      return (a.value_template ? renderTemplate(a.value_template, payload) : payload) === (a.payload_available ?? 'online');
    });
  }

  close() {
    return this.client.endAsync();
  }
}

/** What the site file says Home Assistant should get: one per sensor, two per bin, one per point, the lounge's two, the service. */
function expectedCount(config: SiteConfig) {
  return config.sensors.length + 2 * config.points.flatMap((p) => p.bins).length + config.points.length + (config.lounge.doors.length > 0 ? 2 : 0) + 1;
}

async function observerUser() {
  const { hash } = await import('@node-rs/argon2');
  return { username: HA_USER, passwordHash: await hash(HA_PASSWORD), role: 'observer' };
}

describe('Home Assistant discovery on the embedded broker, with the demo site and its simulator', () => {
  let app: RunningApp;
  let config: SiteConfig;
  let ha: FakeHomeAssistant;
  const cleanups: (() => unknown)[] = [];

  beforeAll(async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const user = await observerUser();
    const base = await demoConfigWith((doc) => {
      doc.mqtt.users = [user];
      doc.simulator.intervalSeconds = 0.2;
    });
    config = testConfig(dir, { simulator: true }, base);
    ({ app } = await startTestApp({ dataDir: dir, config }));
    cleanups.push(() => app.stop());
    ha = await FakeHomeAssistant.connect(app.mqttUrl, { username: HA_USER, password: HA_PASSWORD });
    cleanups.push(() => ha.close());
  });
  afterAll(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  it('announces every sensor, bin and point, retained, each with the keys Home Assistant needs', async () => {
    const n = expectedCount(config);
    await waitFor(`${n} discovery configs`, () => ha.configs().size === n);
    expect(ha.discovery.slice(0, n).every((d) => d.retained)).toBe(true);
    const configs = [...ha.configs()];
    for (const [topic, c] of configs) {
      expect(topic).toMatch(/^homeassistant\/(sensor|binary_sensor)\/xianxia-demo_[A-Za-z0-9_-]+\/[a-z_]+\/config$/);
      expect(typeof c.unique_id).toBe('string');
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.state_topic.startsWith(`tongxin/${SITE}/`)).toBe(true);
      expect(c.device.identifiers.length).toBeGreaterThan(0);
    }
    expect(new Set(configs.map(([, c]) => c.unique_id)).size).toBe(n);
    const stateTopics = new Set(configs.map(([, c]) => c.state_topic));
    for (const s of config.sensors) expect(stateTopics, s.id).toContain(`tongxin/${SITE}/sensor/${s.id}/value`);
    for (const p of config.points) {
      expect(stateTopics, p.id).toContain(`tongxin/${SITE}/point/${p.id}/state`);
      for (const b of p.bins) expect(configs.filter(([, c]) => c.state_topic === `tongxin/${SITE}/bin/${b.id}/state`), b.id).toHaveLength(2);
    }
    expect(stateTopics).toContain(`tongxin/${SITE}/lounge/occupancy`);
  });

  it('each state topic carries a value its template reads, and every entity is available', async () => {
    const entries = [...ha.configs()];
    const configs = entries.map(([, c]) => c);
    const readable = ([topic, c]: [string, EntityConfig]) => {
      const s = ha.state(c);
      if (s === undefined) return false;
      if (topic.split('/')[1] === 'binary_sensor') return s === (c.payload_on ?? 'ON') || s === (c.payload_off ?? 'OFF');
      if (c.device_class === 'enum') return (c.options ?? []).includes(s);
      // A numeric sensor: a finite number (a bin's fill is `None` until its median filter is full).
      return s !== '' && Number.isFinite(Number(s));
    };
    await waitFor('every entity has a readable state', () => entries.every(readable), 15_000, 50);
    // The point binary sensors agree with the point state, whatever the hour.
    for (const p of config.points) {
      const c = configs.find((x) => x.state_topic === `tongxin/${SITE}/point/${p.id}/state`) as EntityConfig;
      const open = (JSON.parse(ha.last.get(c.state_topic) as string) as { open: boolean }).open;
      expect(ha.state(c)).toBe(open ? 'ON' : 'OFF');
    }
    // A soil probe's value is the calibrated one the service published.
    const soil = configs.find((c) => c.state_topic.endsWith('/sensor/soil-herbs-a/value')) as EntityConfig;
    expect(Number(ha.state(soil))).toBe((JSON.parse(ha.last.get(soil.state_topic) as string) as { value: number }).value);
    await waitFor('every entity available', () => configs.every((c) => ha.available(c)));
  });

  it('entities of a device go unavailable when its status says offline (plain or JSON), and come back', async () => {
    const configs = [...ha.configs().values()];
    const onBinsP1 = (c: EntityConfig) => (c.availability ?? []).some((a) => a.topic === `tongxin/${SITE}/device/bins-p1/status`);
    const affected = configs.filter(onBinsP1);
    // bins-p1's four level sensors, and p1's four bins (fill and level) whose sensors are on it.
    expect(affected).toHaveLength(4 + 8);
    await app.mqtt.publish(`tongxin/${SITE}/device/bins-p1/status`, 'offline', { qos: 1, retain: true });
    await waitFor('bins-p1 entities unavailable', () => affected.every((c) => !ha.available(c)));
    expect(configs.filter((c) => !onBinsP1(c)).every((c) => ha.available(c))).toBe(true);
    await app.mqtt.publish(`tongxin/${SITE}/device/bins-p1/status`, JSON.stringify({ status: 'online', at: Date.now() }), { qos: 1, retain: true });
    await waitFor('available again', () => configs.every((c) => ha.available(c)));
    await app.mqtt.publish(`tongxin/${SITE}/device/bins-p1/status`, JSON.stringify({ status: 'offline' }), { qos: 1, retain: true });
    await waitFor('unavailable by the JSON form', () => affected.every((c) => !ha.available(c)));
    await app.mqtt.publish(`tongxin/${SITE}/device/bins-p1/status`, 'online', { qos: 1, retain: true });
    await waitFor('and back', () => configs.every((c) => ha.available(c)));
  });

  it('Home Assistant’s birth message makes the service announce everything again', async () => {
    const n = expectedCount(config);
    const before = ha.discovery.length;
    await ha.client.publishAsync('homeassistant/status', 'online', { qos: 1 });
    await waitFor('configs announced again', () => ha.discovery.length - before === n);
    // Live deliveries, the same configs.
    const again = ha.discovery.slice(before);
    expect(again.every((d) => !d.retained)).toBe(true);
    expect(new Set(again.map((d) => d.topic))).toEqual(new Set(ha.configs().keys()));
    // Its will (offline) is accepted too, and changes nothing; anything else is counted, not acted on.
    await ha.client.publishAsync('homeassistant/status', 'offline', { qos: 1 });
    await ha.client.publishAsync('homeassistant/status', '{"state":"online"}', { qos: 1 });
    await waitFor('the unknown status counted', () => app.counters.get('homeassistant_status_rejected', 'unknown-status') === 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(ha.discovery.length - before).toBe(n);
    expect(ha.client.connected).toBe(true);
  });
});

describe('Home Assistant discovery across restarts, on a broker the service does not own (Mosquitto)', () => {
  it('clears the config of a sensor removed from the site file, follows the service’s status and will, and clears everything when turned off', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const broker = await startMosquitto(dir);
    defer(() => broker.stop());
    const external = (mutate: (doc: any) => void = () => undefined) =>
      demoConfigWith((doc) => {
        delete doc.mqtt.embedded;
        doc.mqtt.external = { url: broker.url };
        mutate(doc);
      }).then((c) => testConfig(dir, {}, c));
    const removedTopic = 'homeassistant/sensor/xianxia-demo_soil-herbs-b/value/config';
    const service = (h: FakeHomeAssistant) => [...h.configs().values()].find((c) => c.unique_id === 'tongxin_xianxia-demo_service') as EntityConfig;

    const full = await external();
    const first = (await startTestApp({ dataDir: dir, config: full })).app;
    defer(() => first.stop());
    const ha = await FakeHomeAssistant.connect(broker.url);
    defer(() => ha.close());
    await waitFor('all configs', () => ha.configs().size === expectedCount(full));
    expect(ha.configs().has(removedTopic)).toBe(true);
    await waitFor('service online', () => ha.state(service(ha)) === 'online');
    const bin = [...ha.configs().values()].find((c) => c.unique_id === 'tongxin_xianxia-demo_bin_p1-wet_fill') as EntityConfig;

    // The service loses the broker without a goodbye: the broker publishes its will; it reconnects,
    // says online again and announces again.
    const announcedBefore = ha.discovery.length;
    const offline = new Promise<void>((resolve) => ha.client.on('message', (t, p) => t === `tongxin/${SITE}/service/status` && p.toString() === 'offline' && resolve()));
    (first.mqtt.client.stream as unknown as { destroy(): void }).destroy();
    await offline;
    await waitFor('online again after reconnecting', () => ha.state(service(ha)) === 'online', 10_000);
    await waitFor('announced again after reconnecting', () => ha.discovery.length - announcedBefore >= expectedCount(full), 10_000);

    // A clean stop: offline, and every entity that depends on the service unavailable.
    await first.stop();
    await waitFor('service offline', () => ha.state(service(ha)) === 'offline');
    expect(ha.available(bin)).toBe(false);

    // soil-herbs-b is taken out of the site file; the next start clears its config.
    const without = await external((doc) => {
      doc.sensors = doc.sensors.filter((s: { id: string }) => s.id !== 'soil-herbs-b');
      const bed = doc.garden.beds.find((b: { id: string }) => b.id === 'bed-herbs');
      bed.sensors = bed.sensors.filter((s: string) => s !== 'soil-herbs-b');
    });
    const second = (await startTestApp({ dataDir: dir, config: without })).app;
    defer(() => second.stop());
    await waitFor('the removed sensor’s config cleared', () => ha.last.get(removedTopic) === '');
    await waitFor('service online', () => ha.state(service(ha)) === 'online');
    // A Home Assistant starting now finds exactly the current site on the broker.
    const fresh = await FakeHomeAssistant.connect(broker.url);
    defer(() => fresh.close());
    await waitFor('retained configs', () => fresh.configs().size === expectedCount(without));
    await new Promise((r) => setTimeout(r, 200));
    expect(fresh.configs().size).toBe(expectedCount(without));
    expect(fresh.configs().has(removedTopic)).toBe(false);
    await second.stop();

    // Discovery turned off: everything announced is cleared.
    const off = await external((doc) => {
      doc.homeassistant = { enabled: false };
    });
    const third = (await startTestApp({ dataDir: dir, config: off })).app;
    defer(() => third.stop());
    await waitFor('every config cleared', () => ha.configs().size === 0);
    const later = await FakeHomeAssistant.connect(broker.url);
    defer(() => later.close());
    await new Promise((r) => setTimeout(r, 300));
    expect(later.configs().size).toBe(0);
  });
});
