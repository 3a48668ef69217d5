/**
 * A token bucket: how many messages the uplink may send now. After an outage the queue holds hours
 * of messages; draining them at the link's full speed would starve the site's own traffic on a
 * thin 4G link and land as a burst on the central cluster, so the drain is held to `perSecond`.
 * `now` is a monotonic clock in ms (a wall-clock jump must not grant or withhold a burst).
 */
export interface RateLimiter {
  /** Takes up to `wanted` tokens; returns how many were granted. */
  take(wanted: number): number;
  /** Ms until at least one token is available (0 when one is). */
  waitMs(): number;
}

export function createRateLimiter(opts: { perSecond: number; burst?: number; now: () => number }): RateLimiter {
  // A tenth of a second's worth by default: smooth, yet enough to fill an in-flight window per tick.
  const burst = Math.max(1, opts.burst ?? Math.ceil(opts.perSecond / 10));
  let tokens = burst;
  let last = opts.now();
  const refill = () => {
    const t = opts.now();
    tokens = Math.min(burst, tokens + ((t - last) * opts.perSecond) / 1000);
    last = t;
  };
  return {
    take(wanted) {
      refill();
      const n = Math.max(0, Math.min(wanted, Math.floor(tokens)));
      tokens -= n;
      return n;
    },
    waitMs() {
      refill();
      return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) * 1000) / opts.perSecond);
    },
  };
}
