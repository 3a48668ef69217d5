import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { StaffAuth } from '../staff/auth.js';

/**
 * `GET /metrics` in the Prometheus text format. It carries no personal data, but it does describe the
 * installation (clients, queues, children), so by default only a scraper on the Pi itself gets it
 * without a login: a request from loopback is answered, one from anywhere else needs an admin's
 * session. `public: true` (or TONGXIN_METRICS_PUBLIC=1) answers anyone who can reach the HTTP port,
 * for a Prometheus elsewhere on the lounge's network; the HTTP host must then not be loopback.
 */
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

export function metricsPlugin(opts: { metrics: Metrics; auth: StaffAuth; public?: boolean }): FastifyPluginAsync {
  const open = opts.public ?? process.env.TONGXIN_METRICS_PUBLIC === '1';
  const admin = opts.auth.requireRole('admin');
  // Not the role guard itself: a loopback scraper passes without a cookie, so this route is not
  // listed among the staff-only ones.
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    // The socket's peer, never X-Forwarded-For: a header must not open the door.
    if (open || LOOPBACK.test(req.socket.remoteAddress ?? '')) return;
    await admin(req, reply);
  };
  return async (app) => {
    app.get('/metrics', { onRequest: guard, schema: { summary: 'Prometheus metrics (text format): from loopback without a login, from elsewhere for an admin' } }, async (_req, reply) => {
      const text = await opts.metrics.scrape();
      return reply.header('Cache-Control', 'no-store').type(opts.metrics.contentType).send(text);
    });
  };
}
