import { get, type Bilingual } from './http.js';

/** Sensors and their history (src/sensors/ingest-module.ts, src/history/history-reads.ts). */
export interface Sensor {
  id: string;
  kind: string;
  unit: string;
  device: string;
  /** The site file gives a name in both languages, or none. */
  name: Bilingual | string | null;
  value: number | null;
  at: number | null;
  stale: boolean;
}

export type Resolution = 'raw' | 'minute' | 'hour';
export interface HistoryPoint {
  at: number;
  /** The mean of a bucket, or the reading itself at raw resolution. */
  value: number;
  min?: number;
  max?: number;
  count?: number;
}

export const RANGES = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 } as const;
export type Range = keyof typeof RANGES;

/**
 * A day reads best at `auto` (raw readings while they fit in 2000 points, else per minute); a week
 * or a month per hour (168 or 720 points): a small, fast chart either way.
 */
const QUERY: Record<Range, string> = { '24h': 'resolution=auto&limit=2000', '7d': 'resolution=hour&limit=2000', '30d': 'resolution=hour&limit=2000' };

export async function fetchSensors(signal?: AbortSignal): Promise<Sensor[]> {
  return (await get<{ sensors: Sensor[] }>('/api/sensors', signal)).sensors;
}

export async function fetchHistory(sensorId: string, range: Range, signal?: AbortSignal): Promise<{ resolution: Resolution; points: HistoryPoint[] }> {
  return get(`/api/sensors/${encodeURIComponent(sensorId)}/history?hours=${RANGES[range]}&${QUERY[range]}`, signal);
}
