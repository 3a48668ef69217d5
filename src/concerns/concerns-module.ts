import type { FastifyPluginAsync } from 'fastify';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { committeeRoutes } from './committee-routes.js';
import { createConcernsService, type ConcernsService } from './concerns-service.js';
import { placesFor } from './places.js';
import { publicRoutes } from './public-routes.js';

/**
 * Residents' concerns (议题征集 → 协商决策 → 监督评价): raised at the kiosk, moved through the loop by
 * the committee, rated by the resident, shown on a public board without personal data. The privacy
 * job deletes phone numbers of closed concerns at start and every hour.
 */
export interface ConcernsModule extends Module {
  readonly service: ConcernsService;
  /** The privacy job, as a function of `now`: deletes the phones kept past their time; returns how many. */
  purgePhones(now?: number): number;
}

const PURGE_EVERY_MS = 3_600_000;

export function createConcernsModule(deps: ModuleDeps): ConcernsModule {
  const log = childLogger(deps.log, 'concerns');
  const retentionDays = deps.config.privacy.phoneRetentionDays;
  // Computed once: the site file does not change while the service runs.
  const places = placesFor(deps.config);
  const service = createConcernsService({ db: deps.store.db, clock: deps.clock, log, outbox: deps.outbox, places: () => places, retentionDays });
  let timer: NodeJS.Timeout | undefined;

  const purgePhones = (now = deps.clock.now()) => {
    try {
      return service.purgePhones(now);
    } catch (err) {
      // A failed run is retried at the next tick; it must not take the service down.
      log.error({ err }, 'deleting expired phone numbers failed');
      return 0;
    }
  };

  const routes: FastifyPluginAsync = async (app) => {
    await app.register(publicRoutes({ service, places: () => places, ratePerMinute: deps.config.http.publicRateLimitPerMinute }));
    await app.register(committeeRoutes({ service, auth: deps.auth, retentionDays }));
  };

  return {
    name: 'concerns',
    service,
    purgePhones,
    start() {
      purgePhones();
      timer = setInterval(() => purgePhones(), PURGE_EVERY_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
    routes,
  };
}
