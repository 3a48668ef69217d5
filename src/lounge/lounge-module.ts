import type { LoungeOccupancyPayload, Reading } from '../contract/payloads.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import { createThrottledWarn } from '../core/throttled-log.js';
import type { ModuleDeps } from '../deps.js';
import { createHealthStore } from '../health/health-store.js';
import { localParts } from '../waste/local-time.js';
import { isOpen, localHourStart, loungeHours, minuteStart } from './hours.js';
import { loungeRoutes } from './lounge-routes.js';
import { advance, applyCount, initialOccupancy, restoreOccupancy, serialiseOccupancy, type OccupancyState, type ResetRecord, type Step } from './occupancy.js';
import { createVisitsStore, LOUNGE_MINUTE_DAYS, type VisitRow } from './visits-store.js';

/**
 * The lounge (DESIGN.md §The MQTT contract, `lounge/occupancy`): footfall readings from each door's
 * in and out counters → occupancy (occupancy.ts, pure), visits per hour and minute, resets at closing
 * time; `lounge/occupancy` retained and `occupancyChanged` on every change, `doorPassed` per person.
 *
 * Writes are coalesced: readings of one MQTT batch (a node catching up after being offline) are added
 * in memory and committed together on the next turn of the event loop, so a batch of 500 costs one
 * commit, not 500 synced ones. Anything that reads the tables (the routes, `tick`) flushes first.
 */
const TICK_MS = 15_000;
/** A counter reading above this is not a count of people through one door (a firmware or wiring fault). */
const MAX_COUNT_PER_READING = 500;
const DAY_MS = 86_400_000;
const COUNTING_SINCE = 'lounge_counting_since';

export function createLoungeModule(deps: ModuleDeps) {
  const { config, store, bus, mqtt, clock, counters, topics } = deps;
  const log = childLogger(deps.log, 'lounge');
  const warn = createThrottledWarn(log, { now: clock.now });
  const tz = config.site.timezone;
  const hours = loungeHours(config.lounge.hours, tz);
  const visits = createVisitsStore(store.db);
  const health = createHealthStore(store.db);
  const doorOf = new Map<string, { doorId: string; direction: 'in' | 'out' }>();
  for (const d of config.lounge.doors) {
    doorOf.set(d.inSensor, { doorId: d.id, direction: 'in' });
    doorOf.set(d.outSensor, { doorId: d.id, direction: 'out' });
  }

  let state: OccupancyState = initialOccupancy(clock.now(), hours);
  const pendingHours = new Map<string, VisitRow>();
  const pendingMinutes = new Map<string, VisitRow>();
  const pendingResets = new Map<string, ResetRecord>();
  let stateDirty = false;
  let flushScheduled = false;
  let published: string | undefined;
  let prunedOn: string | undefined;
  let timer: NodeJS.Timeout | undefined;

  const addPending = (into: Map<string, VisitRow>, doorId: string, start: number, direction: 'in' | 'out', n: number) => {
    const key = `${doorId}\u0000${start}`;
    const row = into.get(key) ?? { doorId, start, entries: 0, exits: 0 };
    if (direction === 'in') row.entries += n;
    else row.exits += n;
    into.set(key, row);
  };

  const flush = () => {
    flushScheduled = false;
    if (!stateDirty && pendingHours.size === 0 && pendingMinutes.size === 0 && pendingResets.size === 0) return;
    const now = clock.now();
    const [h, m, r, s] = [[...pendingHours.values()], [...pendingMinutes.values()], [...pendingResets.values()], serialiseOccupancy(state)];
    pendingHours.clear();
    pendingMinutes.clear();
    pendingResets.clear();
    stateDirty = false;
    try {
      visits.transaction(() => {
        visits.addVisits(h, m);
        for (const reset of r) visits.saveReset(reset, now);
        visits.saveState(s, now);
      });
    } catch (err) {
      // Occupancy stays right in memory and its state is saved again next time; the visit counts of
      // this batch are lost, a gap in the history that is counted and logged.
      stateDirty = true;
      counters.inc('lounge_store_errors');
      log.error({ err: (err as Error).message, hours: h.length, minutes: m.length }, 'could not store lounge counts');
    }
  };
  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  };

  const payload = (now: number): LoungeOccupancyPayload => ({ inside: state.inside, visitsToday: state.visitsToday, open: isOpen(now, hours), at: new Date(now).toISOString() });
  const publishIfChanged = (now: number) => {
    const p = payload(now);
    const key = `${p.inside}/${p.visitsToday}/${p.open}`;
    if (key === published) return;
    published = key;
    void mqtt.publish(topics.loungeOccupancy, JSON.stringify(p), { qos: 1, retain: true }).catch((err: unknown) => log.warn({ err: (err as Error).message }, 'publish failed'));
    bus.emit('occupancyChanged', p);
  };

  const take = (step: Step) => {
    if (step.state !== state) stateDirty = true;
    const lastDay = state.lastReset?.day;
    state = step.state;
    for (const r of step.resets) {
      pendingResets.set(r.day, r);
      // A record for the last reset's day is a late count correcting it, not a new reset.
      if (r.day === lastDay) continue;
      counters.inc('lounge_resets');
      log.info({ day: r.day, insideAtClose: r.insideAtClose, missedEntries: r.missedEntries }, 'occupancy reset at closing time');
    }
    if (step.missed > 0) counters.inc('lounge_missed_entries', undefined, step.missed);
    if (step.stale > 0) counters.inc('lounge_counts_stale', undefined, step.stale);
    return step;
  };

  const tick = () => {
    const now = clock.now();
    try {
      take(advance(state, now, hours));
      const today = localParts(now, tz).date;
      if (prunedOn !== today) {
        prunedOn = today;
        const pruned = visits.pruneMinutes(now - LOUNGE_MINUTE_DAYS * DAY_MS);
        if (pruned > 0) log.info({ pruned }, 'old per-minute lounge counts deleted');
      }
      flush();
      publishIfChanged(now);
    } catch (err) {
      log.error({ err }, 'lounge tick failed');
    }
  };

  const onReading = (r: Reading) => {
    const door = doorOf.get(r.sensorId);
    if (!door) return;
    const n = r.value;
    if (!Number.isInteger(n) || n < 0 || n > MAX_COUNT_PER_READING) {
      counters.inc('lounge_counts_rejected', 'not-a-count');
      return warn('not-a-count', { sensorId: r.sensorId, value: n }, 'footfall reading is not a count of people');
    }
    if (n === 0) return; // "nobody since the last reading": a heartbeat, nothing to add
    const now = clock.now();
    // A node whose clock runs ahead is counted now: a future time would move the day and the resets.
    const at = Math.min(r.at, now);
    take(advance(state, now, hours));
    take(applyCount(state, { direction: door.direction, count: n, at }, hours));
    addPending(pendingHours, door.doorId, localHourStart(at, tz), door.direction, n);
    addPending(pendingMinutes, door.doorId, minuteStart(at), door.direction, n);
    counters.inc('lounge_passages', door.direction, n);
    for (let i = 0; i < n; i++) bus.emit('doorPassed', { doorId: door.doorId, direction: door.direction, at });
    scheduleFlush();
    publishIfChanged(now);
  };

  /** Before answering: closings and midnights passed since the last tick are applied, counts committed. */
  const catchUp = () => {
    tick();
    return state;
  };

  /** The oldest instant attendance can be counted from: minutes before it are pruned or were never counted. */
  const keptSince = (now: number) => Math.max(Number(store.getMeta(COUNTING_SINCE) ?? now), now - LOUNGE_MINUTE_DAYS * DAY_MS);

  const module: Module & { tick: () => void } = {
    name: 'lounge',
    tick,
    start() {
      const now = clock.now();
      const stored = visits.loadState();
      const restored = restoreOccupancy(stored);
      if (stored !== undefined && !restored) log.warn('stored occupancy state is unreadable; starting from nobody inside');
      state = restored ?? initialOccupancy(now, hours);
      if (store.getMeta(COUNTING_SINCE) === undefined) store.setMeta(COUNTING_SINCE, String(now));
      stateDirty = !restored;
      published = undefined; // publish (and emit) once at start, whatever was published before
      tick();
      bus.on('lounge', 'readingAccepted', onReading);
      timer = setInterval(tick, TICK_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      bus.removeOwner('lounge');
      flush();
    },
    routes: loungeRoutes({ config, clock, hours, visits, health, auth: deps.auth, keptSince, catchUp }),
  };
  return module;
}
export type LoungeModule = ReturnType<typeof createLoungeModule>;
