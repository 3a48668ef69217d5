import type { ClockTrustStore } from '../core/clock-trust.js';
import type { Store } from './db.js';

/** The last trusted wall time, kept in the meta table so the next start can tell if time went back. */
export function wallTimeMeta(store: Store): ClockTrustStore {
  return {
    readWallTime: () => {
      const v = store.getMeta('last_wall_time');
      return v === undefined ? undefined : Number(v);
    },
    writeWallTime: (ms) => {
      // Called from timers and from the schedule's tick: a full disk must not throw out of there
      // (an uncaught throw in a timer ends the process). It is written again a minute later.
      try {
        store.setMeta('last_wall_time', String(ms));
      } catch (err) {
        store.noteWrite(err);
      }
    },
  };
}
