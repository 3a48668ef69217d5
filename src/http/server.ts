import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { isTongxinError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { packageRoot } from '../core/paths.js';
import { DOCS_PREFIX, registerDocs } from './docs.js';

/**
 * The HTTP app, built by a factory separate from listen() so tests can use inject() (fastify's
 * testing guide) as well as real sockets. Every error leaves as JSON: `{ error: { code, message } }`.
 */
// TONGXIN_KIOSK_DIR lets a test serve a kiosk built elsewhere (parallel builds must not share one folder).
export const KIOSK_DIST = process.env.TONGXIN_KIOSK_DIR ?? join(packageRoot(), 'kiosk-ui', 'dist');

// The kiosk talks only to its own server (KIOSK.md): no CDN, no inline script, no framing.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');
const DOCS_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export interface ProtectedRoute {
  method: string;
  url: string;
  roles: readonly string[];
}
declare module 'fastify' {
  interface FastifyInstance {
    /** Every route behind a role guard, with the roles it admits. */
    protectedRoutes: ProtectedRoute[];
    /** Every API route, guarded or public: what tests walk (role checks, fuzzing). */
    apiRoutes: { method: string; url: string; roles: readonly string[] | null }[];
  }
}

export async function buildHttp(opts: {
  log: Logger;
  plugins: FastifyPluginAsync[];
  kioskDir?: string;
}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.log as FastifyBaseLogger,
    // Per-request lines would fill an SD card with kiosk polling; errors are logged by the handler.
    logController: new LogController({ disableRequestLogging: true }),
    // Live streams never end by themselves: on shutdown they are cut, not waited for.
    forceCloseConnections: true,
    bodyLimit: 64 * 1024,
    // Errors fastify raises before routing (an over-long path parameter, a bad header) get our shape too.
    frameworkErrors: (err, _req, reply) => {
      const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 400;
      void (reply as FastifyReply).code(status).send({ error: { code: err.code, message: err.message } });
    },
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false } },
  });

  app.addHook('onSend', async (req, reply, payload) => {
    // The API documentation page styles itself inline; nothing else may.
    reply.header('Content-Security-Policy', req.url.startsWith(DOCS_PREFIX) ? DOCS_CSP : CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    return payload;
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) {
      return reply.code(400).send({
        error: {
          code: 'TX_BAD_REQUEST',
          message: `invalid request: ${err.message}`,
          details: err.validation.map((v) => ({
            path: `${err.validationContext ?? ''}${v.instancePath}`,
            // Name the offending field: "must NOT have additional properties" alone sends people hunting.
            message: v.keyword === 'additionalProperties' ? `${v.message}: "${String(v.params.additionalProperty)}"` : v.message,
          })),
        },
      });
    }
    if (isTongxinError(err)) {
      return reply.code(err.statusCode).send({ error: { code: err.code, message: err.message, details: err.details } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err, url: req.url }, 'request failed');
    return reply.code(status).send({
      error: { code: err.code ?? (status >= 500 ? 'TX_INTERNAL' : 'TX_BAD_REQUEST'), message: status >= 500 ? 'internal error' : err.message },
    });
  });

  const protectedRoutes: ProtectedRoute[] = [];
  const apiRoutes: FastifyInstance['apiRoutes'] = [];
  app.decorate('protectedRoutes', protectedRoutes);
  app.decorate('apiRoutes', apiRoutes);
  await app.register(fastifyCookie);
  // Off by default: public kiosk endpoints and the login opt in with `config.rateLimit`.
  await app.register(fastifyRateLimit, { global: false });
  // Every route behind a role guard, so a test can prove each one refuses the wrong people.
  app.addHook('onRoute', (route) => {
    // Guards run at onRequest: a stranger is turned away before the body is even parsed.
    const handlers = [route.onRequest ?? []].flat() as { roles?: readonly string[] }[];
    const guard = handlers.find((h) => Array.isArray(h.roles));
    const method = [route.method].flat().join(',');
    if (guard?.roles) protectedRoutes.push({ method, url: route.url, roles: guard.roles });
    if (route.url.startsWith('/api/')) apiRoutes.push({ method, url: route.url, roles: guard?.roles ?? null });
  });

  await registerDocs(app);
  for (const plugin of opts.plugins) await app.register(plugin);

  const kioskDir = opts.kioskDir ?? KIOSK_DIST;
  if (existsSync(join(kioskDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: kioskDir, prefix: '/', index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The kiosk is not built yet: run `npm run build`.\n'),
    );
  }

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: { code: 'TX_NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } });
  });
  return app;
}
