import type { FastifyPluginAsync } from 'fastify';
import { parseDeviceStatus } from '../contract/parse.js';
import { parseSiteTopic } from '../contract/topics.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { nextDeviceState, type DeviceInput, type DeviceState } from './device-status.js';

const TICK_MS = 5_000;

/**
 * Device presence: `device/<id>/status` (retained, and the device's last will) plus a last-seen
 * timeout fed by its readings. Changes are stored, emitted on the bus and shown by /api/devices.
 */
export function createDevicesModule(deps: ModuleDeps) {
  const { config, store, bus, mqtt, clock, counters, topics } = deps;
  const log = childLogger(deps.log, 'devices');
  const devices = new Map(config.devices.map((d) => [d.id, d]));
  const sensorDevice = new Map(config.sensors.map((s) => [s.id, s.device]));
  const states = new Map<string, DeviceState>();
  const save = store.db.prepare(
    `INSERT INTO device_status (device_id, status, reason, changed_at, last_seen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(device_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
       changed_at = excluded.changed_at, last_seen = excluded.last_seen`,
  );
  const load = store.db.prepare<[], { deviceId: string; status: 'online' | 'offline'; reason: DeviceState['reason']; changedAt: number; lastSeen: number | null }>(
    'SELECT device_id AS deviceId, status, reason, changed_at AS changedAt, last_seen AS lastSeen FROM device_status',
  );
  let timer: NodeJS.Timeout | undefined;

  const apply = (deviceId: string, input: DeviceInput) => {
    const prev = states.get(deviceId);
    const next = nextDeviceState(prev, input);
    if (!next || next === prev) return;
    states.set(deviceId, next);
    if (prev?.status === next.status) return; // only lastSeen moved: kept in memory, saved on change
    try {
      save.run(deviceId, next.status, next.reason, next.changedAt, next.lastSeen);
    } catch (err) {
      // A full disk: the change still counts (kept in memory, shown and emitted); it is saved with
      // the device's next change. Thrown from the tick's timer, it would end the process.
      store.noteWrite(err);
      log.error({ err, deviceId }, 'could not save device status');
    }
    log.info({ deviceId, status: next.status, reason: next.reason }, 'device status changed');
    bus.emit('deviceStatusChanged', { deviceId, status: next.status, reason: next.reason, at: next.changedAt, lastSeen: next.lastSeen });
  };

  const onStatus = (topic: string, payload: Buffer) => {
    const parsed = parseSiteTopic(config.site.id, topic);
    if (parsed?.kind !== 'deviceStatus' || !devices.has(parsed.deviceId)) {
      counters.inc('device_status_rejected', 'unknown-device');
      return;
    }
    const result = parseDeviceStatus(payload);
    if (!result.ok) {
      counters.inc('device_status_rejected', result.reason);
      log.warn({ topic, reason: result.reason, detail: result.detail }, 'device status rejected');
      return;
    }
    apply(parsed.deviceId, { type: 'reported', status: result.value, at: clock.now() });
  };

  const routes: FastifyPluginAsync = async (app) => {
    app.get('/api/devices', async () => ({
      devices: config.devices.map((d) => {
        const s = states.get(d.id);
        return { id: d.id, name: d.name ?? null, link: d.link, status: s?.status ?? 'unknown', reason: s?.reason ?? null, since: s?.changedAt ?? null, lastSeen: s?.lastSeen ?? null };
      }),
    }));
  };

  const module: Module & { isOnline(deviceId: string): boolean } = {
    name: 'devices',
    isOnline: (id) => states.get(id)?.status === 'online',
    async start() {
      for (const row of load.all()) {
        if (devices.has(row.deviceId)) states.set(row.deviceId, { status: row.status, reason: row.reason, changedAt: row.changedAt, lastSeen: row.lastSeen });
      }
      bus.on('devices', 'readingAccepted', (r) => {
        const deviceId = sensorDevice.get(r.sensorId);
        if (deviceId) apply(deviceId, { type: 'seen', at: clock.now() });
      });
      await mqtt.subscribe(topics.deviceStatusAny, onStatus, 1);
      timer = setInterval(() => {
        const now = clock.now();
        for (const d of config.devices) apply(d.id, { type: 'tick', now, offlineAfterMs: d.offlineAfterSeconds * 1000 });
      }, TICK_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      bus.removeOwner('devices');
      await mqtt.unsubscribe(topics.deviceStatusAny, onStatus).catch(() => undefined);
    },
    routes,
  };
  return module;
}
