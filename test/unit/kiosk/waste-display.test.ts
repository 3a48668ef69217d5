import { describe, expect, it } from 'vitest';
import type { WastePointState } from '../../../kiosk-ui/src/api/waste.js';
import { barPercent, binView, categoryStatus, pointStatus, sameStatus } from '../../../kiosk-ui/src/screens/waste/waste-display.js';

const H = 3_600_000;
const point = (over: Partial<WastePointState>): WastePointState => ({ id: 'p1', name: { zh: '一号', en: 'One' }, lateDrop: false, open: false, categories: {}, bins: [], ...over });

describe('waste screen: windows and fill', () => {
  it('turns the server’s windows into page times with the clock offset', () => {
    // The server is 5 s ahead of the page: a window closing at server 10 h closes at page 10 h - 5 s.
    expect(categoryStatus({ open: true, current: { from: 0, to: 10 * H }, next: null }, false, 5_000)).toEqual({ kind: 'open', closesAt: 10 * H - 5_000 });
    expect(categoryStatus({ open: false, current: null, next: { from: 17 * H, to: 20 * H } }, false, -1_000)).toEqual({ kind: 'closed', opensAt: 17 * H + 1_000 });
    expect(categoryStatus({ open: false, current: null, next: null }, false, 0)).toEqual({ kind: 'closed', opensAt: null });
    expect(categoryStatus(undefined, false, 0)).toEqual({ kind: 'unknown' });
    // A late-drop point's window is cut at the server's search horizon: no countdown for it.
    expect(categoryStatus({ open: true, current: { from: 0, to: 14 * 24 * H }, next: null }, true, 0)).toEqual({ kind: 'always' });
  });

  it('sums a point up: open until the first open category closes, else closed until the first opens', () => {
    const open = point({
      categories: {
        wet: { open: true, current: { from: 0, to: 8 * H }, next: null },
        dry: { open: true, current: { from: 0, to: 9 * H }, next: null },
        hazardous: { open: false, current: null, next: { from: 20 * H, to: 21 * H } },
      },
    });
    expect(pointStatus(open, 0)).toEqual({ kind: 'open', closesAt: 8 * H });
    const closed = point({
      categories: {
        wet: { open: false, current: null, next: { from: 17 * H, to: 20 * H } },
        dry: { open: false, current: null, next: { from: 18 * H, to: 20 * H } },
      },
    });
    expect(pointStatus(closed, 0)).toEqual({ kind: 'closed', opensAt: 17 * H });
    expect(pointStatus(point({}), 0)).toEqual({ kind: 'unknown' });
    expect(pointStatus(point({ lateDrop: true, categories: { wet: { open: true, current: { from: 0, to: 99 * H }, next: null } } }), 0)).toEqual({ kind: 'always' });
    expect(sameStatus({ kind: 'closed', opensAt: 17 * H }, { kind: 'closed', opensAt: 17 * H + 30_000 })).toBe(true);
    expect(sameStatus({ kind: 'closed', opensAt: 17 * H }, { kind: 'closed', opensAt: 18 * H })).toBe(false);
    expect(sameStatus({ kind: 'open', closesAt: H }, { kind: 'closed', opensAt: H })).toBe(false);
  });

  it('shows the filtered fill with the server’s level in words, and says why a number is missing or old', () => {
    const bin = { id: 'b', category: 'wet' as const, fill: 78, level: 'warn' as const };
    expect(binView(bin, { value: 80, at: 1, stale: false, device: 'd' })).toEqual({ fill: 78, word: 'nearly-full', problem: null });
    expect(binView({ ...bin, level: 'full' }, undefined).word).toBe('full');
    expect(binView({ ...bin, level: 'overflow' }, undefined).word).toBe('full');
    expect(binView({ ...bin, level: 'ok' }, undefined).word).toBeNull();
    expect(binView({ ...bin, fill: null }, undefined)).toEqual({ fill: null, word: null, problem: { kind: 'no-data' } });
    // Its sensor went quiet: the number is old, and no "nearly full" is claimed as current.
    expect(binView(bin, { value: 80, at: 1234, stale: true, device: 'd' })).toEqual({ fill: 78, word: null, problem: { kind: 'old', at: 1234 } });
    expect([barPercent(null), barPercent(-3), barPercent(55.5), barPercent(112)]).toEqual([0, 0, 55.5, 100]);
  });
});
