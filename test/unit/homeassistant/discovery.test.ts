import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../../src/config/load.js';
import { siteTopics } from '../../../src/contract/topics.js';
import { discoveryMessages } from '../../../src/homeassistant/discovery.js';
import { MAX_RETIRED, nextAnnounced } from '../../../src/homeassistant/announced-store.js';
import { demoConfigWith } from '../../helpers/app.js';

const config = loadSiteConfig();
const topics = siteTopics(config.site.id);
const messages = discoveryMessages(config, topics, { prefix: 'homeassistant', version: '1.2.3' });
const byUnique = new Map(messages.map((m) => [m.config.unique_id as string, m]));

describe('Home Assistant discovery configs for the demo site', () => {
  it('one per sensor, two per bin, one per point, the lounge and the service; ids and topics unique', () => {
    const bins = config.points.flatMap((p) => p.bins);
    expect(messages).toHaveLength(config.sensors.length + 2 * bins.length + config.points.length + 2 + 1);
    expect(new Set(messages.map((m) => m.topic)).size).toBe(messages.length);
    expect(byUnique.size).toBe(messages.length);
    expect(new Set(messages.map((m) => m.config.default_entity_id)).size).toBe(messages.length);
    for (const m of messages) {
      expect(m.topic).toMatch(/^homeassistant\/(sensor|binary_sensor)\/xianxia-demo_[A-Za-z0-9_-]+\/[a-z_]+\/config$/);
      expect(m.topic.split('/')[1]).toBe(m.component);
      expect(m.config.default_entity_id).toMatch(new RegExp(`^${m.component}\\.[a-z0-9_]+$`));
      expect(m.config).toMatchObject({ origin: { name: 'Tongxin', sw_version: '1.2.3' } });
    }
  });

  it('a soil probe: moisture %, a measurement, stale after its device’s offline time, on its own device under the site', () => {
    const m = byUnique.get('tongxin_xianxia-demo_sensor_soil-herbs-a');
    expect(m?.topic).toBe('homeassistant/sensor/xianxia-demo_soil-herbs-a/value/config');
    expect(m?.config).toMatchObject({
      name: '土壤湿度 soil-herbs-a',
      state_topic: 'tongxin/xianxia-demo/sensor/soil-herbs-a/value',
      value_template: '{{ value_json.value }}',
      unit_of_measurement: '%',
      device_class: 'moisture',
      state_class: 'measurement',
      expire_after: 60,
      availability_mode: 'all',
      availability: [{ topic: 'tongxin/xianxia-demo/service/status' }, { topic: 'tongxin/xianxia-demo/device/garden-node/status' }],
      device: { identifiers: ['tongxin_xianxia-demo_device_garden-node'], name: 'garden soil probes', via_device: 'tongxin_xianxia-demo' },
    });
  });

  it('a door counter is a count per reading: no device class, no state class, no expiry', () => {
    const m = byUnique.get('tongxin_xianxia-demo_sensor_door-main-in');
    expect(m?.config).toMatchObject({ unit_of_measurement: 'people', name: '客流计数 door-main-in' });
    expect(m?.config).not.toHaveProperty('state_class');
    expect(m?.config).not.toHaveProperty('device_class');
    expect(m?.config).not.toHaveProperty('expire_after');
  });

  it('a bin: fill % and its level as an enum, on its collection point’s device, available with its sensor’s node', () => {
    const fill = byUnique.get('tongxin_xianxia-demo_bin_p1-wet_fill');
    const level = byUnique.get('tongxin_xianxia-demo_bin_p1-wet_level');
    const device = { identifiers: ['tongxin_xianxia-demo_point_p1'], name: '一号定点（仙霞路口）', via_device: 'tongxin_xianxia-demo' };
    expect(fill?.config).toMatchObject({ name: '湿垃圾桶满载率', state_topic: 'tongxin/xianxia-demo/bin/p1-wet/state', value_template: '{{ value_json.fill }}', unit_of_measurement: '%', device });
    expect(level?.config).toMatchObject({ device_class: 'enum', options: ['ok', 'warn', 'full', 'overflow'], value_template: '{{ value_json.level }}', device });
    expect((fill?.config.availability as { topic: string }[]).map((a) => a.topic)).toEqual(['tongxin/xianxia-demo/service/status', 'tongxin/xianxia-demo/device/bins-p1/status']);
  });

  it('a point: open for drop-off as a binary sensor, its state as attributes', () => {
    const m = byUnique.get('tongxin_xianxia-demo_point_p2_open');
    expect(m).toMatchObject({ component: 'binary_sensor', topic: 'homeassistant/binary_sensor/xianxia-demo_p2/open/config' });
    expect(m?.config).toMatchObject({ device_class: 'opening', state_topic: 'tongxin/xianxia-demo/point/p2/state', json_attributes_topic: 'tongxin/xianxia-demo/point/p2/state', device: { model: '误时投放点' } });
  });

  it('the service’s own status is a connectivity sensor with no availability of its own (it would never show offline)', () => {
    const m = byUnique.get('tongxin_xianxia-demo_service');
    expect(m?.config).toMatchObject({ device_class: 'connectivity', state_topic: 'tongxin/xianxia-demo/service/status', payload_on: 'online', payload_off: 'offline' });
    expect(m?.config).not.toHaveProperty('availability');
  });

  it('another prefix, and a site without doors has no lounge entities', async () => {
    const noDoors = await demoConfigWith((doc) => {
      doc.lounge.doors = [];
    });
    const other = discoveryMessages(noDoors, topics, { prefix: 'ha/discovery', version: 'x' });
    expect(other.every((m) => m.topic.startsWith('ha/discovery/'))).toBe(true);
    expect(other.some((m) => m.config.state_topic === topics.loungeOccupancy)).toBe(false);
    expect(other).toHaveLength(messages.length - 2);
  });
});

describe('what was announced', () => {
  it('retires what is no longer announced, keeps retiring it, and forgets it when it comes back', () => {
    const first = nextAnnounced({ announced: [], retired: [] }, ['a', 'b', 'c']);
    expect(first).toEqual({ announced: ['a', 'b', 'c'], retired: [] });
    const second = nextAnnounced(first, ['a', 'c']);
    expect(second).toEqual({ announced: ['a', 'c'], retired: ['b'] });
    expect(nextAnnounced(second, ['a', 'c'])).toEqual({ announced: ['a', 'c'], retired: ['b'] });
    expect(nextAnnounced(second, ['a', 'b', 'c'])).toEqual({ announced: ['a', 'b', 'c'], retired: [] });
    expect(nextAnnounced(second, [])).toEqual({ announced: [], retired: ['b', 'a', 'c'] });
  });
  it('keeps a bounded list', () => {
    const many = Array.from({ length: MAX_RETIRED + 50 }, (_, i) => `t${i}`);
    expect(nextAnnounced({ announced: many, retired: [] }, []).retired).toHaveLength(MAX_RETIRED);
  });
});
