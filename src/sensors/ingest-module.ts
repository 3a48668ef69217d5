import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { parseSensorRaw } from '../contract/parse.js';
import { parseSiteTopic } from '../contract/topics.js';
import type { Reading, SensorValuePayload } from '../contract/payloads.js';
import type { SensorConfig } from '../config/schema.js';
import { errors } from '../core/errors.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import { createThrottledWarn } from '../core/throttled-log.js';
import type { ModuleDeps } from '../deps.js';
import type { Resolution } from '../history/buckets.js';
import type { HistoryReads } from '../history/history-reads.js';
import { calibrate } from './calibrate.js';
import { createReadingsStore } from './readings-store.js';

export const READINGS_ACCEPTED = 'readings_accepted';
export const READINGS_REJECTED = 'readings_rejected';
export const READINGS_DROPPED = 'readings_dropped';
export const READINGS_STORED = 'readings_stored';

/**
 * Inbound readings: `sensor/<id>/raw` → validated → calibrated → stored and emitted on the bus.
 * A bad message is counted under its reason and logged (throttled), never thrown.
 *
 * When is a reading acknowledged? Not at the broker's PUBACK: aedes answers a QoS 1 publish before
 * any subscriber has seen it. A reading is acknowledged once its batch has committed (synced to
 * disk, counted in `readings_stored`): from then on `/api/sensors/:id/history` shows it and a crash
 * or a power cut cannot lose it. What a crash can lose is the batch still in memory, at most 100 ms
 * (or 1,000 readings) of PUBACKed but unacknowledged readings; the device's next readings replace them.
 * A batch that cannot be written (a full disk) is dropped and counted in `readings_dropped` under its
 * reason, and /healthz names the store as degraded until a later batch is written.
 */
export function createIngestModule(deps: ModuleDeps & { isDeviceOnline: (deviceId: string) => boolean; historyReads: HistoryReads }) {
  const { config, store, bus, mqtt, clock, counters, topics } = deps;
  const log = childLogger(deps.log, 'sensors');
  const warn = createThrottledWarn(log, { now: clock.now });
  const sensors = new Map<string, SensorConfig>(config.sensors.map((s) => [s.id, s]));
  const latest = new Map<string, { raw: number; value: number; at: number }>();
  const readings = createReadingsStore(
    store.db,
    (err, dropped) => {
      store.noteWrite(err);
      const reason = store.writeProblem() ?? 'error';
      counters.inc(READINGS_DROPPED, reason, dropped);
      // Ten batches a second on a full disk: one line per reason and minute is enough.
      warn(`dropped:${reason}`, { err: (err as Error).message, reason, dropped }, 'could not store readings; dropped');
    },
    (written) => {
      if (store.writeProblem() !== undefined) log.info({ written }, 'readings are stored again');
      store.noteWrite();
      counters.inc(READINGS_STORED, undefined, written);
    },
  );

  const reject = (reason: string, topic: string, detail: string) => {
    counters.inc(READINGS_REJECTED, reason);
    warn(reason, { topic, reason, detail: detail.slice(0, 200) }, 'reading rejected');
  };

  const onRaw = (topic: string, payload: Buffer) => {
    const parsed = parseSiteTopic(config.site.id, topic);
    if (parsed?.kind !== 'sensorRaw') return reject('not-our-topic', topic, 'not a sensor topic');
    const sensor = sensors.get(parsed.sensorId);
    if (!sensor) return reject('unknown-sensor', topic, `no sensor "${parsed.sensorId}" in the site file`);
    const result = parseSensorRaw(payload, clock.now());
    if (!result.ok) return reject(result.reason, topic, result.detail);
    for (const r of result.value) {
      const reading: Reading = {
        sensorId: sensor.id,
        kind: sensor.kind,
        unit: sensor.unit,
        raw: r.raw,
        value: calibrate(r.raw, sensor),
        at: r.at,
      };
      readings.add(reading);
      const prev = latest.get(sensor.id);
      if (!prev || prev.at <= reading.at) latest.set(sensor.id, { raw: reading.raw, value: reading.value, at: reading.at });
      counters.inc(READINGS_ACCEPTED);
      bus.emit('readingAccepted', reading);
      publishValue(reading);
    }
  };

  /**
   * `sensor/<id>/value` for Node-RED and dashboards: the calibrated value, QoS 0, not retained. A
   * live value is worth nothing late, so none is queued while the broker is away.
   */
  const publishValue = (r: Reading) => {
    if (!mqtt.connected()) return;
    const body: SensorValuePayload = { sensorId: r.sensorId, kind: r.kind, value: r.value, unit: r.unit, at: new Date(r.at).toISOString() };
    mqtt.publish(topics.sensorValue(r.sensorId), JSON.stringify(body), { qos: 0 }).catch((err: unknown) => {
      counters.inc('sensor_values_unpublished');
      warn('value-publish', { sensorId: r.sensorId, err: (err as Error).message }, 'could not publish a sensor value');
    });
  };

  const routes: FastifyPluginAsync = async (app) => {
    app.get('/api/sensors', async () => ({
      sensors: config.sensors.map((s) => {
        const l = latest.get(s.id);
        const online = deps.isDeviceOnline(s.device);
        return {
          id: s.id,
          kind: s.kind,
          unit: s.unit,
          device: s.device,
          name: s.name ?? null,
          value: l?.value ?? null,
          raw: l?.raw ?? null,
          at: l?.at ?? null,
          // A value from a device we no longer hear from is shown as stale, not as current.
          stale: l === undefined || !online,
        };
      }),
    }));
    // Roll-ups (src/history) make a long range cheap: `auto` answers with raw readings when they all
    // fit in `limit`, as this endpoint always did, and with per-minute or per-hour buckets otherwise.
    const history = deps.historyReads;
    app.get(
      '/api/sensors/:id/history',
      {
        schema: {
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({
            hours: Type.Number({ minimum: 0.01, maximum: Math.max(24 * 31, config.history.hourDays * 24), default: 24 }),
            limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 2000 }),
            resolution: Type.Union([Type.Literal('auto'), Type.Literal('raw'), Type.Literal('minute'), Type.Literal('hour')], { default: 'auto' }),
          }),
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const { hours, limit, resolution } = req.query as { hours: number; limit: number; resolution: Resolution | 'auto' };
        if (!sensors.has(id)) throw errors.notFound(`no sensor "${id}"`);
        const now = clock.now();
        return { sensorId: id, ...history.read({ sensorId: id, since: now - hours * 3_600_000, now, resolution, limit }) };
      },
    );
  };

  const module: Module & { readings: typeof readings } = {
    name: 'sensors',
    readings,
    async start() {
      for (const row of readings.latest()) {
        if (sensors.has(row.sensorId)) latest.set(row.sensorId, { raw: row.raw, value: row.value, at: row.at });
      }
      await mqtt.subscribe(topics.sensorRawAny, onRaw, 1);
    },
    async stop() {
      await mqtt.unsubscribe(topics.sensorRawAny, onRaw).catch(() => undefined);
      readings.stop();
    },
    routes,
  };
  return module;
}
