import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { errors } from '../core/errors.js';
import type { StaffAuth } from '../staff/auth.js';
import type { ConcernRow } from './concerns-store.js';
import type { ConcernsService } from './concerns-service.js';
import { ConsultationBody, DeclineBody, IdParams, QueueQuery, ResolveBody } from './schemas.js';
import { committeeView, historyView } from './views.js';

/**
 * The committee's side (role committee; admins too): the queue, one concern with its history and
 * the masked phone, and the steps of the loop. Every step is audited; the audit line names the
 * concern and the states, never the phone.
 */
export function committeeRoutes(d: { service: ConcernsService; auth: StaffAuth; retentionDays: number }): FastifyPluginAsync {
  const { service, auth } = d;
  const onRequest = auth.requireRole('committee');
  const tags = ['concerns (committee)'];
  const view = (r: ConcernRow) => committeeView(r, d.retentionDays);
  const actor = (req: FastifyRequest) => req.staff?.username ?? 'unknown';
  const id = (req: FastifyRequest) => (req.params as Static<typeof IdParams>).id;
  const done = (req: FastifyRequest, action: string, r: { before: ConcernRow; after: ConcernRow }) => {
    auth.audit(req, `concern.${action}`, `concern:${r.after.id}`, { from: r.before.state, to: r.after.state });
    return { concern: view(r.after) };
  };

  return async (app) => {
    app.get('/api/admin/concerns', { onRequest, schema: { tags, summary: 'the queue, oldest first', querystring: QueueQuery } }, async (req) => {
      const { state, limit } = req.query as Static<typeof QueueQuery>;
      return { concerns: service.store.queue(state, limit).map(view), total: service.store.count(state) };
    });

    app.get('/api/admin/concerns/:id', { onRequest, schema: { tags, summary: 'one concern with its history', params: IdParams } }, async (req) => {
      const row = service.store.byId(id(req));
      if (!row) throw errors.notFound(`no concern ${id(req)}`);
      return { concern: view(row), history: service.store.history(row.id).map(historyView) };
    });

    app.post('/api/admin/concerns/:id/accept', { onRequest, schema: { tags, summary: 'raised → accepted', params: IdParams } }, async (req) =>
      done(req, 'accept', service.accept(id(req), actor(req))),
    );

    app.post('/api/admin/concerns/:id/decline', { onRequest, schema: { tags, summary: 'raised → declined, with a reason', params: IdParams, body: DeclineBody } }, async (req) =>
      done(req, 'decline', service.decline(id(req), actor(req), (req.body as Static<typeof DeclineBody>).reason)),
    );

    app.post(
      '/api/admin/concerns/:id/consultation',
      { onRequest, schema: { tags, summary: 'accepted → in-consultation (or move a pending consultation)', params: IdParams, body: ConsultationBody } },
      async (req) => {
        const { at, place } = req.body as Static<typeof ConsultationBody>;
        return done(req, 'schedule', service.schedule(id(req), actor(req), at, place));
      },
    );

    app.post(
      '/api/admin/concerns/:id/resolve',
      { onRequest, schema: { tags, summary: 'in-consultation → resolved, with the decision and what was done', params: IdParams, body: ResolveBody } },
      async (req) => {
        const { decision, resolution } = req.body as Static<typeof ResolveBody>;
        return done(req, 'resolve', service.resolve(id(req), actor(req), decision, resolution));
      },
    );
  };
}
