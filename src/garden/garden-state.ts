import type { GardenStatePayload } from '../contract/payloads.js';
import type { BedView } from './bed-controller.js';

/**
 * `garden/<bedId>/state` from a bed's view. Published retained on change; a change of the numbers
 * alone (a probe's new reading) at most every `minIntervalMs`, so a node reporting every second
 * does not retain a new message every second, while a change of level, watering, mode or reason goes
 * out at once.
 */
const iso = (ms: number) => new Date(ms).toISOString();
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export function gardenPayload(v: BedView): GardenStatePayload {
  return {
    bedId: v.bedId,
    moisture: round1(v.moisture),
    level: v.level,
    watering: v.decision.on,
    mode: v.decision.mode,
    reason: v.decision.reason,
    overrideUntil: v.override && v.at < v.override.until ? iso(v.override.until) : null,
    probes: Object.fromEntries(
      Object.entries(v.probes).map(([id, p]) => [id, { value: round1(p.value), trusted: p.trusted, ...(p.fault ? { fault: p.fault } : {}) }]),
    ),
    lastRun: v.lastRun ? { startedAt: iso(v.lastRun.startedAt), endedAt: v.lastRun.endedAt === null ? null : iso(v.lastRun.endedAt), endReason: v.lastRun.endReason } : null,
    at: iso(v.at),
  };
}

/** Decides whether a bed's new payload is published; remembers what was. */
export function createStatePublisher(minIntervalMs: number) {
  const last = new Map<string, { full: string; essential: string; at: number }>();
  return (p: GardenStatePayload, now: number): boolean => {
    const { at: _at, moisture: _m, probes, ...rest } = p;
    const essential = JSON.stringify({ ...rest, trusted: Object.values(probes).map((x) => x.fault ?? 'ok') });
    const full = JSON.stringify({ ...rest, moisture: p.moisture, probes });
    const prev = last.get(p.bedId);
    if (prev?.full === full) return false;
    if (prev && prev.essential === essential && now - prev.at < minIntervalMs) return false;
    last.set(p.bedId, { full, essential, at: now });
    return true;
  };
}
