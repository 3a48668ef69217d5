import { describe, expect, it } from 'vitest';
import { eventually, helper, palette, record, sleep, startBroker } from '../helpers/nodered-runtime.js';
import { flowRig, loadAskingNode } from './harness.js';

/**
 * `tongxin ack` against a real broker and a stand-in service: the request on the wire, the reply
 * passed on (ok or refused), a timeout that a Catch node sees, and bad input refused before anything
 * is sent.
 */
const rig = flowRig();

const load = (node: Record<string, unknown>) => loadAskingNode(rig, palette.ack, { type: 'tongxin ack', action: 'ack', timeout: 10, ...node });

describe('tongxin ack', () => {
  it('sends request/alert/<id> with a fresh requestId and passes the reply on as msg.payload', async () => {
    const { n1, seen, out } = await load({});
    rig.svc.answer = (req) => ({ requestId: req.body.requestId, ok: true, detail: { alertId: 'a-1', state: 'acked', changed: true } });
    n1.receive({ payload: { alertId: 'a-1', kind: 'bin-full' }, topic: 'keep me' });
    n1.receive({ alertId: 'a-2', note: 'seen from the office' });
    await eventually('two replies', () => out.length >= 2);
    expect(rig.svc.requests.map((r) => r.topic).sort()).toEqual(['tongxin/test-site/request/alert/a-1', 'tongxin/test-site/request/alert/a-2']);
    const body1 = rig.svc.requests.find((r) => r.topic.endsWith('/a-1'))!.body;
    const body2 = rig.svc.requests.find((r) => r.topic.endsWith('/a-2'))!.body;
    expect(body1).toEqual({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), action: 'ack' });
    expect(body2).toEqual({ requestId: expect.any(String), action: 'ack', note: 'seen from the office' });
    expect(body1.requestId).not.toBe(body2.requestId);
    const first = out.find((m) => m.topic === 'keep me')!;
    expect(first.payload).toEqual({ requestId: body1.requestId, ok: true, detail: { alertId: 'a-1', state: 'acked', changed: true } });
    expect(seen.status.at(-1)).toMatchObject({ fill: 'green', shape: 'dot' });
  });

  it('takes the action from msg.action when the node says so, and passes a refusal on with its reason', async () => {
    const { n1, seen, out } = await load({ action: 'msg' });
    rig.svc.answer = (req) => ({ requestId: req.body.requestId, ok: false, reason: 'unknown-alert' });
    n1.receive({ payload: { alertId: 'a-404' }, action: 'resolve', note: 'bin emptied' });
    await eventually('the refusal', () => out.length >= 1);
    expect(rig.svc.requests[0]?.body).toMatchObject({ action: 'resolve', note: 'bin emptied' });
    expect(out[0]?.payload).toMatchObject({ ok: false, reason: 'unknown-alert' });
    expect(seen.status.at(-1)).toMatchObject({ fill: 'yellow', shape: 'dot' });
    expect(seen.error).toEqual([]);
  });

  it('reports a reply that never comes as an error with the message, which a Catch node sees; a late reply is ignored', async () => {
    const { n1, seen, out, caught } = await load({ timeout: 0.3 });
    const late: string[] = [];
    rig.svc.answer = (req) => {
      late.push(String(req.body.requestId));
      return undefined;
    };
    n1.receive({ payload: { alertId: 'a-1' }, tag: 't1' });
    await eventually('the catch node', () => caught.length >= 1, 3000);
    expect(caught[0]).toMatchObject({ tag: 't1', error: { message: expect.stringMatching(/no reply to request\/alert\/a-1 within 0.3 s/) } });
    expect(seen.error).toHaveLength(1);
    expect(seen.status.at(-1)).toMatchObject({ fill: 'red' });
    // The service answers after all: nothing more comes out of the node.
    await rig.svc.publish(`reply/${late[0]}`, { requestId: late[0], ok: true });
    await sleep(200);
    expect(out).toEqual([]);
  });

  it('refuses input without a usable alert id or action before anything is sent', async () => {
    const { n1, caught } = await load({ action: 'msg' });
    n1.receive({ payload: {} });
    n1.receive({ payload: { alertId: 'a/#' }, action: 'ack' });
    n1.receive({ payload: { alertId: 'a-1' }, action: 'delete' });
    await eventually('three errors', () => caught.length >= 3);
    // Node-RED prefixes the error's name; the helper's translator returns the message keys.
    expect(caught.map((m) => (m.error as { message: string }).message)).toEqual(['Error: tongxin-ack.status.noAlertId', 'Error: tongxin-ack.status.noAlertId', 'Error: tongxin-ack.status.badAction']);
    await sleep(100);
    expect(rig.svc.requests).toEqual([]);
  });

  it('ignores a reply that is not JSON (the request times out) and warns through the site', async () => {
    const { n1, caught } = await load({ timeout: 0.4 });
    rig.svc.answer = () => 'not json';
    n1.receive({ payload: { alertId: 'a-1' } });
    await eventually('the timeout', () => caught.length >= 1, 3000);
    expect(record(helper.getNode('s1')).warn.some((w) => /reply to request .*: invalid JSON/.test(w))).toBe(true);
  });

  it('refuses at once while the broker is unreachable, and never sends the request later', async () => {
    const { n1, caught } = await load({});
    const site = helper.getNode('s1') as { connection: { state: string } };
    await rig.svc.close();
    await rig.broker.close();
    await eventually('disconnected', () => site.connection.state !== 'connected', 5000);
    n1.receive({ payload: { alertId: 'a-1' } });
    await eventually('the error', () => caught.length >= 1);
    expect((caught[0]?.error as { message: string }).message).toBe('Error: not connected to the broker');
    // A fresh broker for afterAll to close (and for any test added after this one).
    rig.broker = await startBroker();
  });
});
