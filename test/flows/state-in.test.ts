import { describe, expect, it } from 'vitest';
import { eventually, helper, palette, sleep } from '../helpers/nodered-runtime.js';
import { flowRig, loadInNode } from './harness.js';

/** `tongxin state in`: the retained state of beds, bins, points or the lounge, at start and on change. */
const rig = flowRig();

const bed = (bedId: string, level: string, watering = false) => ({ bedId, moisture: level === 'dry' ? 12 : 40, level, watering, mode: 'auto', reason: level === 'dry' ? 'quiet-time' : 'ok', overrideUntil: null, probes: {}, lastRun: null, at: '2026-11-23T13:00:00.000Z' });

const load = (node: Record<string, unknown>) => loadInNode(rig, palette.stateIn, { type: 'tongxin state in', ...node });

describe('tongxin state in', () => {
  it('gets the retained state of each bed when it starts, then each change', async () => {
    await rig.svc.publish('garden/bed-herbs/state', bed('bed-herbs', 'dry'), { retain: true });
    await rig.svc.publish('garden/bed-nectar/state', bed('bed-nectar', 'ok'), { retain: true });
    await rig.svc.publish('bin/p1-wet/state', { binId: 'p1-wet', level: 'full' }, { retain: true });
    const { out, seen } = await load({ kind: 'garden', ids: '' });
    await eventually('both retained states', () => out.length >= 2);
    expect(out.map((m) => [m.kind, m.id, (m.payload as { level: string }).level]).sort()).toEqual([
      ['garden', 'bed-herbs', 'dry'],
      ['garden', 'bed-nectar', 'ok'],
    ]);
    await rig.svc.publish('garden/bed-herbs/state', bed('bed-herbs', 'dry', true), { retain: true });
    await eventually('the change', () => out.length >= 3);
    expect(out[2]).toMatchObject({ topic: 'tongxin/test-site/garden/bed-herbs/state', id: 'bed-herbs', payload: { watering: true } });
    expect(seen.status.at(-1)?.text).toContain('bed-herbs dry');
  });

  it('reads only the listed bins, and the lounge on its one topic', async () => {
    await rig.svc.publish('bin/p1-wet/state', { binId: 'p1-wet', level: 'full', fill: 93 }, { retain: true });
    await rig.svc.publish('bin/p2-dry/state', { binId: 'p2-dry', level: 'ok', fill: 10 }, { retain: true });
    const bins = await load({ kind: 'bin', ids: 'p1-wet' });
    await eventually('the listed bin', () => bins.out.length >= 1);
    await sleep(100);
    expect(bins.out.map((m) => m.id)).toEqual(['p1-wet']);
    await helper.unload();

    await rig.svc.publish('lounge/occupancy', { inside: 4, visitsToday: 31, open: true, at: '2026-11-23T05:00:00.000Z' }, { retain: true });
    const lounge = await load({ kind: 'lounge' });
    await eventually('the lounge', () => lounge.out.length >= 1);
    expect(lounge.out[0]).toMatchObject({ kind: 'lounge', id: 'lounge', payload: { inside: 4 } });
    expect(lounge.seen.status.at(-1)?.text).toContain('lounge 4');
  });

  it('counts a state that is not JSON and carries on', async () => {
    const { out, seen } = await load({ kind: 'point', ids: '' });
    await rig.svc.publish('point/p1/state', 'open');
    await rig.svc.publish('point/p1/state', { pointId: 'p1', open: true });
    await eventually('the good state', () => out.length >= 1);
    expect(seen.warn[0]).toBe('state on tongxin/test-site/point/p1/state: invalid JSON (1 bad so far)');
    expect(seen.status.at(-1)?.text).toMatch(/^p1 open · \d\d:\d\d:\d\d · tongxin-state-in\.status\.bad$/);
  });
});
