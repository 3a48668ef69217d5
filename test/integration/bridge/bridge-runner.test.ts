import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { runBridge, type BridgeSpec } from '../../../firmware-bridge/src/bridge.js';
import { siteTopics } from '../../../src/contract/topics.js';
import { createCounters } from '../../../src/core/counters.js';
import { startEmbeddedBroker } from '../../../src/mqtt/broker.js';
import { memoryLogger, tempDir, useCleanup, waitFor } from '../../helpers/app.js';
import { SERIAL_TEST_CONFIG, ptyHarness } from '../../helpers/serial-harness.js';

const defer = useCleanup();
const SITE = 'runner-test';
const t = siteTopics(SITE);

/** A broker that lets everyone act as the service: the ACL is tested elsewhere, here the bridge's behaviour is. */
async function broker() {
  const { log } = memoryLogger('warn');
  const b = await startEmbeddedBroker({
    siteId: SITE,
    listeners: [{ host: '127.0.0.1', port: 0, websocket: false, anonymousLocal: false }],
    authenticate: async () => ({ ok: true, identity: { role: 'service' } }),
    log,
    counters: createCounters(),
  });
  defer(() => b.close());
  return b;
}

async function observer(url: string) {
  const messages: { topic: string; body: string; retain: boolean }[] = [];
  const c = await mqtt.connectAsync(url, { clientId: `obs-${Math.random()}`, username: 'x', password: 'y' });
  c.on('message', (topic, payload, packet) => messages.push({ topic, body: payload.toString(), retain: packet.retain }));
  await c.subscribeAsync(`${t.root}/#`, { qos: 1 });
  defer(() => c.endAsync());
  return { c, messages, json: (topic: string) => messages.filter((m) => m.topic === topic).map((m) => JSON.parse(m.body) as Record<string, unknown>) };
}

describe('bridge runner: link ⇄ broker', () => {
  it('publishes readings, status and states, carries commands, and answers every failed command', async () => {
    const b = await broker();
    const tmp = tempDir();
    defer(tmp.remove);
    const h = await ptyHarness(tmp.dir);
    defer(() => h.close());
    const spec: BridgeSpec = {
      siteId: SITE,
      link: SERIAL_TEST_CONFIG('unused'),
      actuators: { 'lid-a': 'lid', 'valve-a': 'valve' },
      mqtt: { url: b.url, clientId: 'bridge-under-test', username: 'bridge', password: 'x' },
      heartbeatSeconds: 0.2,
    };
    const obs = await observer(b.url);
    const { log } = memoryLogger('warn');
    const bridge = await runBridge(spec, h.link, { log });
    let stopped = false;
    defer(async () => {
      if (!stopped) await bridge.stop();
    });

    await waitFor('online status', () => obs.messages.some((m) => m.topic === t.deviceStatus('node-a') && m.body === 'online' && m.retain !== undefined));
    h.node.reading('m0', 433);
    await waitFor('raw reading', () => obs.json(t.sensorRaw('soil-a')).some((r) => r.value === 433 && typeof r.at === 'number' && typeof r.seq === 'number'));
    await waitFor('heartbeat', () => obs.json(t.bridgeHeartbeat('test-link')).some((hb) => hb.node === 'online'));

    // A lid is opened: its relay goes on, and the state comes back as the lid's word.
    await obs.c.publishAsync(t.actuatorSet('lid-a'), JSON.stringify({ state: 'open', reason: 'window', at: new Date().toISOString() }), { qos: 1 });
    await waitFor('relay on', () => h.node.outputs.get('r0') === 'on');
    await waitFor('state open', () => obs.json(t.actuatorState('lid-a')).some((s) => s.state === 'open'));

    // A malformed command is counted, not carried.
    await obs.c.publishAsync(t.actuatorSet('lid-a'), '{"state":"sideways"}', { qos: 1 });
    await waitFor('bad command counted', () => bridge.counters.get('bridge_commands', 'bad-command') === 1);
    expect(h.node.outputs.get('r0')).toBe('on');

    // The node goes away: a command is answered as failed at once, with the last known state.
    await h.disconnect();
    await waitFor('offline status', () => obs.messages.filter((m) => m.topic === t.deviceStatus('node-a')).at(-1)?.body === 'offline');
    await obs.c.publishAsync(t.actuatorSet('lid-a'), JSON.stringify({ state: 'closed', reason: 'window', at: new Date().toISOString() }), { qos: 1 });
    const failed = await waitFor('failed state', () => obs.json(t.actuatorState('lid-a')).find((s) => s.failed !== undefined));
    expect(failed).toMatchObject({ state: 'open', failed: { requested: 'closed', reason: 'node-offline' } });
    expect(bridge.counters.get('bridge_commands', 'failed:node-offline')).toBe(1);

    await bridge.stop();
    stopped = true;
    await expect(bridge.done).resolves.toBe(0);
  });
});
