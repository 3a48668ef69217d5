import type { AlertsModule } from '../alerts/alerts-module.js';
import type { SiteConfig } from '../config/schema.js';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../core/log.js';
import type { WasteCalendar } from '../waste/calendar.js';
import { bedMoisture } from './bed-moisture.js';
import type { GardenStore, RunRow, StuckValve } from './garden-store.js';
import { nextLevel, type GardenLevel } from './levels.js';
import type { ProbeStatus } from './probe-trust.js';
import { stuckCheck, stuckRecovered } from './stuck-valve.js';
import { decideWatering, type Override, type WateringDecision } from './watering-decision.js';

/**
 * One bed's step: probes → moisture → level; an override past its end is dropped; a stuck valve is
 * found or recovers; the watering decision; the run log follows the decision. The valve command and
 * publishing are the module's. State that must survive a restart goes to the store as it changes.
 */
export type Bed = SiteConfig['garden']['beds'][number];

export interface ActiveRun {
  id: number;
  startedAt: number;
  byOverride: boolean;
  moistureBefore: number | null;
  /** the bed got wetter by stuckRisePercent during this run: it is not stuck */
  riseSeen: boolean;
}

export interface BedRuntime {
  bed: Bed;
  marks: { low: number; high: number };
  level: GardenLevel;
  run: ActiveRun | null;
  lastRun: RunRow | null;
  override: (Override & { setBy: string }) | null;
  view: BedView | null;
}

export interface BedView {
  bedId: string;
  probes: Record<string, ProbeStatus>;
  moisture: number | null;
  level: GardenLevel;
  decision: WateringDecision;
  override: (Override & { setBy: string }) | null;
  lastRun: RunRow | null;
  stuck: StuckValve | null;
  at: number;
}

const MIN = 60_000;

export function createBedController(d: {
  config: SiteConfig;
  store: GardenStore;
  alerts: AlertsModule;
  calendar: WasteCalendar;
  counters: Counters;
  log: Logger;
}) {
  const { config, store, alerts, counters, log } = d;
  const rules = config.garden.watering;
  const valveDevice = new Map(config.actuators.map((a) => [a.id, a.device]));
  const stuck = new Map<string, StuckValve>();
  const beds = new Map<string, BedRuntime>();

  const load = () => {
    const overrides = new Map(store.overrides().map((o) => [o.bedId, o]));
    for (const s of store.stuck()) stuck.set(s.valveId, s);
    for (const bed of config.garden.beds) {
      const lastRun = store.lastRun(bed.id) ?? null;
      // A run still open was on when the service stopped: it goes on, and max-run counts from its start.
      const run = lastRun && lastRun.endedAt === null && bed.valve !== undefined
        ? { id: lastRun.id, startedAt: lastRun.startedAt, byOverride: lastRun.startReason === 'override', moistureBefore: lastRun.moistureBefore, riseSeen: false }
        : null;
      const o = overrides.get(bed.id);
      beds.set(bed.id, {
        bed,
        marks: { low: bed.lowPercent ?? rules.lowPercent, high: bed.highPercent ?? rules.highPercent },
        level: 'unknown',
        run,
        lastRun,
        override: o ? { state: o.state, setAt: o.setAt, until: o.until, setBy: o.setBy } : null,
        view: null,
      });
    }
  };

  const endRun = (rt: BedRuntime, now: number, reason: string, moisture: number | null) => {
    if (!rt.run) return;
    store.endRun(rt.run.id, now, reason, moisture);
    counters.inc('garden_runs_ended', reason);
    log.info({ bedId: rt.bed.id, reason, minutes: Math.round((now - rt.run.startedAt) / 600) / 100, moisture }, 'watering stopped');
    rt.lastRun = rt.lastRun && rt.lastRun.id === rt.run.id ? { ...rt.lastRun, endedAt: now, endReason: reason, moistureAfter: moisture } : store.lastRun(rt.bed.id) ?? null;
    rt.run = null;
  };

  const startRun = (rt: BedRuntime, now: number, decision: WateringDecision, moisture: number | null, valveId: string) => {
    const startReason = decision.mode === 'override-on' ? 'override' : 'dry';
    const id = store.startRun({ bedId: rt.bed.id, valveId, startedAt: now, startReason, moistureBefore: moisture });
    counters.inc('garden_runs_started', startReason);
    log.info({ bedId: rt.bed.id, reason: startReason, moisture }, 'watering started');
    rt.run = { id, startedAt: now, byOverride: startReason === 'override', moistureBefore: moisture, riseSeen: false };
    rt.lastRun = { id, bedId: rt.bed.id, valveId, startedAt: now, startReason, moistureBefore: moisture, endedAt: null, endReason: null, moistureAfter: null };
  };

  /** A valve found stuck: alert, and no automatic retry; an override in force ends (it may be what kept it open). */
  const markStuck = (rt: BedRuntime, valveId: string, now: number, moisture: number | null) => {
    const run = rt.run as ActiveRun;
    if (!stuck.has(valveId)) {
      const s: StuckValve = { valveId, bedId: rt.bed.id, since: now, moisture };
      stuck.set(valveId, s);
      store.setStuck(s);
    }
    if (rt.override) setOverride(rt, null);
    counters.inc('garden_valves_stuck');
    log.warn({ bedId: rt.bed.id, valveId, moistureBefore: run.moistureBefore, moisture }, 'valve seems stuck: the bed does not get wetter');
    const deviceId = valveDevice.get(valveId);
    alerts.raise({
      kind: 'valve-stuck',
      subject: `valve:${valveId}`,
      severity: 'warning',
      ...(deviceId ? { deviceId } : {}),
      detail: { valveId, bedId: rt.bed.id, minutes: Math.round((now - run.startedAt) / MIN), moistureBefore: run.moistureBefore, moisture },
    });
  };

  const setOverride = (rt: BedRuntime, o: (Override & { setBy: string }) | null) => {
    if (o) store.setOverride(rt.bed.id, o, o.setBy);
    else store.clearOverride(rt.bed.id);
    rt.override = o;
  };

  const evaluate = (rt: BedRuntime, now: number, probes: Record<string, ProbeStatus>, raining: boolean): BedView => {
    const moisture = bedMoisture(probes);
    rt.level = nextLevel(rt.level, moisture, { low: rt.marks.low, wet: rules.wetPercent, hysteresis: rules.hysteresisPercent });
    if (rt.override && now >= rt.override.until) {
      log.info({ bedId: rt.bed.id, state: rt.override.state }, 'override ended');
      setOverride(rt, null);
    }
    const valveId = rt.bed.valve;
    let s = valveId ? stuck.get(valveId) : undefined;
    if (valveId && s && stuckRecovered({ moistureWhenStuck: s.moisture, moisture, risePercent: rules.stuckRisePercent })) {
      stuck.delete(valveId);
      store.clearStuck(valveId);
      alerts.resolveSubject(`valve:${valveId}`, ['valve-stuck'], 'the bed got wetter');
      log.info({ bedId: rt.bed.id, valveId, moisture }, 'stuck valve recovered: the bed got wetter');
      s = undefined;
    }
    if (valveId && rt.run && !rt.run.riseSeen) {
      const verdict = stuckCheck({
        runStartedAt: rt.run.startedAt,
        moistureBefore: rt.run.moistureBefore,
        moisture,
        now,
        stuckAfterMs: rules.stuckAfterMinutes * MIN,
        risePercent: rules.stuckRisePercent,
      });
      if (verdict === 'rose') rt.run.riseSeen = true;
      if (verdict === 'stuck') {
        markStuck(rt, valveId, now, moisture);
        s = stuck.get(valveId);
      }
    }
    const lastEnded = rt.lastRun?.endedAt != null ? { endedAt: rt.lastRun.endedAt, endReason: rt.lastRun.endReason ?? '' } : null;
    const decision = decideWatering(
      {
        now,
        hasValve: valveId !== undefined,
        moisture,
        marks: rt.marks,
        run: rt.run ? { startedAt: rt.run.startedAt, byOverride: rt.run.byOverride } : null,
        lastRun: lastEnded,
        override: rt.override,
        raining,
        valveBlocked: s !== undefined,
      },
      { rules, calendar: d.calendar },
    );
    if (valveId && decision.on && !rt.run) startRun(rt, now, decision, moisture, valveId);
    if (!decision.on && rt.run) endRun(rt, now, decision.reason, moisture);
    rt.view = { bedId: rt.bed.id, probes, moisture, level: rt.level, decision, override: rt.override, lastRun: rt.lastRun, stuck: s ?? null, at: now };
    return rt.view;
  };

  return {
    beds,
    load,
    evaluate,
    setOverride,
    /** At stop: every valve is told off and its run closed, so a stopped service floods nothing. */
    endAllRuns(now: number, reason: string) {
      for (const rt of beds.values()) endRun(rt, now, reason, rt.view?.moisture ?? null);
    },
  };
}
export type BedController = ReturnType<typeof createBedController>;
