import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI documentation of the HTTP API, generated from the routes' own JSON schemas, at /docs
 * (served from the package: nothing is fetched from the internet). Registered before the routes so
 * it sees them all.
 */
export const DOCS_PREFIX = '/docs';

export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tongxin (同Xin) HTTP API',
        description:
          'Kiosk endpoints need no login but are rate-limited; staff endpoints need the `tx_session` cookie from `POST /api/staff/login`. Errors are `{ error: { code, message, details? } }`.',
        version: '1',
      },
      components: { securitySchemes: { staffSession: { type: 'apiKey', in: 'cookie', name: 'tx_session' } } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { docExpansion: 'list', deepLinking: false } });
}
