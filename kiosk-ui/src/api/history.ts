import { getJson } from './http.js';

/**
 * `/api/sensors/:id/history` (src/sensors/ingest-module.ts, src/history/history-reads.ts): a sensor's
 * calibrated values over the last `hours`, oldest first. Roll-up points (minute, hour) carry the
 * bucket's mean as `value` (and min, max, count), and their `at` is the bucket's start, aligned to
 * the epoch: two sensors' hour buckets line up by `at`.
 */
export type Resolution = 'raw' | 'minute' | 'hour';

export interface HistoryPoint {
  /** epoch ms (a bucket's start for roll-ups) */
  at: number;
  value: number;
  min?: number;
  max?: number;
  count?: number;
}

export interface SensorHistory {
  sensorId: string;
  resolution: Resolution;
  points: HistoryPoint[];
}

export interface HistoryQuery {
  /** how far back, 0.01 … 744 (31 days) */
  hours: number;
  resolution?: Resolution | 'auto';
  /** the most recent `limit` points, 1 … 10 000 */
  limit?: number;
}

export function fetchSensorHistory(sensorId: string, q: HistoryQuery, signal?: AbortSignal): Promise<SensorHistory> {
  const params = new URLSearchParams({ hours: String(q.hours), resolution: q.resolution ?? 'auto' });
  if (q.limit !== undefined) params.set('limit', String(q.limit));
  return getJson<SensorHistory>(`/api/sensors/${encodeURIComponent(sensorId)}/history?${params.toString()}`, signal);
}
