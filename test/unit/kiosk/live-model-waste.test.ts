import { describe, expect, it } from 'vitest';
import type { Site } from '../../../kiosk-ui/src/api/site.js';
import type { WasteSnapshot } from '../../../kiosk-ui/src/api/waste.js';
import { applyBin, applyPoint, applyWasteSnapshot, createModel } from '../../../kiosk-ui/src/model.js';

const site = { id: 's', name: { zh: '站', en: 'Site' }, timezone: 'Asia/Shanghai', sample: false, lounge: { hours: { open: '08:30', close: '20:30' }, doors: [] }, garden: { beds: [] }, points: [], kiosk: { idleSeconds: 90, promptSeconds: 20 } } as Site;

const snapshot = (): WasteSnapshot => ({
  now: 1_000_000,
  clockTrusted: true,
  points: [
    {
      id: 'p1',
      name: { zh: '一号', en: 'One' },
      lateDrop: false,
      open: false,
      categories: { wet: { open: false, current: null, next: { from: 2_000_000, to: 3_000_000 } } },
      bins: [{ id: 'p1-wet', category: 'wet', fill: 10, level: 'ok' }],
    },
  ],
});

describe('the live model: collection points', () => {
  it('keeps the snapshot with the server’s clock offset', () => {
    const m = createModel(site);
    expect(m.waste).toBeNull();
    applyWasteSnapshot(m, snapshot(), 995_000);
    expect(m.waste?.offsetMs).toBe(5_000);
    expect(m.waste?.points[0]?.bins[0]?.fill).toBe(10);
  });

  it('applies a bin event’s fill and level, and ignores a bin it does not know', () => {
    const m = createModel(site);
    applyBin(m, { binId: 'p1-wet', pointId: 'p1', category: 'wet', fill: 82.5, level: 'warn', at: new Date(0).toISOString() });
    expect(m.waste).toBeNull();
    applyWasteSnapshot(m, snapshot(), 1_000_000);
    applyBin(m, { binId: 'p1-wet', pointId: 'p1', category: 'wet', fill: 82.5, level: 'warn', at: new Date(0).toISOString() });
    applyBin(m, { binId: 'nope', pointId: 'p1', category: 'dry', fill: 99, level: 'full', at: new Date(0).toISOString() });
    expect(m.waste?.points[0]?.bins).toEqual([{ id: 'p1-wet', category: 'wet', fill: 82.5, level: 'warn' }]);
  });

  it('applies a point event: windows from ISO times, open state, and a fresh clock offset', () => {
    const m = createModel(site);
    applyWasteSnapshot(m, snapshot(), 1_000_000);
    const from = Date.parse('2025-03-10T09:30:00Z');
    applyPoint(
      m,
      {
        pointId: 'p1',
        open: true,
        lateDrop: false,
        clockTrusted: false,
        categories: { wet: { open: true, current: { from: new Date(from).toISOString(), to: new Date(from + 7_200_000).toISOString() }, next: null } },
        at: new Date(from + 60_000).toISOString(),
      },
      from + 50_000,
    );
    const p = m.waste?.points[0];
    expect(p?.open).toBe(true);
    expect(p?.categories.wet).toEqual({ open: true, current: { from, to: from + 7_200_000 }, next: null });
    expect(m.waste?.clockTrusted).toBe(false);
    expect(m.waste?.offsetMs).toBe(10_000);
  });
});
