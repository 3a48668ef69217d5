import type { Db } from '../store/db.js';
import type { Category } from './categories.js';
import type { Partner, Service } from './catalogue.js';
import type { PartnerFields, ServiceFields, Text } from './input.js';

/**
 * The catalogue's tables. Callers wrap writes (and their audit entries) in `db.transaction`; every
 * write here is one statement or a loop of them, so it joins that transaction.
 */
interface PartnerRow {
  id: number;
  name_zh: string;
  name_en: string;
  kind: string;
  hidden: number;
  position: number;
  created_at: number;
  updated_at: number;
}

interface ServiceRow {
  id: number;
  partner_id: number;
  name_zh: string;
  name_en: string;
  description_zh: string | null;
  description_en: string | null;
  category: Category;
  hours_zh: string | null;
  hours_en: string | null;
  place_zh: string | null;
  place_en: string | null;
  contact: string | null;
  link: string | null;
  hidden: number;
  position: number;
  created_at: number;
  updated_at: number;
}

const pair = (zh: string | null, en: string | null): Text | null => (zh === null || en === null ? null : { zh, en });

const partner = (r: PartnerRow): Partner => ({
  id: r.id,
  name: { zh: r.name_zh, en: r.name_en },
  kind: r.kind,
  hidden: r.hidden === 1,
  position: r.position,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const service = (r: ServiceRow): Service => ({
  id: r.id,
  partnerId: r.partner_id,
  name: { zh: r.name_zh, en: r.name_en },
  description: pair(r.description_zh, r.description_en),
  category: r.category,
  hours: pair(r.hours_zh, r.hours_en),
  place: pair(r.place_zh, r.place_en),
  contact: r.contact,
  link: r.link,
  hidden: r.hidden === 1,
  position: r.position,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const partnerParams = (f: PartnerFields) => ({ name_zh: f.name.zh, name_en: f.name.en, kind: f.kind, hidden: f.hidden ? 1 : 0 });
const serviceParams = (f: ServiceFields) => ({
  name_zh: f.name.zh,
  name_en: f.name.en,
  description_zh: f.description?.zh ?? null,
  description_en: f.description?.en ?? null,
  category: f.category,
  hours_zh: f.hours?.zh ?? null,
  hours_en: f.hours?.en ?? null,
  place_zh: f.place?.zh ?? null,
  place_en: f.place?.en ?? null,
  contact: f.contact,
  link: f.link,
  hidden: f.hidden ? 1 : 0,
});

const SERVICE_COLUMNS = 'name_zh, name_en, description_zh, description_en, category, hours_zh, hours_en, place_zh, place_en, contact, link, hidden';
const SERVICE_VALUES = SERVICE_COLUMNS.split(', ').map((c) => `@${c}`).join(', ');
const SERVICE_SET = SERVICE_COLUMNS.split(', ').map((c) => `${c} = @${c}`).join(', ');

export function createServicesStore(db: Db) {
  const q = {
    partners: db.prepare<[], PartnerRow>('SELECT * FROM service_partners ORDER BY position, id'),
    partner: db.prepare<[number], PartnerRow>('SELECT * FROM service_partners WHERE id = ?'),
    services: db.prepare<[], ServiceRow>('SELECT * FROM services ORDER BY partner_id, position, id'),
    service: db.prepare<[number], ServiceRow>('SELECT * FROM services WHERE id = ?'),
    partnerIds: db.prepare<[], { id: number }>('SELECT id FROM service_partners ORDER BY position, id'),
    serviceIds: db.prepare<[number], { id: number }>('SELECT id FROM services WHERE partner_id = ? ORDER BY position, id'),
    nextPartnerPosition: db.prepare<[], { p: number }>('SELECT coalesce(max(position) + 1, 0) AS p FROM service_partners'),
    nextServicePosition: db.prepare<[number], { p: number }>('SELECT coalesce(max(position) + 1, 0) AS p FROM services WHERE partner_id = ?'),
    isEmpty: db.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM service_partners) + (SELECT count(*) FROM services) AS n'),
    insertPartner: db.prepare(
      `INSERT INTO service_partners (name_zh, name_en, kind, hidden, position, created_at, updated_at)
       VALUES (@name_zh, @name_en, @kind, @hidden, @position, @now, @now)`,
    ),
    updatePartner: db.prepare('UPDATE service_partners SET name_zh = @name_zh, name_en = @name_en, kind = @kind, hidden = @hidden, updated_at = @now WHERE id = @id'),
    movePartner: db.prepare('UPDATE service_partners SET position = ? WHERE id = ?'),
    insertService: db.prepare(
      `INSERT INTO services (partner_id, ${SERVICE_COLUMNS}, position, created_at, updated_at)
       VALUES (@partner_id, ${SERVICE_VALUES}, @position, @now, @now)`,
    ),
    updateService: db.prepare(`UPDATE services SET partner_id = @partner_id, position = @position, ${SERVICE_SET}, updated_at = @now WHERE id = @id`),
    moveService: db.prepare('UPDATE services SET position = ? WHERE id = ?'),
  };
  return {
    partners: () => q.partners.all().map(partner),
    partner: (id: number) => {
      const r = q.partner.get(id);
      return r && partner(r);
    },
    services: () => q.services.all().map(service),
    service: (id: number) => {
      const r = q.service.get(id);
      return r && service(r);
    },
    partnerIds: () => q.partnerIds.all().map((r) => r.id),
    serviceIds: (partnerId: number) => q.serviceIds.all(partnerId).map((r) => r.id),
    isEmpty: () => (q.isEmpty.get()?.n ?? 0) === 0,
    /** A new partner goes to the end of the list. */
    addPartner: (f: PartnerFields, now: number) =>
      Number(q.insertPartner.run({ ...partnerParams(f), position: q.nextPartnerPosition.get()?.p ?? 0, now }).lastInsertRowid),
    updatePartner: (id: number, f: PartnerFields, now: number) => void q.updatePartner.run({ ...partnerParams(f), id, now }),
    /** A new service goes to the end of its partner's list. */
    addService: (partnerId: number, f: ServiceFields, now: number) =>
      Number(q.insertService.run({ ...serviceParams(f), partner_id: partnerId, position: q.nextServicePosition.get(partnerId)?.p ?? 0, now }).lastInsertRowid),
    /** A service moved to another partner joins the end of that partner's list. */
    updateService: (current: Service, partnerId: number, f: ServiceFields, now: number) => {
      const position = partnerId === current.partnerId ? current.position : (q.nextServicePosition.get(partnerId)?.p ?? 0);
      q.updateService.run({ ...serviceParams(f), partner_id: partnerId, position, id: current.id, now });
    },
    orderPartners: (ids: readonly number[]) => ids.forEach((id, i) => q.movePartner.run(i, id)),
    orderServices: (ids: readonly number[]) => ids.forEach((id, i) => q.moveService.run(i, id)),
  };
}
export type ServicesStore = ReturnType<typeof createServicesStore>;
