import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { crewPhone } from '../helpers/crew.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { startMosquitto } from '../helpers/mosquitto.js';

/**
 * The service on an external broker it does not own (a real Mosquitto, with persistence so that a
 * crew's session outlives a restart), readings streaming in, a crew's phone on a persistent session
 * at QoS 1. Mosquitto is stopped mid-stream; alerts are raised while it is down (the service cannot
 * hear readings then, so they are raised through the alerts module, as the schedule's tick would),
 * and more after it is back but before the phone reconnects. The service must reconnect by itself
 * and every alert must reach the crew: exactly once as the crew's app shows them (one entry per
 * alert id, as the README asks crew clients to do), and the raw number of duplicate deliveries
 * (QoS 1 is at least once) is reported.
 */
const SITE = 'xianxia-demo';
const CREW = 'crew-wet-dry';
const defer = useCleanup();

describe('an external broker restarted mid-stream', () => {
  it('the service reconnects and alerts raised meanwhile reach the crew exactly once', { timeout: 60_000 }, async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    // Mosquitto writes its persistence file on shutdown; `user root` keeps it from dropping to the
    // mosquitto user, who could not write in this test's private folder (ignored when not root).
    const persistent = `persistence true\npersistence_location ${dir}/\nuser root\n`;
    const broker = await startMosquitto(dir, { extraConfig: persistent });
    defer(() => broker.stop());
    const base = await demoConfigWith((doc) => {
      delete doc.mqtt.embedded;
      doc.mqtt.external = { url: broker.url };
    });
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
    defer(() => app.stop());
    const health = async () => (await (await fetch(`${app.httpUrl}/healthz`)).json()) as { status: string; degraded: string[]; checks: { broker: { ok: boolean } } };

    // The crew's phone: persistent session, QoS 1 (test/helpers/crew.ts). Mosquitto has no users here.
    const phone = await crewPhone(broker.url, SITE, CREW, 'unused');
    phone.client.on('error', () => undefined);
    defer(() => phone.client.end(true));

    // A device streaming readings through Mosquitto the whole time, reconnecting as devices do.
    const device = await mqtt.connectAsync(broker.url, { clientId: 'restart-device', reconnectPeriod: 200 });
    device.on('error', () => undefined);
    defer(() => device.endAsync(true));
    let streaming = true;
    const stream = (async () => {
      let i = 0;
      while (streaming) {
        // QoS 0: a live reading is worth nothing late; while the broker is away they are simply lost.
        if (device.connected) device.publish(`tongxin/${SITE}/sensor/soil-herbs-a/raw`, String(300 + (i++ % 200)), { qos: 0 });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    defer(async () => {
      streaming = false;
      await stream;
    });
    await waitFor('readings flowing', () => app.counters.total('readings_accepted') >= 20, 10_000);

    const raised: string[] = [];
    const raise = (phase: string, i: number) => {
      const a = app.alerts.raise({ kind: 'bin-full', subject: `restart-test:${phase}:${i}`, severity: 'warning', category: i % 2 === 0 ? 'wet' : 'dry', pointId: 'p1', binId: i % 2 === 0 ? 'p1-wet' : 'p1-dry', detail: { fill: 95 } });
      expect(a, `alert ${phase}:${i} raised`).toBeDefined();
      expect(a!.crews).toContain(CREW);
      raised.push(a!.id);
    };

    // Before: delivered live.
    for (let i = 0; i < 3; i++) raise('before', i);
    await waitFor('alerts before the restart delivered', () => raised.every((id) => phone.shown().has(id)), 10_000);

    // Mosquitto goes away mid-stream; alerts are raised while it is down.
    await broker.stop();
    await waitFor('broker reported lost', async () => (await health()).degraded.includes('broker'), 10_000);
    for (let i = 0; i < 10; i++) raise('down', i);
    await new Promise((r) => setTimeout(r, 1500)); // the outbox tries (every second) and must keep them
    expect(app.alerts.outboxPending(), 'alerts kept in the outbox while the broker is down').toBeGreaterThanOrEqual(10);

    // Back on the same port with its persistence: the service reconnects by itself.
    const again = await startMosquitto(dir, { port: broker.port, extraConfig: persistent });
    defer(() => again.stop());
    await waitFor('service reconnected', async () => (await health()).checks.broker.ok, 15_000);
    // More alerts before the phone is back: the broker keeps them for its persistent session.
    for (let i = 0; i < 3; i++) raise('after', i);
    await waitFor('outbox drained', () => app.alerts.outboxPending() === 0, 15_000);
    const acceptedBefore = app.counters.total('readings_accepted');
    await waitFor('readings flowing again', () => app.counters.total('readings_accepted') >= acceptedBefore + 20, 10_000);

    // The phone reconnects to its session.
    phone.client.reconnect();
    await waitFor('every alert on the phone', () => raised.every((id) => phone.shown().has(id)), 15_000);
    // Late duplicates (a resend after the reconnect) would come within a moment.
    await new Promise((r) => setTimeout(r, 2000));

    const shown = phone.shown();
    const open = phone.received.filter((a) => a.state === 'open');
    const duplicates = open.length - new Set(open.map((a) => a.alertId)).size;
    expect(new Set(shown.keys()), 'exactly the alerts raised, each once as the crew app shows them').toEqual(new Set(raised));
    expect(open.length, 'every delivery is of an alert that was raised').toBe(phone.received.length);
    // A duplicate is the same alert, word for word (the stable id makes it harmless).
    for (const a of open) expect(JSON.stringify(a)).toBe(JSON.stringify(open.find((b) => b.alertId === a.alertId)));
    expect((await health()).degraded).toEqual([]);
    // Clients first, then the broker (the deferred steps run in reverse order of creation).
    streaming = false;
    await stream;
    await device.endAsync(true);
    await phone.close();
    await app.stop();
    console.log(`${raised.length} alerts (3 before, 10 while Mosquitto was down, 3 before the phone reconnected): all shown once; ${phone.received.length} raw deliveries, ${duplicates} duplicate(s)`);
  });
});
