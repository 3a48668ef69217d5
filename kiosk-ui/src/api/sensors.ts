import { getJson } from './http.js';

/** `/api/sensors`: the latest calibrated value of every sensor (src/sensors/ingest-module.ts). */
export interface SensorSnapshot {
  id: string;
  kind: string;
  unit: string;
  device: string;
  name: string | null;
  value: number | null;
  raw: number | null;
  /** Epoch milliseconds of the reading, or null before the first one. */
  at: number | null;
  /** No reading yet, or its device is not online: the value must not be shown as current. */
  stale: boolean;
}

export async function fetchSensors(signal?: AbortSignal): Promise<SensorSnapshot[]> {
  return (await getJson<{ sensors: SensorSnapshot[] }>('/api/sensors', signal)).sensors;
}
