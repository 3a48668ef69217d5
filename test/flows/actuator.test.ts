import { describe, expect, it } from 'vitest';
import { eventually, helper, inbox, palette, record, sleep } from '../helpers/nodered-runtime.js';
import { flowRig, loadAskingNode } from './harness.js';

/**
 * `tongxin actuator`: asks (request/actuator/<id>), never commands; the service's answer (ok or a
 * refusal with its reason) comes out, a missing answer is an error a Catch node sees.
 */
const rig = flowRig();

const load = (node: Record<string, unknown>) => loadAskingNode(rig, palette.actuator, { type: 'tongxin actuator', actuator: '', state: 'on', minutes: '', reason: '', timeout: 10, ...node });

describe('tongxin actuator', () => {
  it("asks for the node's actuator, state and minutes, and passes the service's ok on", async () => {
    const { n1, seen, out } = await load({ actuator: 'valve-herbs', state: 'on', minutes: 10, reason: 'bed dry' });
    rig.svc.answer = (req) => ({ requestId: req.body.requestId, ok: true, detail: { bedId: 'bed-herbs', actuatorId: 'valve-herbs' } });
    n1.receive({ payload: { actuatorId: 'valve-other', state: 'off', minutes: 99 } }); // the node's settings win
    await eventually('the reply', () => out.length >= 1);
    expect(rig.svc.requests).toEqual([
      { topic: 'tongxin/test-site/request/actuator/valve-herbs', body: { requestId: expect.any(String), state: 'on', minutes: 10, reason: 'bed dry' } },
    ]);
    expect(out[0]?.payload).toEqual({ requestId: rig.svc.requests[0]?.body.requestId, ok: true, detail: { bedId: 'bed-herbs', actuatorId: 'valve-herbs' } });
    expect(seen.status.at(-1)).toMatchObject({ fill: 'green', shape: 'dot' });
  });

  it('takes what the node leaves open from the message, and passes a refusal on with its reason', async () => {
    const { n1, seen, out } = await load({ state: 'msg' });
    rig.svc.answer = (req) => ({ requestId: req.body.requestId, ok: false, reason: 'quiet-time', detail: { bedId: 'bed-herbs' } });
    n1.receive({ actuatorId: 'valve-herbs', payload: { state: 'on', minutes: 5, reason: 'from a button' } });
    await eventually('the refusal', () => out.length >= 1);
    expect(rig.svc.requests[0]).toEqual({ topic: 'tongxin/test-site/request/actuator/valve-herbs', body: { requestId: expect.any(String), state: 'on', minutes: 5, reason: 'from a button' } });
    expect(out[0]?.payload).toMatchObject({ ok: false, reason: 'quiet-time' });
    expect(seen.status.at(-1)).toMatchObject({ fill: 'yellow', shape: 'dot' });
  });

  it('sends no minutes when none are given, and a default reason', async () => {
    const { n1, out } = await load({ actuator: 'valve-herbs', state: 'auto' });
    n1.receive({ payload: 'go' });
    await eventually('the reply', () => out.length >= 1);
    expect(rig.svc.requests[0]?.body).toEqual({ requestId: expect.any(String), state: 'auto', reason: 'node-red' });
  });

  it('reports a missing reply as an error with the message (Catch), after the timeout', async () => {
    const { n1, caught, out } = await load({ actuator: 'valve-herbs', timeout: 0.3 });
    rig.svc.answer = () => undefined;
    const t0 = Date.now();
    n1.receive({ payload: {}, bedId: 'bed-herbs' });
    await eventually('the catch', () => caught.length >= 1, 3000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(caught[0]).toMatchObject({ bedId: 'bed-herbs', error: { message: expect.stringContaining('no reply to request/actuator/valve-herbs within 0.3 s') } });
    expect(out).toEqual([]);
  });

  it('refuses bad input (no id, a wildcard id, an unknown state, impossible minutes) without sending anything', async () => {
    const { n1, caught } = await load({ state: 'msg' });
    n1.receive({ payload: { state: 'on' } });
    n1.receive({ actuatorId: 'valve/#', payload: { state: 'on' } });
    n1.receive({ actuatorId: 'valve-herbs', payload: { state: 'flood' } });
    n1.receive({ actuatorId: 'valve-herbs', payload: { state: 'on', minutes: -1 } });
    n1.receive({ actuatorId: 'valve-herbs', payload: { state: 'on', minutes: '10' } });
    await eventually('five errors', () => caught.length >= 5);
    expect(caught.map((m) => (m.error as { message: string }).message.replace('Error: tongxin-actuator.status.', ''))).toEqual([
      'noActuator',
      'noActuator',
      'badState',
      'badMinutes',
      'badMinutes',
    ]);
    await sleep(100);
    expect(rig.svc.requests).toEqual([]);
  });

  it('matches replies to requests when several are in flight', async () => {
    const { n1, out } = await load({ state: 'msg' });
    const held: Record<string, unknown>[] = [];
    rig.svc.answer = (req) => {
      held.push(req.body);
      return undefined;
    };
    for (const id of ['valve-a', 'valve-b', 'valve-c']) n1.receive({ actuatorId: id, payload: { state: 'on' }, tag: id });
    await eventually('three requests', () => held.length >= 3);
    // Answered in reverse order, one refused.
    for (const body of [...held].reverse()) {
      const ok = body !== held[1];
      await rig.svc.publish(`reply/${String(body.requestId)}`, { requestId: body.requestId, ok, ...(ok ? {} : { reason: 'valve-stuck' }) });
    }
    await eventually('three outputs', () => out.length >= 3);
    const byTag = Object.fromEntries(out.map((m) => [m.tag, m.payload as { ok: boolean; requestId: string }]));
    const idOf = (topicEnd: string) => rig.svc.requests.find((r) => r.topic.endsWith(topicEnd))?.body.requestId;
    expect(byTag['valve-a']).toMatchObject({ ok: true, requestId: idOf('/valve-a') });
    expect(byTag['valve-b']).toMatchObject({ ok: false, reason: 'valve-stuck', requestId: idOf('/valve-b') });
    expect(byTag['valve-c']).toMatchObject({ ok: true, requestId: idOf('/valve-c') });
  });

  it('without a usable site, refuses each message with an error a Catch node sees', async () => {
    await helper.load(
      [palette.site, palette.actuator],
      [
        { id: 'tab', type: 'tab', label: 'actuator' },
        { id: 's1', type: 'tongxin-site', url: '', siteId: 'bad/site' },
        { id: 'n1', z: 'tab', type: 'tongxin actuator', site: 's1', actuator: 'valve-herbs', state: 'on', wires: [[]] },
        { id: 'c1', z: 'tab', type: 'catch', scope: ['n1'], uncaught: false, wires: [['caught']] },
        { id: 'caught', z: 'tab', type: 'helper' },
      ],
    );
    const caught = inbox(helper.getNode('caught'));
    helper.getNode('n1').receive({ payload: 1 });
    await eventually('the error', () => caught.length >= 1);
    expect((caught[0]?.error as { message: string }).message).toBe('Error: tongxin-actuator.status.noSite');
    expect(record(helper.getNode('n1')).status.at(-1)).toMatchObject({ fill: 'red', text: 'tongxin-actuator.status.noSite' });
  });
});
