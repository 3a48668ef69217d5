import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { startMosquitto } from '../helpers/mosquitto.js';

/**
 * The service against a broker it does not own (DESIGN.md §Scale): a real Mosquitto. Readings flow,
 * /healthz names the broker when it is lost, and the service reconnects and resubscribes when the
 * broker comes back.
 */
const defer = useCleanup();

describe('external broker (Mosquitto)', () => {
  it('ingests through Mosquitto, reports the broker lost, and recovers when it restarts', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const broker = await startMosquitto(dir);
    defer(() => broker.stop());
    const base = await demoConfigWith((doc) => {
      delete doc.mqtt.embedded;
      doc.mqtt.external = { url: broker.url };
    });
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
    defer(() => app.stop());
    expect(app.brokerListeners).toEqual([]);

    const health = async () => (await fetch(`${app.httpUrl}/healthz`)).json();
    expect((await health()).checks.broker).toMatchObject({ ok: true, embedded: false, url: broker.url });

    const value = async () =>
      ((await (await fetch(`${app.httpUrl}/api/sensors`)).json()) as { sensors: { id: string; value: number }[] }).sensors.find((s) => s.id === 'soil-herbs-a')?.value;
    const pub = async (raw: number) => {
      const c = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
      await c.publishAsync('tongxin/xianxia-demo/sensor/soil-herbs-a/raw', String(raw), { qos: 1 });
      await c.endAsync();
    };
    await pub(405);
    await waitFor('reading via Mosquitto', async () => (await value()) === 50);

    await broker.stop();
    await waitFor('broker reported lost', async () => (await health()).degraded.includes('broker'));
    expect((await health()).status).toBe('degraded');

    const again = await startMosquitto(dir, { port: broker.port });
    defer(() => again.stop());
    await waitFor('reconnected', async () => (await health()).checks.broker.ok === true, 10_000);
    // Resubscribed after the reconnect: a new reading arrives.
    await waitFor(
      'reading after broker restart',
      async () => {
        await pub(343);
        return (await value()) === 70;
      },
      10_000,
      300,
    );
  });
});
