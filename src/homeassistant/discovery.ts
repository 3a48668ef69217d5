import type { SiteConfig, WasteCategory } from '../config/schema.js';
import type { SiteTopics } from '../contract/topics.js';

/**
 * Home Assistant MQTT discovery (https://www.home-assistant.io/integrations/mqtt/#mqtt-discovery):
 * one retained config per entity at `<prefix>/<component>/<site>_<owner>/<object>/config`, pointing
 * at the topics the service already publishes, so a Home Assistant on the broker shows the site
 * with no set-up and no second copy of the data. Pure: the module publishes what this returns.
 *
 * Names are in Chinese: Home Assistant takes one name per entity, and a lounge in Shanghai runs its
 * Home Assistant in Chinese; the site file's `zh` texts are used, ids where it has no name.
 */
export type Component = 'sensor' | 'binary_sensor';

export interface DiscoveryMessage {
  topic: string;
  component: Component;
  config: Record<string, unknown>;
}

export interface DiscoveryOptions {
  prefix: string;
  /** The service's version, shown in Home Assistant's device page. */
  version: string;
}

type SensorKind = SiteConfig['sensors'][number]['kind'];

/**
 * How each kind of sensor looks in Home Assistant. A device class only where its units match
 * (Home Assistant rejects a moisture sensor in cm); a state class only for values that are a level
 * at an instant, not for counts per reading (footfall, drops), which have no meaningful statistics.
 */
const KINDS: Record<SensorKind, { zh: string; deviceClass?: string; units?: readonly string[]; stateClass?: 'measurement'; periodic: boolean }> = {
  'soil-moisture': { zh: '土壤湿度', deviceClass: 'moisture', units: ['%'], stateClass: 'measurement', periodic: true },
  'bin-level': { zh: '垃圾桶料位', stateClass: 'measurement', periodic: true },
  footfall: { zh: '客流计数', periodic: false },
  temperature: { zh: '温度', deviceClass: 'temperature', units: ['°C', '°F', 'K'], stateClass: 'measurement', periodic: true },
  humidity: { zh: '湿度', deviceClass: 'humidity', units: ['%'], stateClass: 'measurement', periodic: true },
  rain: { zh: '降雨', stateClass: 'measurement', periodic: false },
  lid: { zh: '桶盖开合', periodic: false },
  beam: { zh: '投放光栅', periodic: false },
  generic: { zh: '传感器', stateClass: 'measurement', periodic: false },
};

const CATEGORY_ZH: Record<WasteCategory, string> = { recyclable: '可回收物', hazardous: '有害垃圾', wet: '湿垃圾', dry: '干垃圾' };
const BIN_LEVELS = ['ok', 'warn', 'full', 'overflow'] as const;

/** Device status is plain `online`/`offline` or JSON `{status}` (the contract allows both). */
export const DEVICE_STATUS_TEMPLATE = '{{ value_json.status if value_json is defined else value }}';

/** Entity ids in Home Assistant are lower-case letters, digits and `_`. */
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9_]+/g, '_');

export function discoveryMessages(config: SiteConfig, topics: SiteTopics, opts: DiscoveryOptions): DiscoveryMessage[] {
  const site = config.site.id;
  const ids = {
    site: `tongxin_${site}`,
    device: (id: string) => `tongxin_${site}_device_${id}`,
    point: (id: string) => `tongxin_${site}_point_${id}`,
  };
  const origin = { name: 'Tongxin', sw_version: opts.version };
  const siteDevice = { identifiers: [ids.site], name: config.site.name.zh, manufacturer: 'Tongxin', model: '共享客厅控制器', sw_version: opts.version };
  const via = { via_device: ids.site };
  // Every entity but the service's own status is unavailable while the service is away: its state
  // topics are the service's, and retained values would otherwise look current.
  const serviceAvailable = { topic: topics.serviceStatus, payload_available: 'online', payload_not_available: 'offline' };
  const deviceAvailable = (deviceId: string) => ({ topic: topics.deviceStatus(deviceId), value_template: DEVICE_STATUS_TEMPLATE, payload_available: 'online', payload_not_available: 'offline' });
  const availability = (deviceId?: string) => ({
    availability: deviceId === undefined ? [serviceAvailable] : [serviceAvailable, deviceAvailable(deviceId)],
    availability_mode: 'all',
  });

  const out: DiscoveryMessage[] = [];
  const add = (component: Component, node: string, object: string, uniqueId: string, config: Record<string, unknown>) => {
    out.push({
      topic: `${opts.prefix}/${component}/${site}_${node}/${object}/config`,
      component,
      config: { unique_id: uniqueId, default_entity_id: `${component}.${slug(uniqueId)}`, ...config, origin },
    });
  };

  // The site itself: the service's connection (also creates the device the others hang off).
  add('binary_sensor', 'service', 'status', `${ids.site}_service`, {
    name: '同心服务',
    device_class: 'connectivity',
    entity_category: 'diagnostic',
    state_topic: topics.serviceStatus,
    payload_on: 'online',
    payload_off: 'offline',
    device: siteDevice,
  });
  if (config.lounge.doors.length > 0) {
    const lounge = { state_topic: topics.loungeOccupancy, unit_of_measurement: '人', device: siteDevice, ...availability() };
    add('sensor', 'lounge', 'inside', `${ids.site}_lounge_inside`, { name: '客厅在场人数', value_template: '{{ value_json.inside }}', state_class: 'measurement', icon: 'mdi:account-group', ...lounge });
    // Restarts at local midnight: total_increasing takes a fall as a new cycle, not as negative visits.
    add('sensor', 'lounge', 'visits_today', `${ids.site}_lounge_visits_today`, { name: '今日到访人次', value_template: '{{ value_json.visitsToday }}', state_class: 'total_increasing', icon: 'mdi:walk', ...lounge });
  }

  // One Home Assistant device per Tongxin device, with its sensors' calibrated values.
  const devices = new Map(config.devices.map((d) => [d.id, d]));
  for (const s of config.sensors) {
    const d = devices.get(s.device);
    const kind = KINDS[s.kind];
    const unit = s.unit === '' ? undefined : s.unit;
    const deviceClass = kind.deviceClass && unit !== undefined && kind.units?.includes(unit) ? kind.deviceClass : undefined;
    add('sensor', s.id, 'value', `tongxin_${site}_sensor_${s.id}`, {
      name: s.name?.zh ?? `${kind.zh} ${s.id}`,
      state_topic: topics.sensorValue(s.id),
      value_template: '{{ value_json.value }}',
      ...(unit !== undefined ? { unit_of_measurement: unit } : {}),
      ...(deviceClass ? { device_class: deviceClass } : {}),
      ...(kind.stateClass ? { state_class: kind.stateClass } : {}),
      // A value not renewed within the device's offline time is stale, as the service judges it too.
      ...(kind.periodic && d ? { expire_after: d.offlineAfterSeconds } : {}),
      device: { identifiers: [ids.device(s.device)], name: d?.name ?? s.device, manufacturer: 'Tongxin', model: d?.link ?? 'device', ...via },
      ...availability(s.device),
    });
  }

  // One device per collection point: open for drop-off or not, and each bin's fill and level.
  const sensorDevice = new Map(config.sensors.map((s) => [s.id, s.device]));
  for (const p of config.points) {
    const pointDevice = { identifiers: [ids.point(p.id)], name: p.name.zh, manufacturer: 'Tongxin', model: p.lateDrop ? '误时投放点' : '定时定点投放点', ...via };
    add('binary_sensor', p.id, 'open', `${ids.point(p.id)}_open`, {
      name: '开放投放',
      device_class: 'opening',
      state_topic: topics.pointState(p.id),
      value_template: "{{ 'ON' if value_json.open else 'OFF' }}",
      json_attributes_topic: topics.pointState(p.id),
      device: pointDevice,
      ...availability(),
    });
    for (const b of p.bins) {
      const cat = CATEGORY_ZH[b.category];
      const binAvailability = availability(b.sensor === undefined ? undefined : sensorDevice.get(b.sensor));
      add('sensor', b.id, 'fill', `tongxin_${site}_bin_${b.id}_fill`, {
        name: `${cat}桶满载率`,
        state_topic: topics.binState(b.id),
        // `fill` is null before the first reading: rendered `None`, which Home Assistant shows as unknown.
        value_template: '{{ value_json.fill }}',
        unit_of_measurement: '%',
        state_class: 'measurement',
        icon: 'mdi:delete-variant',
        json_attributes_topic: topics.binState(b.id),
        device: pointDevice,
        ...binAvailability,
      });
      add('sensor', b.id, 'level', `tongxin_${site}_bin_${b.id}_level`, {
        name: `${cat}桶满溢等级`,
        device_class: 'enum',
        options: [...BIN_LEVELS],
        state_topic: topics.binState(b.id),
        value_template: '{{ value_json.level }}',
        icon: 'mdi:delete-alert',
        device: pointDevice,
        ...binAvailability,
      });
    }
  }
  return out;
}
