import type { FastifyPluginAsync } from 'fastify';

/**
 * `/admin` is the address staff are told; the page itself is the static `admin.html` of the kiosk
 * build (a second Vite entry), so this only points there. The page asks for a login itself.
 */
export const adminPagePlugin: FastifyPluginAsync = async (app) => {
  app.get('/admin', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/admin.html', 302));
};
