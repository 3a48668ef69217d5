import { getJson } from './http.js';
import type { Text } from './site.js';

/**
 * `/api/services…` (src/services/public-routes.ts, catalogue.ts): the partner units' visible services
 * and the fixed category list with labels and counts. Read-only; staff edit them on the admin page.
 */
export type ServiceCategoryId = 'health' | 'finance' | 'digital' | 'legal' | 'elderly-care' | 'youth' | 'other';

export interface ServiceCategory {
  id: ServiceCategoryId;
  label: Text;
  /** visible services in it */
  count: number;
}

export interface PublicService {
  id: number;
  partnerId: number;
  name: Text;
  description: Text | null;
  category: ServiceCategoryId;
  hours: Text | null;
  place: Text | null;
  /** the unit's or a counter's public phone, never a person's */
  contact: string | null;
  /** an http(s) address the server has checked (no javascript:, no credentials) */
  link: string | null;
}

export interface PublicPartner {
  id: number;
  name: Text;
  kind: string;
  services: PublicService[];
}

export async function fetchServiceCategories(signal?: AbortSignal): Promise<ServiceCategory[]> {
  return (await getJson<{ categories: ServiceCategory[] }>('/api/services/categories', signal)).categories;
}

/** Visible services grouped by partner, in staff order; one category only when given. */
export async function fetchServices(category?: ServiceCategoryId, signal?: AbortSignal): Promise<PublicPartner[]> {
  const query = category === undefined ? '' : `?category=${encodeURIComponent(category)}`;
  return (await getJson<{ partners: PublicPartner[] }>(`/api/services${query}`, signal)).partners;
}
