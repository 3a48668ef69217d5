import { describe, expect, it } from 'vitest';
import { createCounters } from '../../../src/core/counters.js';

describe('counters', () => {
  it('counts by label and in total', () => {
    const c = createCounters();
    c.inc('rejected', 'schema');
    c.inc('rejected', 'schema');
    c.inc('rejected', 'not-json', 3);
    c.inc('accepted');
    expect(c.get('rejected', 'schema')).toBe(2);
    expect(c.total('rejected')).toBe(5);
    expect(c.snapshot()).toEqual({ rejected: { total: 5, by: { schema: 2, 'not-json': 3 } }, accepted: { total: 1, by: {} } });
  });
});
