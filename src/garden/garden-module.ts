import type { AlertsModule } from '../alerts/alerts-module.js';
import { childLogger } from '../core/log.js';
import { errors } from '../core/errors.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import type { WasteCalendar } from '../waste/calendar.js';
import { createBedController, type BedRuntime } from './bed-controller.js';
import { createGardenStore } from './garden-store.js';
import { gardenPayload, createStatePublisher } from './garden-state.js';
import { gardenRoutes, type OverrideRequest } from './garden-routes.js';
import { createProbeWatch } from './probe-watch.js';
import { quietTimeAt } from './quiet-times.js';
import { createValves } from './valves.js';

/**
 * The pocket garden's beds (DESIGN.md §Processes, the garden): moisture from trusted probes, levels
 * with hysteresis, valves watered by the pure decision in watering-decision.ts, stuck valves and
 * faulty probes alerted, runs logged, `garden/<bedId>/state` retained. A bed is stepped at every tick,
 * on each reading of its probes, when a device of its changes status, and when staff override it.
 */
export interface GardenDeps extends ModuleDeps {
  alerts: AlertsModule;
  calendar: WasteCalendar;
  isDeviceOnline: (deviceId: string) => boolean;
  /** the latest stored reading per sensor, so trust and moisture are known at once after a restart */
  latestReadings?: () => { sensorId: string; raw: number; value: number; at: number }[];
  tickMs?: number;
  valveResendMs?: number;
}

const PUBLISH_MIN_MS = 5_000;
const VALVE_RESEND_MS = 30_000;
const MIN = 60_000;

export function createGardenModule(deps: GardenDeps) {
  const { config, bus, mqtt, clock, counters, topics, alerts } = deps;
  const log = childLogger(deps.log, 'garden');
  const rules = config.garden.watering;
  const { calendar } = deps;
  const store = createGardenStore(deps.store.db);
  const probes = createProbeWatch({ config, alerts, isDeviceOnline: deps.isDeviceOnline, log });
  const beds = createBedController({ config, store, alerts, calendar, counters, log });
  const valves = createValves({ config, mqtt, topics, counters, log, resendMs: deps.valveResendMs ?? VALVE_RESEND_MS });
  const shouldPublish = createStatePublisher(PUBLISH_MIN_MS);
  const sensorDevice = new Map(config.sensors.map((s) => [s.id, s.device]));
  const valveDevice = new Map(config.actuators.map((a) => [a.id, a.device]));
  let timer: NodeJS.Timeout | undefined;

  const step = (rt: BedRuntime, now: number, raining: boolean) => {
    try {
      const view = beds.evaluate(rt, now, probes.statuses(rt.bed.sensors, now), raining);
      probes.updateAlerts(view.probes, now);
      if (rt.bed.valve) void valves.enforce(rt.bed.valve, view.decision.on ? 'on' : 'off', view.decision.reason, now);
      const payload = gardenPayload(view);
      if (!shouldPublish(payload, now)) return;
      void mqtt.publish(topics.gardenState(rt.bed.id), JSON.stringify(payload), { qos: 1, retain: true }).catch((err: unknown) => log.warn({ err: (err as Error).message, bedId: rt.bed.id }, 'publish failed'));
      bus.emit('gardenStateChanged', payload);
    } catch (err) {
      log.error({ err, bedId: rt.bed.id }, 'garden step failed');
    }
  };

  const tick = () => {
    const now = clock.now();
    const raining = probes.raining(now);
    for (const rt of beds.beds.values()) step(rt, now, raining);
  };

  const stepWhere = (match: (rt: BedRuntime) => boolean) => {
    const now = clock.now();
    const raining = probes.raining(now);
    for (const rt of beds.beds.values()) if (match(rt)) step(rt, now, raining);
  };

  // A burst of readings (a bridge's batch, a node back online) steps each bed once, right after the
  // burst, instead of once per reading: the decision only needs the latest probes.
  const dueBeds = new Set<BedRuntime>();
  let stepQueued: NodeJS.Immediate | undefined;
  const stepSoon = (sensorId: string) => {
    for (const rt of beds.beds.values()) if (rt.bed.sensors.includes(sensorId)) dueBeds.add(rt);
    stepQueued ??= setImmediate(() => {
      stepQueued = undefined;
      const due = new Set(dueBeds);
      dueBeds.clear();
      stepWhere((rt) => due.has(rt));
    });
  };

  const override = (req: OverrideRequest) => {
    const rt = beds.beds.get(req.bedId);
    if (!rt) throw errors.notFound(`no bed "${req.bedId}"`);
    if (!rt.bed.valve) throw errors.conflict(`bed "${req.bedId}" has no valve to override`);
    const now = clock.now();
    const asked = req.minutes ?? rules.overrideMaxMinutes;
    const minutes = Math.min(asked, rules.overrideMaxMinutes);
    const o = req.state === 'auto' ? null : { state: req.state, setAt: now, until: now + minutes * MIN, setBy: req.actor };
    // The change and its audit entry are one transaction: the log never claims an override that did not happen.
    deps.store.db.transaction(() => {
      beds.setOverride(rt, o);
      req.audit({ state: req.state, ...(o ? { minutes, until: new Date(o.until).toISOString() } : {}) });
    })();
    log.info({ bedId: rt.bed.id, state: req.state, minutes: o ? minutes : null, by: req.actor }, 'override set');
    step(rt, now, probes.raining(now));
    return { override: o ? { state: o.state, until: new Date(o.until).toISOString(), minutes, capped: asked > minutes } : null };
  };

  /**
   * What keeps an automation (a Node-RED flow) from turning this bed's valve on now: the rules a
   * staff override may set aside, because a person on site decided, but a flow may not.
   */
  const automationHold = (bedId: string): 'raining' | 'quiet-time' | 'valve-stuck' | undefined => {
    const rt = beds.beds.get(bedId);
    if (!rt) return undefined;
    const now = clock.now();
    if (rt.view?.stuck) return 'valve-stuck';
    if (probes.raining(now)) return 'raining';
    if (quietTimeAt(rules.quietTimes, now, calendar)) return 'quiet-time';
    return undefined;
  };

  const module: Module & { tick: () => void; override: typeof override; automationHold: typeof automationHold } = {
    name: 'garden',
    tick,
    override,
    automationHold,
    async start() {
      const now = clock.now();
      beds.load();
      for (const rt of beds.beds.values()) if (rt.run && rt.bed.valve) valves.unknownState(rt.bed.valve);
      probes.start(now, deps.latestReadings?.() ?? []);
      bus.on('garden', 'readingAccepted', (r) => {
        if (!probes.watches(r.sensorId)) return;
        probes.record(r.sensorId, { raw: r.raw, value: r.value, at: r.at });
        if (r.sensorId === rules.rainSensor) return tick();
        stepSoon(r.sensorId);
      });
      bus.on('garden', 'deviceStatusChanged', (d) => {
        // A node that comes back has lost any command sent while it was away: tell its valves now.
        if (d.status === 'online') valves.deviceOnline(d.deviceId);
        stepWhere((rt) => (rt.bed.valve !== undefined && valveDevice.get(rt.bed.valve) === d.deviceId) || rt.bed.sensors.some((s) => sensorDevice.get(s) === d.deviceId));
      });
      await mqtt.subscribe(topics.actuatorStateAny, valves.onState, 1);
      tick();
      timer = setInterval(tick, deps.tickMs ?? 5000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (stepQueued) clearImmediate(stepQueued);
      stepQueued = undefined;
      bus.removeOwner('garden');
      await mqtt.unsubscribe(topics.actuatorStateAny, valves.onState).catch(() => undefined);
      // A stopped service cannot stop a run: close every valve it opened. Overrides are kept.
      const now = clock.now();
      const open = [...beds.beds.values()].filter((rt) => rt.run && rt.bed.valve);
      beds.endAllRuns(now, 'service-stopped');
      await Promise.all(open.map((rt) => valves.enforce(rt.bed.valve as string, 'off', 'service-stopped', now)));
    },
    routes: gardenRoutes({
      config,
      clock,
      auth: deps.auth,
      beds: () => [...beds.beds.values()].map((rt) => ({ rt, valve: rt.bed.valve ? valves.valves.get(rt.bed.valve) : undefined })),
      runs: (bedId, since) => store.runsSince(bedId, since),
      override,
    }),
  };
  return module;
}
export type GardenModule = ReturnType<typeof createGardenModule>;
