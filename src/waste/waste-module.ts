import type { AlertsModule } from '../alerts/alerts-module.js';
import type { Severity } from '../alerts/alert-store.js';
import { parseActuatorState, type ActuatorReportedState } from '../contract/parse.js';
import type { BinStatePayload, PointStatePayload } from '../contract/payloads.js';
import { parseSiteTopic } from '../contract/topics.js';
import type { Reading } from '../contract/payloads.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { createBinTracker, type TrackedBin } from './bin-tracker.js';
import type { WasteCalendar } from './calendar.js';
import type { FillAlertKind } from './fill-episodes.js';
import { desiredLid, lidDecisionTime, lidNeedsCommand, type LidState } from './lid-decision.js';
import { slotCheckRange, slotOutcome } from './missed-pickups.js';
import { slotContaining, slotKey, slotsEndingIn } from './pickup-slots.js';
import { pointState, type PointState } from './schedule.js';
import { createWasteStore } from './waste-store.js';
import { wasteRoutes } from './waste-routes.js';

/**
 * Enforces the timed, fixed-point, sorted schedule (DESIGN.md §Waste): bin fill from readings with
 * alerts per episode, pickups recognised from drops, missed pickups judged once per slot, lids that
 * follow the windows, point and bin state published retained for the kiosk and Node-RED. Decisions
 * are the pure functions beside this file; this module does the I/O around them.
 */
const SEVERITY: Record<FillAlertKind, Severity> = { 'bin-warn': 'info', 'bin-full': 'warning', 'bin-overflow': 'critical' };
const BIN_PUBLISH_MIN_MS = 5_000;
const SLOT_MARK = 'waste_slots_checked_until';
/** A clock set back by at most this much (NTP correcting a fast clock) does not move lids back across an edge. */
const LID_HOLD_MAX_MS = 15 * 60_000;

export interface WasteDeps extends ModuleDeps {
  alerts: AlertsModule;
  clockTrusted: () => boolean;
  calendar: WasteCalendar;
  readingsHistory?: (sensorId: string, sinceMs: number, limit: number) => { at: number; value: number }[];
  tickMs?: number;
}

export function createWasteModule(deps: WasteDeps) {
  const { config, store, bus, mqtt, clock, counters, topics, alerts } = deps;
  const log = childLogger(deps.log, 'waste');
  const tz = config.site.timezone;
  const { calendar } = deps;
  const db = createWasteStore(store.db);
  const lidIds = new Set(config.actuators.filter((a) => a.kind === 'lid').map((a) => a.id));
  const bins = createBinTracker(config);
  const points = new Map(config.points.map((p) => [p.id, p]));
  const states = new Map<string, PointState>();
  const published = new Map<string, string>(); // topic → payload without `at`, to publish on change only
  const binPublishedAt = new Map<string, number>();
  const lids = new Map<string, { commanded?: LidState; sentAt?: number; reported?: ActuatorReportedState }>();
  let timer: NodeJS.Timeout | undefined;
  // The latest trusted time lids were decided at, and whether the clock was untrusted at the last tick.
  let lidLatest: number | undefined;
  let untrustedSeen = false;

  const iso = (ms: number) => new Date(ms).toISOString();
  const publishRetainedIfChanged = (topic: string, body: Record<string, unknown>, now: number) => {
    const key = JSON.stringify(body);
    if (published.get(topic) === key) return false;
    published.set(topic, key);
    void mqtt.publish(topic, JSON.stringify({ ...body, at: iso(now) }), { qos: 1, retain: true }).catch((err: unknown) => log.warn({ err: (err as Error).message, topic }, 'publish failed'));
    return true;
  };

  const binPayload = (b: TrackedBin, now: number): BinStatePayload => ({
    binId: b.id,
    pointId: b.pointId,
    category: b.category,
    fill: b.fill.filtered === null ? null : Math.round(b.fill.filtered * 10) / 10,
    level: b.fill.level,
    at: iso(now),
  });

  const publishBin = (b: TrackedBin, now: number, force: boolean) => {
    if (!force && now - (binPublishedAt.get(b.id) ?? 0) < BIN_PUBLISH_MIN_MS) return;
    const { at: _at, ...body } = binPayload(b, now);
    if (publishRetainedIfChanged(topics.binState(b.id), body, now)) {
      binPublishedAt.set(b.id, now);
      bus.emit('binStateChanged', binPayload(b, now));
    }
  };

  const onBinReading = (b: TrackedBin, r: Reading) => {
    const now = clock.now();
    const { fill, episodes } = bins.step(b, { value: r.value, at: r.at }, now);
    const filled = fill.state.filtered ?? undefined;
    for (const kind of episodes.raise) {
      alerts.raise({ kind, subject: `bin:${b.id}`, severity: SEVERITY[kind], category: b.category, pointId: b.pointId, binId: b.id, detail: { fill: filled } });
    }
    if (episodes.resolve.length > 0) alerts.resolveSubject(`bin:${b.id}`, episodes.resolve, fill.pickup ? 'bin emptied' : 'fill went down');
    if (fill.pickup) recordPickup(b, fill.pickup);
    publishBin(b, now, fill.levelChanged !== null || fill.pickup !== null);
  };

  const recordPickup = (b: TrackedBin, p: { before: number; after: number; at: number }) => {
    const point = points.get(b.pointId);
    const slot = point ? slotContaining(point, b.category, p.at, calendar, tz, config.waste.pickup) : null;
    const row = { binId: b.id, pointId: b.pointId, category: b.category, at: p.at, fillBefore: p.before, fillAfter: p.after, slotKey: slot ? slotKey(slot) : null };
    db.recordPickup(row);
    counters.inc('waste_pickups', b.category);
    alerts.resolveSubject(`bin:${b.id}`, ['still-full-at-window-open'], 'bin emptied');
    // A late pickup still settles an earlier missed one for the same point and category.
    for (const a of alerts.list('active')) {
      if (a.kind === 'pickup-missed' && a.pointId === b.pointId && a.category === b.category) alerts.resolveSubject(a.subject, ['pickup-missed'], 'collected late');
    }
    bus.emit('pickupRecorded', { ...row, at: p.at });
    deps.outbox.publishEvent('pickup.recorded', { ...row, pickedUpAt: iso(p.at) });
    log.info({ binId: b.id, before: p.before, after: p.after, slot: row.slotKey }, 'pickup recorded');
  };

  const onDropSensor = (b: TrackedBin, r: Reading) => {
    if (r.value < 1) return; // a beam or lid sensor reports 1 for "something went in"
    const st = states.get(b.pointId)?.categories[b.category];
    const inWindow = Boolean(points.get(b.pointId)?.lateDrop || st?.open);
    db.recordDropoff(b.id, r.at, inWindow);
    counters.inc('waste_dropoffs', inWindow ? 'in-window' : 'out-of-window');
    if (!inWindow) {
      deps.outbox.publishEvent('dropoff.out-of-window', { binId: b.id, pointId: b.pointId, category: b.category, droppedAt: iso(r.at) });
    }
  };

  const enforceLids = (now: number, trusted: boolean) => {
    const lidAt = trusted ? lidDecisionTime({ now, latest: lidLatest, maxHoldMs: LID_HOLD_MAX_MS }) : now;
    lidLatest = trusted ? lidAt : undefined;
    const heldStates = new Map<string, PointState>();
    const stateAt = (pointId: string) => {
      if (lidAt === now) return states.get(pointId);
      const point = points.get(pointId);
      if (!point) return undefined;
      if (!heldStates.has(pointId)) heldStates.set(pointId, pointState(point, lidAt, calendar, tz));
      return heldStates.get(pointId);
    };
    for (const b of bins.all()) {
      if (!b.lidId) continue;
      const point = points.get(b.pointId);
      const open = stateAt(b.pointId)?.categories[b.category]?.open ?? false;
      const want = desiredLid({ categoryOpen: open, lateDrop: point?.lateDrop ?? false, clockTrusted: trusted, safeState: config.waste.lidsWhenClockUntrusted });
      const lid = lids.get(b.lidId) ?? {};
      lids.set(b.lidId, lid);
      if (!lidNeedsCommand({ desired: want.state, lastCommanded: lid.commanded, lastSentAt: lid.sentAt, reported: lid.reported, now, resendMs: config.waste.lidResendSeconds * 1000 })) continue;
      lid.commanded = want.state;
      lid.sentAt = now;
      counters.inc('lid_commands', want.reason);
      void mqtt.publish(topics.actuatorSet(b.lidId), JSON.stringify({ state: want.state, reason: want.reason, at: iso(now) }), { qos: 1 }).catch(() => undefined);
    }
  };

  const stillFullCheck = (pointId: string, category: string) => {
    for (const b of bins.all()) {
      if (b.pointId !== pointId || b.category !== category || b.fill.filtered === null) continue;
      if (b.fill.filtered < config.waste.stillFullAtWindowOpenPercent) continue;
      alerts.raise({ kind: 'still-full-at-window-open', subject: `bin:${b.id}`, severity: 'warning', category: b.category, pointId, binId: b.id, detail: { fill: b.fill.filtered } });
    }
  };

  const judgeSlots = (now: number, trusted: boolean) => {
    const stored = store.getMeta(SLOT_MARK);
    const range = slotCheckRange({ lastCheckedUntil: stored === undefined ? undefined : Number(stored), now, clockTrusted: trusted, untrustedUntilNow: untrustedSeen });
    untrustedSeen = !trusted;
    if (!range.check) {
      if (range.advanceTo !== undefined) store.setMeta(SLOT_MARK, String(range.advanceTo));
      return;
    }
    for (const point of config.points) {
      for (const slot of slotsEndingIn(point, range.from, range.to, calendar, tz, config.waste.pickup)) {
        const key = slotKey(slot);
        if (db.slotChecked(key)) continue;
        const sameBins = bins.all().filter((b) => b.pointId === point.id && b.category === slot.category);
        const fills = sameBins.map((b) => b.fill.filtered).filter((f): f is number => f !== null);
        const outcome = slotOutcome({
          pickupsInSlot: db.pickupsIn(point.id, slot.category, slot.from, slot.to),
          fullestFill: fills.length > 0 ? Math.max(...fills) : null,
          minFillPercent: config.waste.pickup.minFillPercent,
        });
        db.checkSlot(key, outcome, now);
        counters.inc('pickup_slots', outcome);
        if (outcome === 'missed') {
          alerts.raise({
            kind: 'pickup-missed',
            subject: `slot:${key}`,
            severity: 'warning',
            category: slot.category,
            pointId: point.id,
            ...(sameBins[0] ? { binId: sameBins[0].id } : {}),
            detail: { slot: `${slot.date} ${slot.at}`, fill: Math.max(...fills) },
          });
        }
      }
    }
    store.setMeta(SLOT_MARK, String(range.to));
  };

  const tick = () => {
    const now = clock.now();
    const trusted = deps.clockTrusted();
    try {
      for (const point of config.points) {
        const prev = states.get(point.id);
        const st = pointState(point, now, calendar, tz);
        states.set(point.id, st);
        for (const [category, c] of Object.entries(st.categories)) {
          if (trusted && prev && c?.open && !prev.categories[category as keyof typeof st.categories]?.open) stillFullCheck(point.id, category);
        }
        const body: Omit<PointStatePayload, 'at'> = {
          pointId: point.id,
          open: st.open,
          lateDrop: point.lateDrop,
          clockTrusted: trusted,
          categories: Object.fromEntries(
            Object.entries(st.categories).map(([cat, c]) => [
              cat,
              { open: c?.open ?? false, current: c?.current ? { from: iso(c.current.from), to: iso(c.current.to) } : null, next: c?.next ? { from: iso(c.next.from), to: iso(c.next.to) } : null },
            ]),
          ),
        };
        if (publishRetainedIfChanged(topics.pointState(point.id), body, now)) bus.emit('pointStateChanged', { ...body, at: iso(now) });
      }
      enforceLids(now, trusted);
      judgeSlots(now, trusted);
      for (const b of bins.takeDirty()) db.saveBin(b.id, { fill: b.fill, episodes: b.episodes }, now);
    } catch (err) {
      log.error({ err }, 'waste tick failed');
    }
  };

  const onActuatorState = (topic: string, payload: Buffer) => {
    const parsed = parseSiteTopic(config.site.id, topic);
    // Valves report on the same topic family; they are the garden's, not the schedule's.
    if (parsed?.kind !== 'actuatorState' || !lidIds.has(parsed.actuatorId)) return;
    const r = parseActuatorState(payload);
    if (!r.ok) {
      counters.inc('actuator_state_rejected', r.reason);
      return;
    }
    const lid = lids.get(parsed.actuatorId) ?? {};
    lid.reported = r.value.state;
    lids.set(parsed.actuatorId, lid);
    // The lid is commanded again after lidResendSeconds; the failure is counted and logged so that a
    // lid whose node is away shows up in /metrics and the log, not only as a bin left open.
    if (r.value.failed && lid.commanded !== undefined) {
      counters.inc('lid_commands_failed', r.value.failed.reason);
      log.warn({ actuatorId: parsed.actuatorId, requested: r.value.failed.requested, reason: r.value.failed.reason }, 'lid command failed');
    }
  };

  const module: Module & { tick: () => void } = {
    name: 'waste',
    tick,
    async start() {
      for (const { binId, state } of db.loadBins()) bins.restore(binId, state);
      bus.on('waste', 'readingAccepted', (r) => {
        const bin = bins.bySensor(r.sensorId);
        if (bin) return onBinReading(bin, r);
        const dropBin = bins.byDropSensor(r.sensorId);
        if (dropBin) onDropSensor(dropBin, r);
      });
      // A node that comes back (re-plugged, restarted, its bridge restarted) has lost any command
      // sent while it was away: tell its lids what they should be at the next tick, not after
      // lidResendSeconds.
      const lidDevice = new Map(config.actuators.filter((a) => a.kind === 'lid').map((a) => [a.id, a.device]));
      bus.on('waste', 'deviceStatusChanged', (d) => {
        if (d.status !== 'online') return;
        for (const [lidId, deviceId] of lidDevice) {
          const lid = lids.get(lidId);
          if (deviceId === d.deviceId && lid) delete lid.sentAt;
        }
      });
      await mqtt.subscribe(topics.actuatorStateAny, onActuatorState, 1);
      tick();
      timer = setInterval(tick, deps.tickMs ?? 5000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      bus.removeOwner('waste');
      await mqtt.unsubscribe(topics.actuatorStateAny, onActuatorState).catch(() => undefined);
      for (const b of bins.all()) db.saveBin(b.id, { fill: b.fill, episodes: b.episodes }, clock.now());
    },
    routes: wasteRoutes({ config, clock, bins, states, lids, db, alerts, clockTrusted: deps.clockTrusted, ...(deps.readingsHistory ? { readingsHistory: deps.readingsHistory } : {}) }),
  };
  return module;
}
export type WasteModule = ReturnType<typeof createWasteModule>;
