import { CATEGORIES, CATEGORY_LABELS, type Category } from './categories.js';
import type { PartnerFields, ServiceFields, Text } from './input.js';

/**
 * The catalogue as the kiosk and the admin page see it, shaped from the stored rows. Pure, so what
 * the public may see (never a hidden service, nor any service of a hidden partner) is decided in
 * one place and tested without a database.
 */
export interface Partner extends PartnerFields {
  id: number;
  position: number;
  createdAt: number;
  updatedAt: number;
}

export interface Service extends ServiceFields {
  id: number;
  partnerId: number;
  position: number;
  createdAt: number;
  updatedAt: number;
}

/** What the kiosk sees of a service: its fields without the staff-only `hidden` flag. */
export type PublicService = { id: number; partnerId: number } & Omit<ServiceFields, 'hidden'>;

export interface PublicPartner {
  id: number;
  name: Text;
  kind: string;
  services: PublicService[];
}

const byOrder = (a: { position: number; id: number }, b: { position: number; id: number }) => a.position - b.position || a.id - b.id;

export function toPublicService(s: Service): PublicService {
  const { id, partnerId, name, description, category, hours, place, contact, link } = s;
  return { id, partnerId, name, description, category, hours, place, contact, link };
}

/** Visible services of visible partners, grouped by partner in staff order; partners left empty are left out. */
export function publicCatalogue(partners: readonly Partner[], services: readonly Service[], category?: Category): PublicPartner[] {
  const out: PublicPartner[] = [];
  for (const p of [...partners].sort(byOrder)) {
    if (p.hidden) continue;
    const own = services.filter((s) => s.partnerId === p.id && !s.hidden && (category === undefined || s.category === category)).sort(byOrder);
    if (own.length > 0) out.push({ id: p.id, name: p.name, kind: p.kind, services: own.map(toPublicService) });
  }
  return out;
}

/** One public service with its partner, or undefined when either is hidden (the kiosk gets a 404). */
export function publicService(partners: readonly Partner[], s: Service | undefined) {
  const p = s && partners.find((x) => x.id === s.partnerId);
  if (!s || !p || s.hidden || p.hidden) return undefined;
  return { ...toPublicService(s), partner: { id: p.id, name: p.name, kind: p.kind } };
}

/** Every category in the fixed order, with its labels and how many services the public can see in it. */
export function categoryCounts(partners: readonly Partner[], services: readonly Service[]) {
  const visible = new Set(partners.filter((p) => !p.hidden).map((p) => p.id));
  return CATEGORIES.map((id) => ({
    id,
    label: CATEGORY_LABELS[id],
    count: services.filter((s) => s.category === id && !s.hidden && visible.has(s.partnerId)).length,
  }));
}

/** Everything, hidden or not, in staff order: the admin page's table. */
export function adminCatalogue(partners: readonly Partner[], services: readonly Service[]) {
  return [...partners].sort(byOrder).map((p) => ({ ...p, services: services.filter((s) => s.partnerId === p.id).sort(byOrder) }));
}
