import { publicRateLimit } from '../http/rate-limits.js';
import type { Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { errors } from '../core/errors.js';
import { maskPhone } from '../core/phone.js';
import { CATEGORIES } from './categories.js';
import type { ConcernsService } from './concerns-service.js';
import type { Place } from './places.js';
import { normaliseRef } from './ref-code.js';
import { BoardQuery, RaiseBody, RatingBody, RefParams } from './schemas.js';
import { publicView, residentView } from './views.js';

/**
 * The kiosk's side: no login, every route validated and rate-limited. Nothing here answers with a
 * phone number except the masked echo right after raising (the confirmation screen, KIOSK.md).
 */
export function publicRoutes(d: { service: ConcernsService; places: () => Place[]; ratePerMinute: number }): FastifyPluginAsync {
  const { service } = d;
  const config = publicRateLimit(d.ratePerMinute);
  const tags = ['concerns (kiosk)'];
  return async (app) => {
    app.get('/api/concerns/categories', { config, schema: { tags, summary: 'categories with their preset phrases, zh and en' } }, async () => ({
      categories: CATEGORIES,
    }));

    app.get('/api/concerns/places', { config, schema: { tags, summary: 'places to choose from ("other" takes placeOther)' } }, async () => ({
      places: d.places(),
    }));

    app.post('/api/concerns', { config, schema: { tags, summary: 'raise a concern', body: RaiseBody } }, async (req, reply) => {
      const { row, phone } = service.raise(req.body as Static<typeof RaiseBody>);
      return reply.code(201).send({ ref: row.ref, phone: phone ? maskPhone(phone) : null, concern: residentView(row) });
    });

    app.get('/api/concerns/board', { config, schema: { tags, summary: 'the public board, newest first', querystring: BoardQuery } }, async (req) => {
      const { state, page, pageSize } = req.query as Static<typeof BoardQuery>;
      const total = service.store.count(state);
      const items = service.store.page(state, pageSize, (page - 1) * pageSize).map(publicView);
      return { items, page, pageSize, total, pages: Math.max(1, Math.ceil(total / pageSize)) };
    });

    app.get('/api/concerns/by-ref/:ref', { config, schema: { tags, summary: 'follow a concern by its reference code', params: RefParams } }, async (req) => {
      const row = service.store.byRef(normaliseRef((req.params as Static<typeof RefParams>).ref));
      if (!row) throw errors.notFound('no concern with this reference code', { message: { zh: '没有找到这个编号，请核对后再试。', en: 'No concern has this code; please check it.' } });
      return { concern: residentView(row) };
    });

    app.post(
      '/api/concerns/by-ref/:ref/rating',
      { config, schema: { tags, summary: 'rate a resolved concern, once', params: RefParams, body: RatingBody } },
      async (req, reply) => {
        const { stars, comment } = req.body as Static<typeof RatingBody>;
        const { after } = service.rate(normaliseRef((req.params as Static<typeof RefParams>).ref), stars, comment);
        return reply.code(201).send({ concern: residentView(after) });
      },
    );
  };
}
