import { describe, expect, it } from 'vitest';
import { bedSeries } from '../../../kiosk-ui/src/screens/garden/bed-history.js';
import { driftOffset } from '../../../kiosk-ui/src/ui/drift.js';

const H = 3_600_000;

describe('garden chart series', () => {
  it('takes per hour the median of the probes that have a value, in time order', () => {
    const a = [
      { at: 2 * H, value: 40 },
      { at: 0, value: 30 },
      { at: H, value: 50 },
    ];
    const b = [
      { at: 0, value: 34 },
      { at: 2 * H, value: 60 },
    ];
    const c = [{ at: 2 * H, value: 45 }];
    expect(bedSeries([a, b, c])).toEqual({ at: [0, H, 2 * H], value: [32, 50, 45] });
    expect(bedSeries([])).toEqual({ at: [], value: [] });
    expect(bedSeries([[{ at: 0, value: Number.NaN }]])).toEqual({ at: [], value: [] });
  });
});

describe('burn-in drift', () => {
  it('moves a little every minute and comes back round', () => {
    const seen = new Set<string>();
    for (let m = 0; m < 8; m++) seen.add(JSON.stringify(driftOffset(m * 60_000 + 5_000)));
    expect(seen.size).toBe(8);
    expect(driftOffset(0)).toEqual(driftOffset(8 * 60_000));
    for (let m = 0; m < 8; m++) {
      const { x, y } = driftOffset(m * 60_000);
      expect(Math.abs(x)).toBeLessThanOrEqual(6);
      expect(Math.abs(y)).toBeLessThanOrEqual(6);
    }
  });
});
