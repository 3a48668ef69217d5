import type { FastifyPluginAsync } from 'fastify';
import type { SiteConfig } from '../config/schema.js';

/** `/api/site`: what screens need to know about the site itself (names, places, hours) and the kiosk's idle times. */
export function sitePlugin(config: SiteConfig): FastifyPluginAsync {
  return async (app) => {
    app.get('/api/site', async () => ({
      id: config.site.id,
      name: config.site.name,
      timezone: config.site.timezone,
      sample: config.site.sample,
      lounge: config.lounge,
      garden: config.garden,
      points: config.points.map((p) => ({ id: p.id, name: p.name, place: p.place, lateDrop: p.lateDrop, bins: p.bins })),
      partners: config.partners,
      kiosk: config.kiosk,
    }));
  };
}
