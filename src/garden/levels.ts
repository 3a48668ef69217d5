/**
 * A bed's level for people (kiosk, admin page, Node-RED): dry below the low mark, wet above the wet
 * mark, ok between. A bed leaves dry or wet only `hysteresis` past the mark, so a probe jittering
 * around a mark does not make the kiosk blink between two words.
 */
export const LEVELS = ['dry', 'ok', 'wet', 'unknown'] as const;
export type GardenLevel = (typeof LEVELS)[number];

export interface LevelMarks {
  /** drier than this is dry */
  low: number;
  /** wetter than this is wet */
  wet: number;
  hysteresis: number;
}

export function nextLevel(prev: GardenLevel, moisture: number | null, m: LevelMarks): GardenLevel {
  if (moisture === null) return 'unknown';
  if (prev === 'dry' && moisture < m.low + m.hysteresis) return 'dry';
  if (prev === 'wet' && moisture > m.wet - m.hysteresis) return 'wet';
  if (moisture < m.low) return 'dry';
  if (moisture > m.wet) return 'wet';
  return 'ok';
}
