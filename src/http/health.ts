import type { FastifyPluginAsync } from 'fastify';
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  site: string;
  uptimeSeconds: number;
  /** What is not right, by name: `broker`, `clock-untrusted`, `module:<name>`… */
  degraded: string[];
  checks: Record<string, { ok: boolean } & Record<string, unknown>>;
  counters: Record<string, { total: number; by: Record<string, number> }>;
}

/**
 * `/healthz` says what is up and what is degraded. It answers 200 while the service can do its job
 * (even degraded: an untrusted clock or a lost broker still leaves the kiosk useful) and 503 when it
 * cannot (the store is gone), so a watchdog restarts only what is really broken.
 */
export function healthPlugin(health: () => HealthReport): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async (_req, reply) => {
      const report = health();
      return reply.code(report.status === 'down' ? 503 : 200).send(report);
    });
  };
}
