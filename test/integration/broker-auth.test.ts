import { hash } from '@node-rs/argon2';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, waitFor } from '../helpers/app.js';

/**
 * The embedded broker's authentication and ACL hooks over real connections: anonymous clients only
 * on the loopback demo listener, configured users with argon2 hashes, denied publishes never
 * delivered, denied subscriptions answered with a SUBACK failure.
 */
const SITE = 'xianxia-demo';
let app: RunningApp;
let stopAll: () => Promise<void>;
let demoTcp: string;
let securedTcp: string;
let demoWs: string;

beforeAll(async () => {
  const { dir, remove } = tempDir();
  const deviceHash = await hash('device-secret-1');
  const crewHash = await hash('crew-secret-1');
  const base = await demoConfigWith((doc) => {
    doc.mqtt.embedded.listeners.push({ host: '127.0.0.1', port: 0 }); // requires credentials
    doc.mqtt.users = [
      { username: 'garden', passwordHash: deviceHash, role: 'device', device: 'garden-node' },
      { username: 'crew1', passwordHash: crewHash, role: 'crew', crew: 'crew-wet-dry' },
    ];
  });
  const { app: a } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
  app = a;
  stopAll = async () => {
    await app.stop();
    remove();
  };
  demoTcp = app.mqttUrl;
  const bound = app.brokerListeners;
  securedTcp = `mqtt://127.0.0.1:${bound.find((l) => !l.websocket && !l.anonymousLocal)?.port}`;
  demoWs = `ws://127.0.0.1:${bound.find((l) => l.websocket)?.port}`;
});
afterAll(async () => stopAll?.());

const connect = (url: string, opts: IClientOptions = {}) => mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...opts });

/** The QoS granted for each filter, one SUBSCRIBE each; 128 is the broker's refusal. */
async function grants(c: MqttClient, filters: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const f of filters) {
    try {
      const [g] = await c.subscribeAsync(f, { qos: 1 });
      out.push(g?.qos ?? -1);
    } catch {
      out.push(128); // mqtt.js rejects a SUBACK carrying 0x80
    }
  }
  return out;
}

async function refused(url: string, opts: IClientOptions = {}): Promise<string> {
  try {
    const c = await connect(url, opts);
    await c.endAsync();
    return 'accepted';
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Subscribes a watcher to the topic, lets `publisher` publish, and says whether it arrived. Matched
 * by a unique payload: the service itself publishes retained state on some of these topics.
 */
async function delivered(publisher: MqttClient, topic: string, retain = false): Promise<boolean> {
  const watcher = await connect(demoTcp);
  await watcher.subscribeAsync(topic, { qos: 1 });
  const marker = `probe-${Math.random().toString(36).slice(2)}`;
  const got = new Promise<boolean>((resolve) => {
    watcher.on('message', (t, p) => t === topic && p.toString() === marker && resolve(true));
    setTimeout(() => resolve(false), 400);
  });
  publisher.publish(topic, marker, { qos: 0, retain });
  const r = await got;
  await watcher.endAsync();
  return r;
}

describe('broker authentication', () => {
  it('anonymous clients are let in on the loopback demo listeners (TCP and WebSocket)', async () => {
    expect(await refused(demoTcp)).toBe('accepted');
    expect(await refused(demoWs)).toBe('accepted');
  });

  it('anonymous clients are refused on a listener that requires credentials', async () => {
    expect(await refused(securedTcp)).toMatch(/Not authorized/i);
  });

  it('a configured user gets in with the right password and not with a wrong one', async () => {
    expect(await refused(securedTcp, { username: 'garden', password: 'device-secret-1' })).toBe('accepted');
    expect(await refused(securedTcp, { username: 'garden', password: 'wrong' })).toMatch(/Bad username or password/i);
    expect(await refused(securedTcp, { username: 'nobody', password: 'x' })).toMatch(/Bad username or password/i);
  });

  it('the service’s own client ids cannot be taken over', async () => {
    expect(await refused(demoTcp, { clientId: `tongxin-service-${SITE}` })).not.toBe('accepted');
    expect(await refused(securedTcp, { clientId: `tongxin-service-${SITE}`, username: 'garden', password: 'device-secret-1' })).not.toBe('accepted');
  });
});

describe('broker ACL over real connections', () => {
  it('an anonymous local client reads the site and feeds readings, but cannot command or write state', async () => {
    const anon = await connect(demoTcp);
    expect(await grants(anon, [`tongxin/${SITE}/#`, '#', 'tongxin/+/#', '$SYS/#'])).toEqual([1, 128, 128, 128]);
    await anon.endAsync();

    const pub = await connect(demoTcp);
    expect(await delivered(pub, `tongxin/${SITE}/sensor/soil-herbs-a/raw`)).toBe(true);
    await pub.endAsync();
    for (const [topic, retain] of [
      [`tongxin/${SITE}/actuator/lid-p1-wet/set`, false],
      [`tongxin/${SITE}/point/p1/state`, true],
      [`tongxin/${SITE}/device/garden-node/status`, true],
    ] as const) {
      const p = await connect(demoTcp);
      p.on('error', () => undefined);
      expect(await delivered(p, topic, retain), topic).toBe(false);
      await p.endAsync(true).catch(() => undefined);
    }
    await waitFor('denials counted', async () => (await fetch(`${app.httpUrl}/healthz`).then((r) => r.json())).counters.mqtt_publish_denied?.total >= 3);
  });

  it('a device publishes only its own sensors and subscribes only to its own actuators', async () => {
    const dev = await connect(securedTcp, { username: 'garden', password: 'device-secret-1' });
    expect(await grants(dev, [`tongxin/${SITE}/actuator/valve-herbs/set`, `tongxin/${SITE}/actuator/lid-p1-wet/set`, `tongxin/${SITE}/#`])).toEqual([1, 128, 128]);
    expect(await delivered(dev, `tongxin/${SITE}/sensor/soil-herbs-b/raw`)).toBe(true);
    await dev.endAsync();
    const dev2 = await connect(securedTcp, { username: 'garden', password: 'device-secret-1' });
    dev2.on('error', () => undefined);
    expect(await delivered(dev2, `tongxin/${SITE}/sensor/bin-p1-wet/raw`)).toBe(false);
    await dev2.endAsync(true).catch(() => undefined);
  });

  it('a crew reads only its own alerts', async () => {
    const crew = await connect(securedTcp, { username: 'crew1', password: 'crew-secret-1' });
    expect(await grants(crew, [`tongxin/${SITE}/crew/crew-wet-dry/alert`, `tongxin/${SITE}/crew/crew-recycling/alert`, `tongxin/${SITE}/crew/+/alert`, '#'])).toEqual([1, 128, 128, 128]);
    await crew.endAsync();
  });
});
