import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Counters } from '../core/counters.js';
import { childLogger, type Logger } from '../core/log.js';
import type { Store } from '../store/db.js';
import { createUplink, type Uplink } from './uplink.js';

/**
 * Starts the uplink when the site file has an `uplink` section. Like a domain module, one that
 * cannot start (the site's broker refused its subscription) is logged and reported, and the site
 * runs without it; an unreachable central broker is no failure: the queue holds the messages.
 */
export async function startUplink(o: {
  config: SiteConfig;
  local: { url: string; username?: string | undefined; password?: string | undefined };
  store: Store;
  clock: Clock;
  log: Logger;
  counters: Counters;
  onFailed: () => void;
}): Promise<Uplink | undefined> {
  if (!o.config.uplink) return undefined;
  const log = childLogger(o.log, 'uplink');
  const uplink = createUplink({ siteId: o.config.site.id, config: o.config.uplink, local: o.local, db: o.store.db, clock: o.clock, log, counters: o.counters });
  try {
    await uplink.start();
    return uplink;
  } catch (err) {
    o.onFailed();
    log.error({ err }, 'uplink failed to start; running without it');
    await uplink.stop().catch(() => undefined);
    return undefined;
  }
}
