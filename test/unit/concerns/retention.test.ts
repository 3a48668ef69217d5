import { describe, expect, it } from 'vitest';
import { closedForPrivacyAt, DAY_MS, phoneDeleteAt, phoneExpired, UNRATED_CLOSES_AFTER_DAYS } from '../../../src/concerns/retention.js';

/** When a concern's phone number is deleted: retention days after it closed. */
const T = Date.UTC(2026, 0, 10);

describe('phone retention of concerns', () => {
  it.each([
    { name: 'raised: open, kept', c: { state: 'raised', closedAt: null, resolvedAt: null }, closed: undefined },
    { name: 'accepted: open', c: { state: 'accepted', closedAt: null, resolvedAt: null }, closed: undefined },
    { name: 'in consultation: open', c: { state: 'in-consultation', closedAt: null, resolvedAt: null }, closed: undefined },
    { name: 'declined: closed when declined', c: { state: 'declined', closedAt: T, resolvedAt: null }, closed: T },
    { name: 'rated: closed when rated', c: { state: 'rated', closedAt: T + 5, resolvedAt: T }, closed: T + 5 },
    { name: 'resolved, never rated: closed 30 days after', c: { state: 'resolved', closedAt: null, resolvedAt: T }, closed: T + UNRATED_CLOSES_AFTER_DAYS * DAY_MS },
  ] as const)('$name', ({ c, closed }) => {
    expect(closedForPrivacyAt(c)).toBe(closed);
    expect(phoneDeleteAt(c, 30)).toBe(closed === undefined ? undefined : closed + 30 * DAY_MS);
  });

  it.each([
    { now: T + 30 * DAY_MS - 1, days: 30, expected: false },
    { now: T + 30 * DAY_MS, days: 30, expected: true },
    { now: T, days: 0, expected: true },
    { now: T - 1, days: 0, expected: false },
  ])('declined at T, kept $days days: at T+$now expired=$expected', ({ now, days, expected }) => {
    expect(phoneExpired({ state: 'declined', closedAt: T, resolvedAt: null }, days, now)).toBe(expected);
  });

  it('an open concern never expires', () => {
    expect(phoneExpired({ state: 'accepted', closedAt: null, resolvedAt: null }, 0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
