import { chmodSync, mkdirSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt, { type IClientOptions } from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { createDedupe } from '../../src/uplink/dedupe.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { startMosquitto } from '../helpers/mosquitto.js';
import { freePort } from '../helpers/ports.js';

/**
 * The uplink against a real Mosquitto as the central broker (DESIGN.md §Scale): messages forwarded,
 * private/… never; while the central broker is away messages wait in SQLite, within the queue's
 * bound, and after it is back (or after a restart of the service) they arrive in order and, through
 * the consumer's dedupe, exactly once.
 */
const defer = useCleanup();
const SITE = 'xianxia-demo';
const TEST_TOPIC = `tongxin/${SITE}/event/uplink-test`;

type UplinkDoc = Record<string, unknown>;

async function siteWithUplink(dir: string, uplink: UplinkDoc) {
  const base = await demoConfigWith((doc) => {
    doc.uplink = { reconnectSeconds: 0.2, ...uplink };
  });
  return testConfig(dir, {}, base);
}

async function startSite(dir: string, uplink: UplinkDoc): Promise<RunningApp> {
  const { app } = await startTestApp({ dataDir: dir, config: await siteWithUplink(dir, uplink) });
  defer(() => app.stop());
  return app;
}

/** A central consumer: every packet it got, and what its dedupe let through, in arrival order. */
async function centralConsumer(url: string, filter: string, opts: Partial<IClientOptions> = {}) {
  const client = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 100, ...opts });
  defer(() => client.endAsync(true));
  const dedupe = createDedupe();
  const raw: { topic: string; payload: string; retain: boolean }[] = [];
  const unique: { topic: string; payload: string; id: string; queuedAt: number }[] = [];
  const plain: { topic: string; payload: string }[] = [];
  client.on('message', (topic, payload, packet) => {
    raw.push({ topic, payload: payload.toString(), retain: packet.retain });
    const r = dedupe.accept(payload, packet.properties);
    // The uplink's own status topic is the one message without an id.
    if (!r) {
      if (!topic.endsWith('/uplink/status')) plain.push({ topic, payload: payload.toString() });
    }
    else if (!r.duplicate) unique.push({ topic, payload: r.message.payload.toString(), id: r.message.id, queuedAt: r.message.queuedAt });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  const tests = () => unique.filter((m) => m.topic === TEST_TOPIC).map((m) => (JSON.parse(m.payload) as { n: number }).n);
  return { client, raw, unique, plain, dedupe, tests };
}

const publishTests = async (app: RunningApp, from: number, to: number) => {
  for (let n = from; n < to; n++) await app.mqtt.publish(TEST_TOPIC, JSON.stringify({ n }), { qos: 1 });
};
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const health = async (app: RunningApp) => (await (await fetch(`${app.httpUrl}/healthz`)).json()) as { status: string; degraded: string[]; checks: Record<string, any> };

/** A TCP hop that can swallow the broker's replies (PUBACKs) and then cut the link: a half-open link. */
async function startProxy(targetPort: number) {
  let holdReplies = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => {
      if (!holdReplies) client.write(d);
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  defer(() => new Promise((r) => server.close(r)));
  defer(() => sockets.forEach((s) => s.destroy()));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    hold: () => void (holdReplies = true),
    cut: () => {
      sockets.forEach((s) => s.destroy());
      holdReplies = false;
    },
  };
}

describe('uplink to a central broker (Mosquitto)', () => {
  it('forwards the site’s messages as they are, with an id; private/… and raw readings stay on the Pi', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const central = await startMosquitto(dir);
    defer(() => central.stop());
    // A central consumer as a town runs them: a shared subscription across every site.
    const consumer = await centralConsumer(central.url, '$share/central/tongxin/+/#');
    const app = await startSite(dir, { url: central.url });
    await waitFor('uplink up', async () => (await health(app)).checks.uplink?.ok === true);

    await app.mqtt.publish(`tongxin/${SITE}/private/signup.promoted`, JSON.stringify({ phone: '13800138000', eventId: 'e1' }), { qos: 1 });
    await app.mqtt.publish(`tongxin/${SITE}/sensor/soil-herbs-a/raw`, '405', { qos: 1 });
    await publishTests(app, 0, 20);
    await waitFor('20 test messages centrally', () => consumer.tests().length === 20);
    await waitFor('the calibrated value centrally', () => consumer.unique.some((m) => m.topic === `tongxin/${SITE}/sensor/soil-herbs-a/value`));

    expect(consumer.tests()).toEqual(range(0, 20));
    expect(consumer.plain, 'every forwarded message carries an id').toEqual([]);
    const test0 = consumer.unique.find((m) => m.topic === TEST_TOPIC);
    expect(test0?.payload).toBe('{"n":0}'); // MQTT 5: the payload untouched, the id beside it
    expect(test0?.id).toMatch(/^[A-Za-z0-9_-]{8}-\d+$/);
    expect(consumer.raw.filter((m) => m.topic.includes('/private/'))).toEqual([]);
    expect(consumer.raw.some((m) => m.payload.includes('13800138000'))).toBe(false);
    expect(consumer.raw.filter((m) => m.topic.endsWith('/raw'))).toEqual([]);
    // The site's retained state went too (the points' states the waste module published at start).
    expect(consumer.unique.some((m) => /\/point\/[^/]+\/state$/.test(m.topic))).toBe(true);
    expect(app.counters.get('uplink_filtered', 'private')).toBe(1);
    expect(app.counters.get('uplink_filtered', 'excluded')).toBeGreaterThanOrEqual(1);
    await waitFor('every acknowledged message counted once', () => app.counters.total('uplink_forwarded') === consumer.unique.length);

    // Central monitoring sees which sites are connected: retained, with the last will saying offline.
    const status = await mqtt.connectAsync(central.url, { reconnectPeriod: 0 });
    defer(() => status.endAsync(true));
    const seen = new Promise<string>((r) => status.on('message', (_t, p) => r(p.toString())));
    await status.subscribeAsync(`tongxin/${SITE}/uplink/status`);
    expect(await seen).toBe('online');
  });

  it('queues in SQLite while the central broker is down and drains in order at its rate after it is back, exactly once after dedupe', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    // Persistent: the consumer's session and what is queued for it survive the broker's restart, as on
    // EMQX. Mosquitto started as root writes as user `mosquitto`: give it a folder it can reach.
    mkdirSync(join(dir, 'central'));
    chmodSync(dir, 0o711);
    chmodSync(join(dir, 'central'), 0o777);
    const persist = `persistence true\npersistence_location ${join(dir, 'central')}/\n`;
    const central = await startMosquitto(dir, { extraConfig: persist });
    const session = { clientId: 'central-consumer', clean: false, properties: { sessionExpiryInterval: 3600 } };
    const consumer = await centralConsumer(central.url, `tongxin/${SITE}/event/#`, session);
    const rate = 200;
    const app = await startSite(dir, { url: central.url, drain: { maxPerSecond: rate } });
    await waitFor('uplink up', async () => (await health(app)).checks.uplink?.ok === true);
    await publishTests(app, 0, 5);
    await waitFor('5 before the outage', () => consumer.tests().length === 5);

    await central.stop();
    await waitFor('uplink reported down', async () => (await health(app)).degraded.includes('uplink'));
    const during = await health(app);
    expect(during.status).toBe('degraded');
    expect(during.checks.uplink).toMatchObject({ ok: false, connected: false, local: true });

    const backlog = 400;
    await publishTests(app, 5, 5 + backlog);
    const queued = () => (app.store.db.prepare('SELECT count(*) AS n FROM uplink_queue WHERE topic = ?').get(TEST_TOPIC) as { n: number }).n;
    await waitFor('the backlog in SQLite', () => queued() === backlog);
    expect((await health(app)).checks.uplink.depth).toBeGreaterThanOrEqual(backlog);
    expect(consumer.tests()).toHaveLength(5);

    const again = await startMosquitto(dir, { port: central.port, extraConfig: persist });
    defer(() => again.stop());
    const reconnectedAt = Date.now();
    await waitFor('the backlog drained centrally', () => consumer.tests().length === 5 + backlog, 15_000);
    const drainMs = Date.now() - reconnectedAt;
    expect(consumer.tests()).toEqual(range(0, 5 + backlog));
    // Held to its rate: 400 messages at 200/s take about 2 s, not the few ms loopback would allow.
    expect(drainMs).toBeGreaterThanOrEqual(((backlog - rate / 10) / rate) * 1000 * 0.9);
    await waitFor('queue empty', async () => (await health(app)).checks.uplink.depth === 0);
    expect((await health(app)).degraded).not.toContain('uplink');
    const late = consumer.unique.filter((m) => m.topic === TEST_TOPIC).at(-1);
    expect(late && late.queuedAt < reconnectedAt).toBe(true); // the consumer can tell how late it is
  });

  it('sends again what reached the central broker unacknowledged (a half-open link); the consumer drops the repeats by id', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const central = await startMosquitto(dir);
    defer(() => central.stop());
    const proxy = await startProxy(central.port);
    const consumer = await centralConsumer(central.url, TEST_TOPIC);
    const app = await startSite(dir, { url: proxy.url });
    await waitFor('uplink up', async () => (await health(app)).checks.uplink?.ok === true);
    await publishTests(app, 0, 10);
    await waitFor('10 through the link', () => consumer.tests().length === 10);

    proxy.hold(); // the central broker gets the messages; its PUBACKs never come back
    await publishTests(app, 10, 30);
    await waitFor('20 received centrally, unacknowledged', () => consumer.tests().length === 30);
    await waitFor('20 in flight', async () => (await health(app)).checks.uplink.inflight === 20);
    expect((await health(app)).checks.uplink.depth).toBe(20);

    proxy.cut();
    await waitFor('uplink back', async () => (await health(app)).checks.uplink?.ok === true, 10_000);
    await publishTests(app, 30, 40);
    await waitFor('all 40 centrally', () => consumer.tests().length === 40);
    await waitFor('the repeats arrived', () => consumer.dedupe.duplicates === 20);
    expect(consumer.tests()).toEqual(range(0, 40));
    expect(consumer.raw.filter((m) => m.topic === TEST_TOPIC)).toHaveLength(60);
    await waitFor('queue empty', async () => (await health(app)).checks.uplink.depth === 0);
  });

  it('bounds its queue (oldest readings first), and after a restart of the service resumes the drain (MQTT 3.1.1 envelope)', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const centralPort = await freePort(); // nothing listens there yet: the central broker is away
    const uplink = { url: `mqtt://127.0.0.1:${centralPort}`, protocol: 'mqtt3.1.1', queue: { maxMessages: 100 } };
    const first = await startSite(dir, uplink);
    const value = (n: number) => JSON.stringify({ value: n });
    await publishTests(first, 0, 1);
    for (let n = 0; n < 150; n++) await first.mqtt.publish(`tongxin/${SITE}/sensor/uplink-test/value`, value(n), { qos: 1 });
    await first.mqtt.publish(`tongxin/${SITE}/point/uplink-test/state`, '{"open":true}', { qos: 1, retain: true });
    await publishTests(first, 1, 2);
    const queuedRows = (topic: string) => (first.store.db.prepare('SELECT count(*) AS n FROM uplink_queue WHERE topic = ?').get(topic) as { n: number }).n;
    await waitFor('everything queued', () => queuedRows(TEST_TOPIC) === 2 && queuedRows(`tongxin/${SITE}/point/uplink-test/state`) === 1);
    await first.stop();

    // The bound held, readings went first, the messages and the state stayed.
    const db = new Database(join(dir, 'tongxin.db'), { readonly: true });
    const rows = db.prepare('SELECT topic, CAST(payload AS TEXT) AS payload FROM uplink_queue ORDER BY seq').all() as { topic: string; payload: string }[];
    db.close();
    expect(rows.length).toBe(100);
    const keptReadings = rows.filter((r) => r.topic.endsWith('/uplink-test/value')).map((r) => (JSON.parse(r.payload) as { value: number }).value);
    expect(rows.filter((r) => r.topic === TEST_TOPIC)).toHaveLength(2);
    expect(rows.filter((r) => r.topic.endsWith('/point/uplink-test/state'))).toHaveLength(1);
    expect(keptReadings.length).toBeGreaterThan(0);
    expect(keptReadings).toEqual(range(150 - keptReadings.length, 150)); // the newest ones
    const dropped = first.counters.get('uplink_dropped', 'queue-full');
    expect(dropped).toBe(first.counters.total('uplink_queued') - first.counters.get('uplink_dropped', 'superseded') - 100);

    // The central broker is there now; the service comes back with its queue and drains it.
    const central = await startMosquitto(dir, { port: centralPort });
    defer(() => central.stop());
    const consumer = await centralConsumer(central.url, `tongxin/${SITE}/#`, { protocolVersion: 4 });
    const second = await startSite(dir, uplink);
    const readingsSeen = () => consumer.unique.filter((m) => m.topic.endsWith('/uplink-test/value')).map((m) => (JSON.parse(m.payload) as { value: number }).value);
    await waitFor('the queue drained after the restart', () => consumer.tests().length === 2 && readingsSeen().length === keptReadings.length, 10_000);
    expect(consumer.tests()).toEqual([0, 1]);
    expect(readingsSeen()).toEqual(keptReadings);
    expect(consumer.plain, 'MQTT 3.1.1: every message in its envelope').toEqual([]);
    await waitFor('queue empty', async () => (await health(second)).checks.uplink.depth === 0);
    // State is retained centrally: a consumer that comes later still gets the latest.
    const later = await mqtt.connectAsync(central.url, { reconnectPeriod: 0 });
    defer(() => later.endAsync(true));
    const retained = new Promise<boolean>((r) => later.on('message', (_t, _p, packet) => r(packet.retain)));
    await later.subscribeAsync(`tongxin/${SITE}/point/uplink-test/state`);
    expect(await retained).toBe(true);
  });

  it('reads from a site broker it does not own (Mosquitto), and will not take that broker for the central one', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const siteBroker = await startMosquitto(dir);
    defer(() => siteBroker.stop());
    const central = await startMosquitto(dir);
    defer(() => central.stop());
    const consumer = await centralConsumer(central.url, `tongxin/${SITE}/#`);
    const external = (uplinkUrl: string) =>
      demoConfigWith((doc) => {
        delete doc.mqtt.embedded;
        doc.mqtt.external = { url: siteBroker.url };
        doc.uplink = { url: uplinkUrl, reconnectSeconds: 0.2 };
      });
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, await external(central.url)) });
    defer(() => app.stop());
    await waitFor('uplink up', async () => (await health(app)).checks.uplink?.ok === true);

    // A device and Node-RED's SMS flow on the site's own broker, not through the service.
    const device = await mqtt.connectAsync(siteBroker.url, { reconnectPeriod: 0 });
    defer(() => device.endAsync(true));
    await device.publishAsync(`tongxin/${SITE}/private/signup.promoted`, JSON.stringify({ phone: '13800138000' }), { qos: 1 });
    await device.publishAsync(`tongxin/${SITE}/sensor/soil-herbs-a/raw`, '405', { qos: 1 });
    await device.publishAsync(`tongxin/${SITE}/device/garden-node/status`, 'online', { qos: 1, retain: true });
    await waitFor('the calibrated value centrally', () => consumer.unique.some((m) => m.topic === `tongxin/${SITE}/sensor/soil-herbs-a/value`));
    await waitFor('the device status centrally', () => consumer.unique.some((m) => m.topic === `tongxin/${SITE}/device/garden-node/status` && m.payload === 'online'));
    expect(consumer.raw.filter((m) => m.topic.includes('/private/') || m.topic.endsWith('/raw'))).toEqual([]);
    expect(app.counters.get('uplink_filtered', 'private')).toBe(1);
    await app.stop();

    const { app: looped } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, await external(siteBroker.url.replace('127.0.0.1', 'localhost'))) });
    defer(() => looped.stop());
    expect((await health(looped)).degraded).toContain('module:uplink');
  });
});
