import type { ClockTrustStore } from '../core/clock-trust.js';
import type { Store } from './db.js';

/** The last trusted wall time, kept in the meta table so the next start can tell if time went back. */
export function wallTimeMeta(store: Store): ClockTrustStore {
  return {
    readWallTime: () => {
      const v = store.getMeta('last_wall_time');
      return v === undefined ? undefined : Number(v);
    },
    writeWallTime: (ms) => store.setMeta('last_wall_time', String(ms)),
  };
}
