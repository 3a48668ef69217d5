import { describe, expect, it } from 'vitest';
import { durations, median, percentile, rate, round1 } from '../../../src/report/stats.js';

/** Median and percentiles as Excel's PERCENTILE.INC computes them, and what an empty sample gives. */
describe('percentile and median', () => {
  it('interpolate between the closest ranks', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 10);
    expect(percentile([10, 20], 90)).toBe(19);
    expect(percentile([5, 1, 9], 0)).toBe(1);
    expect(percentile([5, 1, 9], 100)).toBe(9);
  });

  it('give the one value of a single sample and null for an empty one (never 0)', () => {
    expect(median([7])).toBe(7);
    expect(percentile([7], 90)).toBe(7);
    expect(median([])).toBeNull();
    expect(percentile([], 90)).toBeNull();
    expect(percentile([Number.NaN], 50)).toBeNull();
  });

  it('do not reorder the caller’s array and refuse a percentile outside 0..100', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
    expect(() => percentile(values, 101)).toThrow(/0\.\.100/);
    expect(() => percentile(values, Number.NaN)).toThrow();
  });
});

describe('durations and rates', () => {
  it('summarise milliseconds in a unit, rounded to one decimal', () => {
    expect(durations([60_000, 120_000, 600_000], 60_000)).toEqual({ count: 3, median: 2, p90: 8.4 });
    expect(durations([], 60_000)).toEqual({ count: 0, median: null, p90: null });
    expect(round1(2.449)).toBe(2.4);
  });

  it('a rate of nothing is null, not 0 % or 100 %', () => {
    expect(rate(0, 0)).toBeNull();
    expect(rate(2, 3)).toBe(66.7);
    expect(rate(3, 3)).toBe(100);
  });
});
