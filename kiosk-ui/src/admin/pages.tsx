import type { FunctionComponent } from 'preact';
import type { Role } from '../api/admin/staff.js';
import { AlertsPage } from './alerts/AlertsPage.js';
import { ConcernsPage } from './concerns/ConcernsPage.js';
import { DevicesPage } from './devices/DevicesPage.js';
import { EventsPage } from './health/EventsPage.js';
import { ReportsPage } from './reports/ReportsPage.js';
import { SensorsPage } from './sensors/SensorsPage.js';
import { ServicesPage } from './services/ServicesPage.js';

/**
 * The admin page's parts and who may use them, as the service's guards say (an admin may use
 * all): committee members run the concerns queue; staff the rest. A part a role may not use is
 * not shown at all, rather than shown and refused.
 */
export const PAGES = ['services', 'events', 'concerns', 'alerts', 'sensors', 'devices', 'reports'] as const;
export type PageId = (typeof PAGES)[number];

export const PAGE_ROLES: Record<PageId, readonly Role[]> = {
  services: ['staff'],
  events: ['staff'],
  concerns: ['committee'],
  alerts: ['staff'],
  sensors: ['staff'],
  devices: ['staff'],
  reports: ['staff', 'committee'],
};

export const PAGE_COMPONENTS: Record<PageId, FunctionComponent> = {
  services: ServicesPage,
  events: EventsPage,
  concerns: ConcernsPage,
  alerts: AlertsPage,
  sensors: SensorsPage,
  devices: DevicesPage,
  reports: ReportsPage,
};

export const pagesFor = (role: Role): PageId[] => PAGES.filter((p) => role === 'admin' || PAGE_ROLES[p].includes(role));
