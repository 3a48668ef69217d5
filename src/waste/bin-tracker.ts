import type { SiteConfig, WasteCategory } from '../config/schema.js';
import { initialEpisodes, stepEpisodes, type EpisodeState, type EpisodeStep } from './fill-episodes.js';
import { fillConfigFrom, initialFillState, stepFill, type FillState, type FillStep } from './fill-state.js';

/**
 * Every bin's fill state and alert episodes, stepped by its readings. Holds no I/O: the waste module
 * persists what `dirty()` returns and acts on each step's level changes, pickups and alerts.
 */
export interface TrackedBin {
  id: string;
  pointId: string;
  category: WasteCategory;
  sensorId: string | undefined;
  lidId: string | undefined;
  dropSensorId: string | undefined;
  fill: FillState;
  episodes: EpisodeState;
}

export function createBinTracker(config: SiteConfig) {
  const fillCfg = fillConfigFrom(config.waste.fill);
  const minIntervalMs = config.alerts.minIntervalMinutes * 60_000;
  const bins = new Map<string, TrackedBin>();
  const bySensor = new Map<string, TrackedBin>();
  const byDropSensor = new Map<string, TrackedBin>();
  const dirty = new Set<string>();
  for (const p of config.points) {
    for (const b of p.bins) {
      const tracked: TrackedBin = {
        id: b.id,
        pointId: p.id,
        category: b.category,
        sensorId: b.sensor,
        lidId: b.lid,
        dropSensorId: b.dropSensor,
        fill: initialFillState(),
        episodes: initialEpisodes(),
      };
      bins.set(b.id, tracked);
      if (b.sensor) bySensor.set(b.sensor, tracked);
      if (b.dropSensor) byDropSensor.set(b.dropSensor, tracked);
    }
  }

  return {
    all: () => [...bins.values()],
    get: (id: string) => bins.get(id),
    bySensor: (sensorId: string) => bySensor.get(sensorId),
    byDropSensor: (sensorId: string) => byDropSensor.get(sensorId),
    /** Restores what a previous run stored; a state that does not fit is dropped, not trusted. */
    restore(binId: string, stored: unknown) {
      const b = bins.get(binId);
      const s = stored as { fill?: FillState; episodes?: EpisodeState } | null;
      if (!b || !s?.fill || !Array.isArray(s.fill.recent) || !s.episodes) return;
      b.fill = s.fill;
      b.episodes = s.episodes;
    },
    step(bin: TrackedBin, reading: { value: number; at: number }, now: number): { fill: FillStep; episodes: EpisodeStep } {
      const fill = stepFill(bin.fill, reading, fillCfg, config.waste.pickup);
      const episodes = stepEpisodes(bin.episodes, fill, now, minIntervalMs);
      if (fill.levelChanged || fill.pickup || episodes.raise.length > 0 || episodes.resolve.length > 0) dirty.add(bin.id);
      bin.fill = fill.state;
      bin.episodes = episodes.ep;
      return { fill, episodes };
    },
    /** Bins whose state changed in a way worth keeping across a restart; clears the set. */
    takeDirty(): TrackedBin[] {
      const out = [...dirty].map((id) => bins.get(id) as TrackedBin);
      dirty.clear();
      return out;
    },
    markDirty: (id: string) => dirty.add(id),
  };
}
export type BinTracker = ReturnType<typeof createBinTracker>;
