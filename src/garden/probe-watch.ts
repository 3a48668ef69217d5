import type { AlertsModule } from '../alerts/alerts-module.js';
import type { SensorConfig, SiteConfig } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import { isProbeOwnFault, probeStatus, type ProbeReading, type ProbeStatus } from './probe-trust.js';

/**
 * The latest reading of every garden probe and of the rain sensor, their trust, and the
 * `probe-faulty` alerts: raised when a probe's own fault appears (subject `probe:<sensorId>`),
 * resolved when it is trusted again. What is flagged is remembered so that a reading every few
 * seconds does not become a database query every few seconds.
 */
const RETRY_MS = 60_000; // a raise refused by the alerts' minimum interval is tried again this often
// A node back after a silence reports its probes one by one: for a moment the others look stale.
// Silence must outlast this before it is a fault worth a crew's attention; an impossible value is one at once.
const SILENCE_SETTLE_MS = 60_000;

export function createProbeWatch(d: {
  config: SiteConfig;
  alerts: AlertsModule;
  isDeviceOnline: (deviceId: string) => boolean;
  log: Logger;
}) {
  const { config, alerts } = d;
  const staleMs = config.garden.watering.probeStaleMinutes * 60_000;
  const sensors = new Map<string, SensorConfig>(config.sensors.map((s) => [s.id, s]));
  const watched = new Set([...config.garden.beds.flatMap((b) => b.sensors), ...(config.garden.watering.rainSensor ? [config.garden.watering.rainSensor] : [])]);
  const latest = new Map<string, ProbeReading>();
  const flagged = new Map<string, { raised: boolean; retryAt: number }>();
  const faultSince = new Map<string, { fault: string | undefined; since: number }>();
  let startedAt = 0;

  const status = (sensorId: string, now: number): ProbeStatus => {
    const s = sensors.get(sensorId);
    return probeStatus({ reading: latest.get(sensorId), validRange: s?.validRange, deviceOnline: s ? d.isDeviceOnline(s.device) : false, now, staleMs });
  };

  /** Its own fault; or it never reported in probeStaleMinutes since start although its device is alive. */
  const alertable = (sensorId: string, p: ProbeStatus, now: number) => {
    if (p.fault === 'impossible-value') return true;
    const since = faultSince.get(sensorId)?.since ?? now;
    if (now - since < SILENCE_SETTLE_MS) return false;
    if (isProbeOwnFault(p.fault)) return true;
    const s = sensors.get(sensorId);
    return p.fault === 'no-reading' && now - startedAt >= staleMs && s !== undefined && d.isDeviceOnline(s.device);
  };

  return {
    watches: (sensorId: string) => watched.has(sensorId),
    start(now: number, readings: readonly ({ sensorId: string } & ProbeReading)[]) {
      startedAt = now;
      for (const r of readings) if (watched.has(r.sensorId)) latest.set(r.sensorId, { raw: r.raw, value: r.value, at: r.at });
      for (const a of alerts.list('active', 10_000)) {
        if (a.kind === 'probe-faulty' && a.subject.startsWith('probe:')) flagged.set(a.subject.slice('probe:'.length), { raised: true, retryAt: 0 });
      }
    },
    record(sensorId: string, r: ProbeReading) {
      const prev = latest.get(sensorId);
      // Readings may arrive out of order (a batch from a node that was away): the newest counts.
      if (!prev || prev.at <= r.at) latest.set(sensorId, r);
    },
    status,
    statuses: (ids: readonly string[], now: number): Record<string, ProbeStatus> => Object.fromEntries(ids.map((id) => [id, status(id, now)])),
    /** The rain sensor's latest trusted value ≥ 1. An untrusted rain sensor is ignored: a dead gauge must not stop the garden for good. */
    raining(now: number): boolean {
      const id = config.garden.watering.rainSensor;
      if (!id) return false;
      const p = status(id, now);
      return p.trusted && p.value !== null && p.value >= 1;
    },
    updateAlerts(probes: Readonly<Record<string, ProbeStatus>>, now: number) {
      for (const [sensorId, p] of Object.entries(probes)) {
        const f = flagged.get(sensorId);
        if (p.trusted) {
          if (f?.raised) alerts.resolveSubject(`probe:${sensorId}`, ['probe-faulty'], 'probe trusted again');
          if (f) flagged.delete(sensorId);
          faultSince.delete(sensorId);
          continue;
        }
        if (faultSince.get(sensorId)?.fault !== p.fault) faultSince.set(sensorId, { fault: p.fault, since: now });
        if (f?.raised || (f && now < f.retryAt) || !alertable(sensorId, p, now)) continue;
        const sensor = sensors.get(sensorId);
        const raw = latest.get(sensorId)?.raw;
        const row = alerts.raise({
          kind: 'probe-faulty',
          subject: `probe:${sensorId}`,
          severity: 'warning',
          ...(sensor ? { deviceId: sensor.device } : {}),
          detail: { sensorId, fault: p.fault, ...(raw === undefined ? {} : { raw }), ...(sensor?.validRange ? { validRange: sensor.validRange } : {}) },
        });
        flagged.set(sensorId, { raised: row !== undefined, retryAt: now + RETRY_MS });
        if (row) d.log.warn({ sensorId, fault: p.fault, raw }, 'soil probe not trusted');
      }
    },
  };
}
export type ProbeWatch = ReturnType<typeof createProbeWatch>;
