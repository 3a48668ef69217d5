import { describe, expect, it } from 'vitest';
import { eventually, helper, palette, record, sleep } from '../helpers/nodered-runtime.js';
import { flowRig, loadInNode } from './harness.js';

/** `tongxin alert in` on a real broker: every alert or one crew's, filtered, once per (alert, state). */
const rig = flowRig();

const alert = (over: Record<string, unknown> = {}) => ({
  alertId: 'a-1',
  kind: 'bin-full',
  state: 'open',
  severity: 'warning',
  message: { zh: '1号点湿垃圾桶已满（93%）', en: 'Point 1 wet bin is full (93%)' },
  crews: ['crew-wet-dry'],
  detail: { fill: 93 },
  raisedAt: '2026-11-23T12:00:00.000Z',
  at: '2026-11-23T12:00:00.000Z',
  ...over,
});

const load = (node: Record<string, unknown>) => loadInNode(rig, palette.alertIn, { type: 'tongxin alert in', ...node });

describe('tongxin alert in', () => {
  it('passes each alert on once per state although the service re-sends it, with kind and state on the message', async () => {
    const { seen, out } = await load({ kinds: [], states: [] });
    await rig.svc.publish('alert/bin-full', alert());
    await rig.svc.publish('alert/bin-full', alert()); // the service's re-send until acked
    await rig.svc.publish('alert/bin-full', alert({ state: 'escalated', crews: ['crew-wet-dry', 'supervisor'] }));
    await rig.svc.publish('alert/bin-full', alert({ state: 'escalated', crews: ['crew-wet-dry', 'supervisor'] }));
    await rig.svc.publish('alert/sensor-offline', alert({ alertId: 'a-2', kind: 'sensor-offline', deviceId: 'garden-node' }));
    await eventually('three messages', () => out.length >= 3);
    await sleep(100);
    expect(out.map((m) => [m.alertId, m.kind, m.state])).toEqual([
      ['a-1', 'bin-full', 'open'],
      ['a-1', 'bin-full', 'escalated'],
      ['a-2', 'sensor-offline', 'open'],
    ]);
    expect(out[0]).toMatchObject({ topic: 'tongxin/test-site/alert/bin-full', payload: alert() });
    const last = seen.status.at(-1);
    expect(last).toMatchObject({ fill: 'green', shape: 'dot' });
    expect(last?.text).toContain('sensor-offline open');
  });

  it('filters by kind and state', async () => {
    const { out } = await load({ kinds: ['bin-full', 'bin-overflow'], states: ['open', 'escalated'] });
    await rig.svc.publish('alert/sensor-offline', alert({ alertId: 'a-2', kind: 'sensor-offline' }));
    await rig.svc.publish('alert/bin-full', alert({ state: 'acked', ackedBy: 'crew-wet-dry' }));
    await rig.svc.publish('alert/bin-overflow', alert({ alertId: 'a-3', kind: 'bin-overflow' }));
    await eventually('the overflow', () => out.length === 1);
    await sleep(100);
    expect(out.map((m) => m.alertId)).toEqual(['a-3']);
  });

  it("reads one crew's own alert topic when a crew is chosen", async () => {
    const { out } = await load({ crew: 'crew-recycling', kinds: '', states: '' });
    await rig.svc.publish('alert/bin-full', alert({ alertId: 'a-9' }));
    await rig.svc.publish('crew/crew-wet-dry/alert', alert({ alertId: 'a-8' }));
    await rig.svc.publish('crew/crew-recycling/alert', alert({ alertId: 'a-7', crews: ['crew-recycling'] }));
    await eventually('the recycling crew alert', () => out.length === 1);
    await sleep(100);
    expect(out.map((m) => [m.alertId, m.topic])).toEqual([['a-7', 'tongxin/test-site/crew/crew-recycling/alert']]);
  });

  it('warns about malformed payloads with the reason (never the content), counts them in the status, and keeps going', async () => {
    const { seen, out } = await load({});
    await rig.svc.publish('alert/bin-full', '{"alertId": "a-1", "kind": "bin-full", "phone": "13900001111"');
    await rig.svc.publish('alert/bin-full', JSON.stringify({ kind: 'bin-full', state: 'open' }));
    await rig.svc.publish('alert/bin-full', '[1,2]');
    await rig.svc.publish('alert/bin-full', alert());
    await eventually('the good alert', () => out.length === 1);
    await eventually('three bad ones counted', () => seen.status.at(-1)?.text?.includes('tongxin-alert-in.status.bad'));
    // Warned once (then at most every 10 s): the first reason, with the count so far.
    expect(seen.warn[0]).toMatch(/alert on tongxin\/test-site\/alert\/bin-full: invalid JSON \(1 bad so far\)/);
    expect(seen.warn.join('\n')).not.toContain('13900001111');
    expect(seen.warn).toHaveLength(1);
  });

  it('shows the connection: red when the site has no usable broker, no crash', async () => {
    await helper.load([palette.site, palette.alertIn], [{ id: 's1', type: 'tongxin-site', url: 'not-a-url', siteId: 'x' }, { id: 'n1', type: 'tongxin alert in', site: 's1', wires: [] }]);
    expect(record(helper.getNode('n1')).status.at(-1)).toMatchObject({ fill: 'red', shape: 'ring', text: 'tongxin-alert-in.status.noSite' });
    const site = helper.getNode('s1') as { connection: unknown };
    expect(site.connection).toBeNull();
  });
});
