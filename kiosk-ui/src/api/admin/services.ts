import { get, patch, post, type Bilingual } from './http.js';

/** Partner units and their services, as staff edit them (src/services/admin-routes.ts). */
export interface Partner {
  id: number;
  name: Bilingual;
  kind: string;
  hidden: boolean;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface Service {
  id: number;
  partnerId: number;
  name: Bilingual;
  description: Bilingual | null;
  category: string;
  hours: Bilingual | null;
  place: Bilingual | null;
  contact: string | null;
  link: string | null;
  hidden: boolean;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface Catalogue {
  partners: (Partner & { services: Service[] })[];
  categories: { id: string; label: Bilingual }[];
}

export type PartnerFields = Pick<Partner, 'name' | 'kind' | 'hidden'>;
export type ServiceFields = Pick<Service, 'partnerId' | 'name' | 'description' | 'category' | 'hours' | 'place' | 'contact' | 'link' | 'hidden'>;

export const fetchCatalogue = (signal?: AbortSignal) => get<Catalogue>('/api/admin/services', signal);

export async function createPartner(fields: PartnerFields): Promise<Partner> {
  return (await post<{ partner: Partner }>('/api/admin/partners', fields)).partner;
}

export async function updatePartner(id: number, fields: Partial<PartnerFields>): Promise<Partner> {
  return (await patch<{ partner: Partner }>(`/api/admin/partners/${id}`, fields)).partner;
}

/** A new service: optional fields left empty are simply not sent. */
export async function createService(fields: ServiceFields): Promise<Service> {
  const body = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null));
  return (await post<{ service: Service }>('/api/admin/services', body)).service;
}

/** An edit: `null` clears an optional field. */
export async function updateService(id: number, fields: Partial<ServiceFields>): Promise<Service> {
  return (await patch<{ service: Service }>(`/api/admin/services/${id}`, fields)).service;
}
