import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../../src/uplink/rate.js';

describe('uplink drain rate', () => {
  it('grants a short burst, then tokens at the configured rate, never more', () => {
    let t = 0;
    const r = createRateLimiter({ perSecond: 100, now: () => t });
    expect(r.take(50)).toBe(10); // burst: a tenth of a second
    expect(r.take(5)).toBe(0);
    expect(r.waitMs()).toBe(10);
    t += 50;
    expect(r.take(50)).toBe(5);
    t += 10_000; // a long idle time does not bank more than the burst
    expect(r.take(1000)).toBe(10);
    // Over a simulated minute, sent = rate × time (+ the burst).
    let sent = 0;
    for (let i = 0; i < 6000; i++) {
      t += 10;
      sent += r.take(1000);
    }
    expect(sent).toBeGreaterThanOrEqual(5990);
    expect(sent).toBeLessThanOrEqual(6010);
  });
});
