import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { adminRoutes } from './admin-routes.js';
import { publicRoutes } from './public-routes.js';
import { seedPlan } from './seed.js';
import { createServicesStore, type ServicesStore } from './services-store.js';

/**
 * The services catalogue (共享阵地服务清单): partner units and their services, shown on the kiosk and
 * edited by staff. At the first start the site file's sample partners are copied in; after that
 * the database is the truth and the site file's list is never read again, so a restart never
 * undoes what staff changed.
 */
export const SEEDED_META_KEY = 'services.seeded';

export interface ServicesModule extends Module {
  readonly store: ServicesStore;
}

export function createServicesModule(deps: ModuleDeps): ServicesModule {
  const log = childLogger(deps.log, 'services');
  const store = createServicesStore(deps.store.db);

  /** Seeds once: only into empty tables, and never again after a start that seeded (the meta key remembers). */
  function seed(): void {
    if (deps.store.getMeta(SEEDED_META_KEY) !== undefined || !store.isEmpty()) return;
    const plan = seedPlan(deps.config.partners);
    for (const w of plan.warnings) log.warn(w);
    if (plan.partners.length === 0) return; // nothing to seed: a later site file with partners still may
    const now = deps.clock.now();
    let services = 0;
    deps.store.db.transaction(() => {
      for (const p of plan.partners) {
        const id = store.addPartner(p.fields, now);
        for (const s of p.services) store.addService(id, s, now);
        services += p.services.length;
      }
      deps.store.setMeta(SEEDED_META_KEY, JSON.stringify({ at: now, partners: plan.partners.length, services }));
    })();
    log.info({ partners: plan.partners.length, services }, 'services catalogue seeded from the site file');
  }

  return {
    name: 'services',
    store,
    start: seed,
    stop() {},
    routes: async (app) => {
      await app.register(publicRoutes({ store, ratePerMinute: deps.config.http.publicRateLimitPerMinute }));
      await app.register(adminRoutes({ db: deps.store.db, store, auth: deps.auth, clock: deps.clock }));
    },
  };
}
