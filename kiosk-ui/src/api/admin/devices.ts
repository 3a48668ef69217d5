import { get } from './http.js';

/** Device presence (src/sensors/devices-module.ts). */
export interface Device {
  id: string;
  name: string | null;
  link: string;
  status: 'online' | 'offline' | 'unknown';
  reason: string | null;
  since: number | null;
  lastSeen: number | null;
}

export async function fetchDevices(signal?: AbortSignal): Promise<Device[]> {
  return (await get<{ devices: Device[] }>('/api/devices', signal)).devices;
}
