import type { FastifyPluginAsync } from 'fastify';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { adminHealthRoutes } from './admin-routes.js';
import { createHealthService, type HealthService } from './health-service.js';
import { createHealthStore } from './health-store.js';
import { publicHealthRoutes } from './public-routes.js';

/**
 * Health hours (健康YI小时, DESIGN.md §Health hours): events with places, sign-up at the kiosk with
 * a waitlist that promotes automatically, cancellation and check-in with the phone's last four
 * digits and a code, staff lists and an audited CSV export, volunteer hours, and the privacy job
 * that deletes phone numbers `privacy.phoneRetentionDays` after the event.
 */
export interface HealthModule extends Module {
  readonly service: HealthService;
  /** The privacy job at `now`; returns how many numbers it deleted. Runs at start and hourly. */
  purgePhones(now: number): number;
}

const PRIVACY_JOB_MS = 3_600_000;

export function createHealthModule(deps: ModuleDeps): HealthModule {
  const { config, clock, counters } = deps;
  const log = childLogger(deps.log, 'health');
  const store = createHealthStore(deps.store.db);
  const service = createHealthService({ db: deps.store.db, store, outbox: deps.outbox, config, clock });
  let timer: NodeJS.Timeout | undefined;

  const purgePhones = (now: number) => {
    const n = service.purgePhones(now);
    if (n > 0) {
      counters.inc('health_phones_deleted', undefined, n);
      log.info({ deleted: n, retentionDays: config.privacy.phoneRetentionDays }, 'phone numbers of past events deleted');
    }
    return n;
  };
  const runJob = () => {
    try {
      purgePhones(clock.now());
    } catch (err) {
      // A locked or busy database must not stop the timer: the next hour tries again.
      log.error({ err: (err as Error).message }, 'privacy job failed');
    }
  };

  const routes: FastifyPluginAsync = async (app) => {
    await app.register(publicHealthRoutes({ config, clock, store, service, log, counters }));
    await app.register(adminHealthRoutes({ config, clock, store, service, auth: deps.auth }));
  };

  return {
    name: 'health',
    service,
    purgePhones,
    start() {
      runJob();
      timer = setInterval(runJob, PRIVACY_JOB_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    routes,
  };
}
