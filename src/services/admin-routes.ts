import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { StaffAuth } from '../staff/auth.js';
import type { Db } from '../store/db.js';
import { CATEGORIES, CATEGORY_LABELS } from './categories.js';
import { adminCatalogue, type Partner, type Service } from './catalogue.js';
import { applyPatch, cleanPartner, cleanService, type PartnerFields, type PartnerInput, type ServiceFields, type ServiceInput } from './input.js';
import { permutationProblem } from './ordering.js';
import { IdParams, Order, PartnerCreate, PartnerPatch, ServiceCreate, ServicePatch } from './schemas.js';
import type { ServicesStore } from './services-store.js';

/**
 * Staff editing of the catalogue. Every change and its audit entry are one transaction, so the log
 * never claims an edit that did not happen, nor misses one that did. Nothing is deleted: hiding
 * takes an item off the kiosk and keeps its history.
 */
type Deps = { db: Db; store: ServicesStore; auth: StaffAuth; clock: Clock };

const partnerFields = ({ name, kind, hidden }: Partner): PartnerFields => ({ name, kind, hidden });
const serviceFields = ({ name, description, category, hours, place, contact, link, hidden }: Service): ServiceFields => ({
  name,
  description,
  category,
  hours,
  place,
  contact,
  link,
  hidden,
});

/** Hiding or showing alone gets its own audit action: the one a reader of the log looks for. */
function updateAction(what: 'partner' | 'service', changed: Record<string, { to: unknown }>): string {
  const keys = Object.keys(changed);
  if (keys.length === 1 && keys[0] === 'hidden') return `${what}.${changed.hidden?.to ? 'hide' : 'unhide'}`;
  return `${what}.update`;
}

export function adminRoutes(d: Deps): FastifyPluginAsync {
  const guard = { onRequest: d.auth.requireRole('staff') };
  const tags = ['services (staff)'];
  const inTx = <T>(fn: () => T): T => d.db.transaction(fn)();
  const audit = (req: FastifyRequest, action: string, target: string, detail: unknown) => d.auth.audit(req, action, target, detail);
  const partnerOr404 = (id: number): Partner => {
    const p = d.store.partner(id);
    if (!p) throw errors.notFound(`no partner ${id}`);
    return p;
  };

  return async (app) => {
    app.get('/api/admin/services', { ...guard, schema: { tags, summary: 'every partner and service, hidden ones too, in staff order' } }, async () => ({
      partners: adminCatalogue(d.store.partners(), d.store.services()),
      categories: CATEGORIES.map((id) => ({ id, label: CATEGORY_LABELS[id] })),
    }));

    app.post('/api/admin/partners', { ...guard, schema: { body: PartnerCreate, tags, summary: 'add a partner unit at the end of the list' } }, async (req, reply) => {
      const fields = cleanPartner(req.body as PartnerInput);
      const partner = inTx(() => {
        const id = d.store.addPartner(fields, d.clock.now());
        audit(req, 'partner.create', `partner:${id}`, fields);
        return d.store.partner(id);
      });
      return reply.code(201).send({ partner });
    });

    app.patch('/api/admin/partners/:id', { ...guard, schema: { params: IdParams, body: PartnerPatch, tags, summary: 'edit, hide or unhide a partner' } }, async (req) => {
      const { id } = req.params as { id: number };
      const partner = inTx(() => {
        const current = partnerOr404(id);
        const { next, changed } = applyPatch(partnerFields(current), req.body as Partial<PartnerInput>, cleanPartner);
        if (Object.keys(changed).length === 0) return current;
        d.store.updatePartner(id, next, d.clock.now());
        audit(req, updateAction('partner', changed), `partner:${id}`, changed);
        return d.store.partner(id);
      });
      return { partner };
    });

    app.post('/api/admin/partners/order', { ...guard, schema: { body: Order, tags, summary: 'reorder all partners: every id, in the new order' } }, async (req) => {
      const { ids } = req.body as { ids: number[] };
      inTx(() => {
        const current = d.store.partnerIds();
        const problem = permutationProblem(current, ids);
        if (problem) throw errors.badRequest(problem);
        if (current.every((id, i) => ids[i] === id)) return;
        d.store.orderPartners(ids);
        audit(req, 'partner.reorder', 'partners', { from: current, to: ids });
      });
      return { ids };
    });

    app.post('/api/admin/services', { ...guard, schema: { body: ServiceCreate, tags, summary: "add a service at the end of its partner's list" } }, async (req, reply) => {
      const body = req.body as ServiceInput & { partnerId: number };
      const fields = cleanService(body);
      const service = inTx(() => {
        if (!d.store.partner(body.partnerId)) throw errors.badRequest(`no partner ${body.partnerId}`);
        const id = d.store.addService(body.partnerId, fields, d.clock.now());
        audit(req, 'service.create', `service:${id}`, { partnerId: body.partnerId, ...fields });
        return d.store.service(id);
      });
      return reply.code(201).send({ service });
    });

    app.patch('/api/admin/services/:id', { ...guard, schema: { params: IdParams, body: ServicePatch, tags, summary: 'edit, hide, unhide or move a service' } }, async (req) => {
      const { id } = req.params as { id: number };
      const { partnerId, ...patch } = req.body as Partial<ServiceInput> & { partnerId?: number };
      const service = inTx(() => {
        const current = d.store.service(id);
        if (!current) throw errors.notFound(`no service ${id}`);
        const target = partnerId ?? current.partnerId;
        if (!d.store.partner(target)) throw errors.badRequest(`no partner ${target}`);
        const { next, changed } = applyPatch(serviceFields(current), patch, cleanService);
        if (target !== current.partnerId) Object.assign(changed, { partnerId: { from: current.partnerId, to: target } });
        if (Object.keys(changed).length === 0) return current;
        d.store.updateService(current, target, next, d.clock.now());
        audit(req, updateAction('service', changed), `service:${id}`, changed);
        return d.store.service(id);
      });
      return { service };
    });

    app.post(
      '/api/admin/partners/:id/services/order',
      { ...guard, schema: { params: IdParams, body: Order, tags, summary: "reorder one partner's services: every id, in the new order" } },
      async (req) => {
        const { id } = req.params as { id: number };
        const { ids } = req.body as { ids: number[] };
        inTx(() => {
          partnerOr404(id);
          const current = d.store.serviceIds(id);
          const problem = permutationProblem(current, ids);
          if (problem) throw errors.badRequest(problem);
          if (current.every((sid, i) => ids[i] === sid)) return;
          d.store.orderServices(ids);
          audit(req, 'service.reorder', `partner:${id}`, { from: current, to: ids });
        });
        return { ids };
      },
    );
  };
}
