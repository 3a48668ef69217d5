import { get, post, type Bilingual } from './http.js';

/** Crew alerts for staff (src/alerts/alerts-module.ts): the active list, ack and resolve. */
export type AlertState = 'open' | 'escalated' | 'acked' | 'resolved';

export interface Alert {
  alertId: string;
  kind: string;
  state: AlertState;
  severity: 'info' | 'warning' | 'critical';
  category?: string;
  pointId?: string;
  binId?: string;
  deviceId?: string;
  message: Bilingual;
  raisedAt: string;
  crews: string[];
  ackedBy?: string;
  resolution?: string;
}

export async function fetchActiveAlerts(signal?: AbortSignal): Promise<Alert[]> {
  return (await get<{ alerts: Alert[] }>('/api/alerts?state=active', signal)).alerts;
}

const step = async (id: string, action: 'ack' | 'resolve', note: string) =>
  (await post<{ alert: Alert }>(`/api/alerts/${encodeURIComponent(id)}/${action}`, note ? { note } : {})).alert;

export const ackAlert = (id: string, note: string) => step(id, 'ack', note);
export const resolveAlert = (id: string, note: string) => step(id, 'resolve', note);
