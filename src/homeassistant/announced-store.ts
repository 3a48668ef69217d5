import type { Store } from '../store/db.js';

/**
 * What the service last announced to Home Assistant, kept in the meta table: the next start (with a
 * sensor removed from the site file, or discovery turned off) knows which retained configs to clear.
 * `retired` are configs cleared before; they are cleared again whenever Home Assistant comes online,
 * since one that was away when a config was cleared would otherwise keep the entity for ever.
 */
export interface Announced {
  announced: string[];
  retired: string[];
}

const KEY = 'homeassistant_discovery';
/** Retired topics kept: removing sensors is rare, and an empty retained publish costs nothing. */
export const MAX_RETIRED = 500;

export function announcedStore(store: Pick<Store, 'getMeta' | 'setMeta'>) {
  return {
    read(): Announced {
      const raw = store.getMeta(KEY);
      if (raw === undefined) return { announced: [], retired: [] };
      try {
        const v = JSON.parse(raw) as Partial<Announced>;
        const strings = (a: unknown) => (Array.isArray(a) ? a.filter((t): t is string => typeof t === 'string') : []);
        return { announced: strings(v.announced), retired: strings(v.retired) };
      } catch {
        return { announced: [], retired: [] };
      }
    },
    write(v: Announced): void {
      store.setMeta(KEY, JSON.stringify(v));
    },
  };
}

/** The next record: what is announced now, and every topic announced before and not any more. */
export function nextAnnounced(prev: Announced, current: readonly string[]): Announced {
  const now = new Set(current);
  const retired = [...new Set([...prev.retired, ...prev.announced])].filter((t) => !now.has(t));
  return { announced: [...now], retired: retired.slice(-MAX_RETIRED) };
}
