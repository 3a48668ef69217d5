import { describe, expect, it } from 'vitest';
import { eventually, helper, palette, record, siteNode, siteReady, sleep } from '../helpers/nodered-runtime.js';
import { flowRig, loadInNode } from './harness.js';

/** `tongxin sensor in`: calibrated readings by sensor (or all), bad payloads counted, never thrown. */
const rig = flowRig();

const reading = (sensorId: string, value: number) => ({ sensorId, kind: 'soil-moisture', value, unit: '%', at: '2026-11-23T12:00:00.000Z' });

const load = (node: Record<string, unknown>) => loadInNode(rig, palette.sensorIn, { type: 'tongxin sensor in', ...node });

describe('tongxin sensor in', () => {
  it('passes on the listed sensors’ readings only', async () => {
    const { out, seen } = await load({ sensors: 'soil-herbs-a, soil-herbs-b' });
    await rig.svc.publish('sensor/soil-herbs-a/value', reading('soil-herbs-a', 41.5), { qos: 0 });
    await rig.svc.publish('sensor/soil-nectar-a/value', reading('soil-nectar-a', 12), { qos: 0 });
    await rig.svc.publish('sensor/soil-herbs-b/value', reading('soil-herbs-b', 38), { qos: 0 });
    await rig.svc.publish('sensor/soil-herbs-a/raw', { value: 400 }, { qos: 0 });
    await eventually('two readings', () => out.length >= 2);
    await sleep(100);
    expect(out.map((m) => [m.sensorId, (m.payload as { value: number }).value, m.topic])).toEqual([
      ['soil-herbs-a', 41.5, 'tongxin/test-site/sensor/soil-herbs-a/value'],
      ['soil-herbs-b', 38, 'tongxin/test-site/sensor/soil-herbs-b/value'],
    ]);
    expect(seen.status.at(-1)?.text).toContain('soil-herbs-b 38 %');
  });

  it('passes on every sensor when none is listed, and counts what is not a reading', async () => {
    const { out, seen } = await load({ sensors: '' });
    await rig.svc.publish('sensor/bin-p1-wet/value', reading('bin-p1-wet', 93), { qos: 0 });
    await rig.svc.publish('sensor/bin-p1-wet/value', 'NaN', { qos: 0 });
    await rig.svc.publish('sensor/bin-p1-wet/value', JSON.stringify({ sensorId: 'bin-p1-wet', value: 'full' }), { qos: 0 });
    await rig.svc.publish('sensor/door-main-in/value', reading('door-main-in', 3), { qos: 0 });
    await eventually('two readings', () => out.length >= 2);
    await eventually('two bad counted', () => seen.status.some((s) => s.text?.includes('tongxin-sensor-in.status.bad')));
    expect(out.map((m) => m.sensorId)).toEqual(['bin-p1-wet', 'door-main-in']);
    expect(seen.warn[0]).toContain('reading on tongxin/test-site/sensor/bin-p1-wet/value: invalid JSON');
  });

  it('refuses a sensor id that would be a wildcard, with a red status and no subscription', async () => {
    await helper.load([palette.site, palette.sensorIn], [siteNode(rig.broker.url), { id: 'n1', type: 'tongxin sensor in', site: 's1', sensors: 'soil-a, #', wires: [] }]);
    const seen = record(helper.getNode('n1'));
    expect(seen.status.at(-1)).toMatchObject({ fill: 'red', text: 'tongxin-sensor-in.status.badSensor' });
    expect(seen.error.map((e) => String(e.err))).toEqual(['sensor id "#" is not a valid id']);
    await siteReady();
    const site = helper.getNode('s1') as { connection: { subs: Map<string, unknown> } };
    expect([...site.connection.subs.keys()]).toEqual([]);
  });
});
