import { getJson } from './http.js';

/** `/api/site`: names, places and hours of the site, and the kiosk's idle times (src/http/site.ts). */
export interface Text {
  zh: string;
  en: string;
}

export type WasteCategory = 'recyclable' | 'hazardous' | 'wet' | 'dry';

export interface Door {
  id: string;
  name: Text;
  inSensor: string;
  outSensor: string;
}

export interface Bed {
  id: string;
  name: Text;
  sensors: string[];
  valve?: string;
}

export interface Bin {
  id: string;
  category: WasteCategory;
  sensor?: string;
  lid?: string;
}

export interface WastePoint {
  id: string;
  name: Text;
  place?: Text;
  lateDrop?: boolean;
  bins: Bin[];
}

export interface Site {
  id: string;
  name: Text;
  timezone: string;
  sample: boolean;
  lounge: { hours: { open: string; close: string }; doors: Door[] };
  garden: { beds: Bed[] };
  points: WastePoint[];
  /** Idle times of the lobby screen (config `kiosk`). */
  kiosk: { idleSeconds: number; promptSeconds: number };
}

export function fetchSite(signal?: AbortSignal): Promise<Site> {
  return getJson<Site>('/api/site', signal);
}
