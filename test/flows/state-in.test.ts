import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, fakeService, helper, inbox, palette, record, siteNode, siteReady, sleep, startBroker, type FakeService, type TestBroker } from '../helpers/nodered-runtime.js';

/** `tongxin state in`: the retained state of beds, bins, points or the lounge, at start and on change. */
let broker: TestBroker;
let svc: FakeService;

beforeAll(async () => {
  broker = await startBroker();
  await helper.startServer();
});
afterAll(async () => {
  await helper.stopServer();
  await broker.close();
});
beforeEach(async () => {
  svc = await fakeService(broker.url);
});
afterEach(async () => {
  await helper.unload();
  await svc.close();
});

const bed = (bedId: string, level: string, watering = false) => ({ bedId, moisture: level === 'dry' ? 12 : 40, level, watering, mode: 'auto', reason: level === 'dry' ? 'quiet-time' : 'ok', overrideUntil: null, probes: {}, lastRun: null, at: '2026-11-23T13:00:00.000Z' });

async function load(node: Record<string, unknown>) {
  await helper.load([palette.site, palette.stateIn], [siteNode(broker.url), { id: 'n1', type: 'tongxin state in', site: 's1', wires: [['out']], ...node }, { id: 'out', type: 'helper' }]);
  const n1 = helper.getNode('n1');
  return { n1, seen: record(n1), out: inbox(helper.getNode('out')) };
}

describe('tongxin state in', () => {
  it('gets the retained state of each bed when it starts, then each change', async () => {
    await svc.publish('garden/bed-herbs/state', bed('bed-herbs', 'dry'), { retain: true });
    await svc.publish('garden/bed-nectar/state', bed('bed-nectar', 'ok'), { retain: true });
    await svc.publish('bin/p1-wet/state', { binId: 'p1-wet', level: 'full' }, { retain: true });
    const { out, seen } = await load({ kind: 'garden', ids: '' });
    await siteReady();
    await eventually('both retained states', () => out.length >= 2);
    expect(out.map((m) => [m.kind, m.id, (m.payload as { level: string }).level]).sort()).toEqual([
      ['garden', 'bed-herbs', 'dry'],
      ['garden', 'bed-nectar', 'ok'],
    ]);
    await svc.publish('garden/bed-herbs/state', bed('bed-herbs', 'dry', true), { retain: true });
    await eventually('the change', () => out.length >= 3);
    expect(out[2]).toMatchObject({ topic: 'tongxin/test-site/garden/bed-herbs/state', id: 'bed-herbs', payload: { watering: true } });
    expect(seen.status.at(-1)?.text).toContain('bed-herbs dry');
  });

  it('reads only the listed bins, and the lounge on its one topic', async () => {
    await svc.publish('bin/p1-wet/state', { binId: 'p1-wet', level: 'full', fill: 93 }, { retain: true });
    await svc.publish('bin/p2-dry/state', { binId: 'p2-dry', level: 'ok', fill: 10 }, { retain: true });
    const bins = await load({ kind: 'bin', ids: 'p1-wet' });
    await siteReady();
    await eventually('the listed bin', () => bins.out.length >= 1);
    await sleep(100);
    expect(bins.out.map((m) => m.id)).toEqual(['p1-wet']);
    await helper.unload();

    await svc.publish('lounge/occupancy', { inside: 4, visitsToday: 31, open: true, at: '2026-11-23T05:00:00.000Z' }, { retain: true });
    const lounge = await load({ kind: 'lounge' });
    await siteReady();
    await eventually('the lounge', () => lounge.out.length >= 1);
    expect(lounge.out[0]).toMatchObject({ kind: 'lounge', id: 'lounge', payload: { inside: 4 } });
    expect(lounge.seen.status.at(-1)?.text).toContain('lounge 4');
  });

  it('counts a state that is not JSON and carries on', async () => {
    const { out, seen } = await load({ kind: 'point', ids: '' });
    await siteReady();
    await svc.publish('point/p1/state', 'open');
    await svc.publish('point/p1/state', { pointId: 'p1', open: true });
    await eventually('the good state', () => out.length >= 1);
    expect(seen.warn[0]).toBe('state on tongxin/test-site/point/p1/state: invalid JSON (1 bad so far)');
    expect(seen.status.at(-1)?.text).toMatch(/^p1 open · \d\d:\d\d:\d\d · tongxin-state-in\.status\.bad$/);
  });
});
