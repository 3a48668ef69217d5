import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, fakeService, helper, inbox, palette, record, siteNode, siteReady, startBroker, SITE, type TestBroker } from '../helpers/nodered-runtime.js';

/**
 * The `tongxin-site` config node: its fields or, empty, the environment tongxin start gives Node-RED;
 * ONE broker connection for all the site's nodes, restored with its subscriptions after a drop, and
 * closed with the flows.
 */
let broker: TestBroker;
const logins: { clientId: string; username: string | undefined; password: string | undefined }[] = [];
const ENV = ['TONGXIN_SITE_ID', 'TONGXIN_MQTT_URL', 'TONGXIN_MQTT_USERNAME', 'TONGXIN_MQTT_PASSWORD'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));

beforeAll(async () => {
  broker = await startBroker({
    authenticate: (client, username, password, done) => {
      logins.push({ clientId: client.id, username, password: password?.toString() });
      // The stand-in for the service's broker: only Node-RED's account (and the test's own client).
      const ok = (username === 'node-red' && password?.toString() === 'nr-secret') || client.id.startsWith('fake-service-');
      done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 }), ok);
    },
  });
  await helper.startServer();
});
afterAll(async () => {
  await helper.stopServer();
  await broker.close();
});
afterEach(async () => {
  await helper.unload();
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
  logins.length = 0;
});

const noderedClients = () => broker.clients().filter((id) => id.startsWith(`nodered-${SITE}-`));

describe('tongxin-site', () => {
  it('takes the broker, account and site from the environment when its fields are empty, and shares one client', async () => {
    Object.assign(process.env, { TONGXIN_SITE_ID: SITE, TONGXIN_MQTT_URL: broker.url, TONGXIN_MQTT_USERNAME: 'node-red', TONGXIN_MQTT_PASSWORD: 'nr-secret' });
    await helper.load(
      [palette.site, palette.alertIn, palette.sensorIn, palette.eventIn],
      [
        { id: 's1', type: 'tongxin-site', name: '', url: '', siteId: '' },
        { id: 'a', type: 'tongxin alert in', site: 's1', wires: [['out']] },
        { id: 'b', type: 'tongxin sensor in', site: 's1', sensors: '', wires: [['out']] },
        { id: 'c', type: 'tongxin event in', site: 's1', events: '*', wires: [['out']] },
        { id: 'out', type: 'helper' },
      ],
    );
    await siteReady();
    expect(noderedClients()).toHaveLength(1);
    expect(logins.filter((l) => l.clientId.startsWith('nodered-'))).toEqual([{ clientId: noderedClients()[0], username: 'node-red', password: 'nr-secret' }]);
    const out = inbox(helper.getNode('out'));
    const svc = await fakeService(broker.url);
    await svc.publish('event/signup.created', { event: 'signup.created', at: 'x' });
    await svc.publish('sensor/s-1/value', { sensorId: 's-1', value: 1 });
    await svc.publish('alert/bin-full', { alertId: 'a-1', kind: 'bin-full', state: 'open' });
    await eventually('one message through each node', () => out.length >= 3);
    await svc.close();
    expect(record(helper.getNode('s1')).status).toEqual([]);
  });

  it("prefers its own fields and credentials to the environment; a refused login is warned about, never thrown", async () => {
    Object.assign(process.env, { TONGXIN_SITE_ID: 'elsewhere', TONGXIN_MQTT_URL: 'mqtt://127.0.0.1:1', TONGXIN_MQTT_USERNAME: 'node-red', TONGXIN_MQTT_PASSWORD: 'nr-secret' });
    await helper.load(
      [palette.site, palette.alertIn],
      [{ id: 's1', type: 'tongxin-site', url: broker.url, siteId: SITE }, { id: 'a', type: 'tongxin alert in', site: 's1', wires: [] }],
      { s1: { username: 'someone', password: 'wrong' } },
    );
    await eventually('a login attempt', () => logins.some((l) => l.clientId.startsWith('nodered-')));
    expect(logins.find((l) => l.clientId.startsWith('nodered-'))).toMatchObject({ username: 'someone', password: 'wrong' });
    const site = record(helper.getNode('s1'));
    await eventually('the warning', () => site.warn.length >= 1);
    expect(site.warn[0]).toMatch(new RegExp(`^broker ${broker.url}: .*(Not authorized|Bad username or password|bad credentials)`, 'i'));
    const a = record(helper.getNode('a'));
    expect(['yellow', 'red']).toContain(a.status.at(-1)?.fill);
    expect(a.status.at(-1)?.shape).toBe('ring');
  });

  it('reconnects after the broker drops it and restores its subscriptions', async () => {
    await helper.load(
      [palette.site, palette.alertIn],
      [{ id: 's1', type: 'tongxin-site', url: broker.url, siteId: SITE }, { id: 'a', type: 'tongxin alert in', site: 's1', wires: [['out']] }, { id: 'out', type: 'helper' }],
      { s1: { username: 'node-red', password: 'nr-secret' } },
    );
    await siteReady();
    const out = inbox(helper.getNode('out'));
    const a = record(helper.getNode('a'));
    const before = a.status.length;
    const [first] = noderedClients();
    // The broker drops the client (as a broker restart would).
    const client = (broker.aedes as unknown as { clients: Record<string, { close(): void }> }).clients[first as string];
    client?.close();
    await eventually('shown as not connected', () => a.status.slice(before).some((s) => s.fill !== 'green'), 3000);
    await eventually('back', () => a.status.at(-1)?.fill === 'green', 6000);
    await siteReady();
    const svc = await fakeService(broker.url);
    await svc.publish('alert/bin-full', { alertId: 'a-1', kind: 'bin-full', state: 'open' });
    await eventually('the alert after the reconnect', () => out.length >= 1);
    await svc.close();
    expect(noderedClients()).toHaveLength(1);
  });

  it('closes its client when the flows stop', async () => {
    await helper.load([palette.site], [{ id: 's1', type: 'tongxin-site', url: broker.url, siteId: SITE }], { s1: { username: 'node-red', password: 'nr-secret' } });
    await siteReady();
    expect(noderedClients()).toHaveLength(1);
    await helper.unload();
    await eventually('disconnected', () => noderedClients().length === 0);
  });

  it('makes no connection, and says why, without a site id or broker URL', async () => {
    for (const k of ENV) delete process.env[k];
    await helper.load([palette.site, palette.ack], [{ id: 's1', type: 'tongxin-site', url: '', siteId: '' }, { id: 'k', type: 'tongxin ack', site: 's1', wires: [] }]);
    expect(record(helper.getNode('s1')).error.map((e) => String(e.err))).toEqual(['tongxin-site.errors.siteId']);
    expect(record(helper.getNode('k')).status.at(-1)).toMatchObject({ fill: 'red', text: 'tongxin-ack.status.noSite' });
    await helper.unload();
    process.env.TONGXIN_SITE_ID = SITE;
    await helper.load([palette.site], [{ id: 's1', type: 'tongxin-site', url: '', siteId: '' }]);
    expect(record(helper.getNode('s1')).error.map((e) => String(e.err))).toEqual(['tongxin-site.errors.url']);
    expect(noderedClients()).toEqual([]);
  });
});
