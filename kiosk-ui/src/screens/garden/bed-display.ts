import type { GardenLevel } from '../../api/garden.js';
import type { Bed } from '../../api/site.js';
import { median } from '../../format.js';
import { sensor, type Model, type SensorState } from '../../model.js';

/**
 * What one bed's tile shows, decided in one pure place. The garden controller's state comes first:
 * its moisture is the median of the probes it trusts, and its level and watering are what it decided.
 * Only when that state is missing (the garden module is down, or has not evaluated the bed yet) do the
 * sensors' own latest readings stand in, without a level.
 */
export interface ProbeDisplay {
  id: string;
  value: number | null;
  /** trusted by the controller (or, without its state, a current reading) */
  ok: boolean;
}

export type BedProblem =
  /** no probe has ever reported */
  | { kind: 'no-data' }
  /** probes have values, but the controller trusts none of them: no number is shown */
  | { kind: 'untrusted' }
  /** no state, and the readings shown are old: from this time */
  | { kind: 'old'; at: number | null };

export interface BedDisplay {
  moisture: number | null;
  level: GardenLevel;
  watering: boolean;
  probes: ProbeDisplay[];
  problem: BedProblem | null;
  source: 'state' | 'readings';
}

export function bedDisplay(model: Model, bed: Bed): BedDisplay {
  const state = model.beds.get(bed.id);
  if (state) {
    const probes = bed.sensors.map((id) => {
      const p = state.probes[id];
      return { id, value: p?.value ?? null, ok: p?.trusted === true && p.value !== null };
    });
    let problem: BedProblem | null = null;
    if (state.moisture === null) problem = probes.some((p) => p.value !== null) ? { kind: 'untrusted' } : { kind: 'no-data' };
    return { moisture: state.moisture, level: state.level, watering: state.watering, probes, problem, source: 'state' };
  }
  return fromReadings(model, bed);
}

/** The fallback: old values only stand in when no probe of the bed is current, and are then marked as old. */
function fromReadings(model: Model, bed: Bed): BedDisplay {
  const states = bed.sensors.map((id) => ({ id, s: sensor(model, id) }));
  const fresh: number[] = [];
  const any: number[] = [];
  let newest: SensorState | undefined;
  for (const { s } of states) {
    if (!s || s.value === null) continue;
    any.push(s.value);
    if (!s.stale) fresh.push(s.value);
    if (newest === undefined || (s.at ?? 0) > (newest.at ?? 0)) newest = s;
  }
  const moisture = fresh.length > 0 ? median(fresh) : median(any);
  let problem: BedProblem | null = null;
  if (any.length === 0) problem = { kind: 'no-data' };
  else if (fresh.length === 0) problem = { kind: 'old', at: newest?.at ?? null };
  const probes = states.map(({ id, s }) => ({ id, value: s?.value ?? null, ok: !!s && !s.stale && s.value !== null }));
  return { moisture, level: 'unknown', watering: false, probes, problem, source: 'readings' };
}
