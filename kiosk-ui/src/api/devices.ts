import { getJson } from './http.js';

/** `/api/devices`: presence of every device (src/sensors/devices-module.ts). */
export type DeviceStatus = 'online' | 'offline' | 'unknown';

export interface DeviceSnapshot {
  id: string;
  name: string | null;
  link: string;
  status: DeviceStatus;
  reason: string | null;
  since: number | null;
  lastSeen: number | null;
}

export async function fetchDevices(signal?: AbortSignal): Promise<DeviceSnapshot[]> {
  return (await getJson<{ devices: DeviceSnapshot[] }>('/api/devices', signal)).devices;
}
