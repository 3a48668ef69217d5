import { readForwarded, type Forwarded } from './envelope.js';

/**
 * The central consumer's side of the uplink: QoS 1 is "at least once", and a site re-sends what the
 * central broker received but had not acknowledged when the link dropped. Every forwarded message
 * carries a stable id (envelope.ts); this set remembers the ids seen, so a consumer handles each
 * message once.
 *
 * Bounded two ways: at most `maxIds` ids (the least recently added go first) and none older than
 * `windowMs`. A duplicate arrives when its site reconnects, so the window must outlast the longest
 * outage to be covered, and `maxIds` the messages all sites send meanwhile (README §Town-scale
 * deployment sizes both). Insertion order of a Map is the LRU order: no extra structure.
 */
export interface Dedupe {
  /** True the first time an id is seen (within the bounds), false for a duplicate. */
  firstTime(id: string): boolean;
  /** A received message: the original, or `duplicate`, or undefined when it carries no id. */
  accept(payload: Buffer, properties?: { userProperties?: Record<string, string | string[]> }): { duplicate: false; message: Forwarded } | { duplicate: true; id: string } | undefined;
  readonly size: number;
  /** Duplicates dropped so far. */
  readonly duplicates: number;
}

export function createDedupe(opts: { maxIds?: number; windowMs?: number; now?: () => number } = {}): Dedupe {
  const maxIds = opts.maxIds ?? 200_000;
  const windowMs = opts.windowMs ?? 7 * 86_400_000;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number>();
  let duplicates = 0;

  const evict = (t: number) => {
    for (const [id, at] of seen) {
      if (seen.size <= maxIds && at > t - windowMs) break;
      seen.delete(id);
    }
  };

  const firstTime = (id: string) => {
    const t = now();
    evict(t);
    const at = seen.get(id);
    if (at !== undefined && at > t - windowMs) {
      duplicates++;
      return false;
    }
    seen.set(id, t);
    // A set past its size drops its oldest id now rather than at the next call.
    if (seen.size > maxIds) evict(t);
    return true;
  };

  return {
    firstTime,
    accept(payload, properties) {
      const m = readForwarded(payload, properties);
      if (!m) return undefined;
      return firstTime(m.id) ? { duplicate: false, message: m } : { duplicate: true, id: m.id };
    },
    get size() {
      return seen.size;
    },
    get duplicates() {
      return duplicates;
    },
  };
}

/**
 * One set per site (or any scope the consumer names, such as the site level of the topic). A
 * duplicate is re-sent by its site right after that site reconnects, however long it was away;
 * with one set for the whole town, the other sites' traffic meanwhile would push its ids out. A site
 * re-sends first what it had in flight (at most `uplink.drain.inflight`), so its own set only needs
 * to be a little larger than that; an idle site's set stays as it was.
 */
export interface ScopedDedupe {
  accept(scope: string, payload: Buffer, properties?: { userProperties?: Record<string, string | string[]> }): ReturnType<Dedupe['accept']>;
  readonly duplicates: number;
}

export function createScopedDedupe(opts: { maxIdsPerScope?: number; windowMs?: number; now?: () => number } = {}): ScopedDedupe {
  const sets = new Map<string, Dedupe>();
  const setFor = (scope: string) => {
    let d = sets.get(scope);
    if (!d) sets.set(scope, (d = createDedupe({ maxIds: opts.maxIdsPerScope ?? 2_000, ...(opts.windowMs ? { windowMs: opts.windowMs } : {}), ...(opts.now ? { now: opts.now } : {}) })));
    return d;
  };
  return {
    accept: (scope, payload, properties) => setFor(scope).accept(payload, properties),
    get duplicates() {
      let n = 0;
      for (const d of sets.values()) n += d.duplicates;
      return n;
    },
  };
}
