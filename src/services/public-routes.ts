import { publicRateLimit } from '../http/rate-limits.js';
import type { FastifyPluginAsync } from 'fastify';
import { errors } from '../core/errors.js';
import { categoryCounts, publicCatalogue, publicService } from './catalogue.js';
import { cleanCategory } from './input.js';
import { CategoryQuery, IdParams } from './schemas.js';
import type { ServicesStore } from './services-store.js';

/**
 * The kiosk's read-only view: no login, validated and rate-limited per client. Only what staff
 * left visible is ever answered; a hidden service is a 404 like one that never existed.
 */
export function publicRoutes(d: { store: ServicesStore; ratePerMinute: number }): FastifyPluginAsync {
  const config = publicRateLimit(d.ratePerMinute);
  return async (app) => {
    app.get('/api/services', { config, schema: { querystring: CategoryQuery, tags: ['services'], summary: 'visible services grouped by partner, in staff order' } }, async (req) => {
      const { category } = req.query as { category?: string };
      return { partners: publicCatalogue(d.store.partners(), d.store.services(), category === undefined ? undefined : cleanCategory(category)) };
    });

    app.get('/api/services/categories', { config, schema: { tags: ['services'], summary: 'the categories with zh/en labels and visible counts' } }, async () => ({
      categories: categoryCounts(d.store.partners(), d.store.services()),
    }));

    app.get('/api/services/:id', { config, schema: { params: IdParams, tags: ['services'], summary: 'one visible service with its partner' } }, async (req) => {
      const { id } = req.params as { id: number };
      const service = publicService(d.store.partners(), d.store.service(id));
      if (!service) throw errors.notFound(`no service ${id}`);
      return { service };
    });
  };
}
