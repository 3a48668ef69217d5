import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import type { HealthReport } from '../../src/http/health.js';
import { NODERED_CHILD } from '../../src/supervise/nodered.js';
import { CREW_PASSWORD, crewPhone, demoCrewUsers } from '../helpers/crew.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';

/**
 * Node-RED as `tongxin start` runs it: a real Node-RED process supervised by the service. It starts
 * and answers; killed with SIGKILL it is restarted; a function node stuck in `while (true)` (its
 * editor stops answering) gets it killed and restarted; and all the while the crews receive every
 * alert, because the service never waits for Node-RED.
 *
 * Node-RED runs here with a tiny settings file and flows of this test's own (an HTTP endpoint that
 * hangs the runtime, one that tells what the service passed in the environment), and short probe
 * timings: the point is the supervision, not the shipped flows (test/flows has those).
 */
const SITE = 'xianxia-demo';
const defer = useCleanup();
let base: SiteConfig;
let fixture: string;

const SETTINGS = `
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const secretFile = join(process.env.TONGXIN_NODERED_USER_DIR, '.credential-secret');
module.exports = {
  flowFile: 'flows.json',
  credentialSecret: process.env.TONGXIN_NODERED_SECRET || readFileSync(secretFile, 'utf8').trim(),
  logging: { console: { level: 'warn' } },
  editorTheme: { tours: false },
  diagnostics: { enabled: false },
};
`;
const fn = (id: string, url: string, func: string) => [
  { id: `${id}-in`, type: 'http in', z: 'tab', url, method: 'get', wires: [[`${id}-fn`]] },
  { id: `${id}-fn`, type: 'function', z: 'tab', func, outputs: 1, wires: [[`${id}-out`]] },
  { id: `${id}-out`, type: 'http response', z: 'tab', wires: [] },
];
const FLOWS = [
  { id: 'tab', type: 'tab', label: 'supervision test' },
  ...fn('hang', '/hang', 'while (true) {}\nreturn msg;'),
  ...fn(
    'env',
    '/env',
    `msg.payload = ${JSON.stringify(
      Object.fromEntries(['TONGXIN_SITE_ID', 'TONGXIN_MQTT_URL', 'TONGXIN_MQTT_USERNAME', 'TONGXIN_MQTT_PASSWORD', 'TONGXIN_HTTP_URL', 'TONGXIN_NODERED_PORT', 'TONGXIN_NODERED_HOST', 'TONGXIN_FLOWS_DIR'].map((k) => [k, `@@${k}@@`])),
    ).replace(/"@@(\w+)@@"/g, "env.get('$1')")};\nreturn msg;`,
  ),
];

beforeAll(async () => {
  const crews = await demoCrewUsers();
  const port = await freePort();
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = crews;
    doc.nodered = { enabled: true, host: '127.0.0.1', port };
  });
  const { dir, remove } = tempDir('tongxin-nodered-fixture-');
  defer(remove);
  fixture = dir;
  mkdirSync(fixture, { recursive: true });
  writeFileSync(join(fixture, 'settings.cjs'), SETTINGS);
  writeFileSync(join(fixture, 'flows.json'), JSON.stringify(FLOWS));
});

const health = async (app: RunningApp) => {
  const res = await fetch(`${app.httpUrl}/healthz`);
  return { code: res.status, body: (await res.json()) as HealthReport };
};
const child = (app: RunningApp) => app.supervisor.status().find((c) => c.name === NODERED_CHILD);
/** The editor page answers: Node-RED's event loop is alive. */
const answers = async (url: string) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(500) });
    return res.status === 200;
  } catch {
    return false;
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Node-RED supervised by the service', () => {
  it('starts and answers, is restarted after SIGKILL and after a hang, while crews receive every alert', { timeout: 90_000 }, async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const config = testConfig(dir, { nodered: true }, base);
    const editor = `http://127.0.0.1:${config.nodered.port}/`;
    const { app, logLines } = await startTestApp({
      dataDir: dir,
      config,
      // Short timings for the test; the hang timeout still covers a start-up on a busy CI machine.
      nodered: { settingsFile: join(fixture, 'settings.cjs'), flowsDir: fixture, probeEveryMs: 200, probeTimeoutMs: 500, heartbeatTimeoutMs: 8000, stopTimeoutMs: 1000, backoff: { initialMs: 1500, maxMs: 1500 } },
    });
    let stopped = false;
    defer(() => (stopped ? undefined : app.stop()));

    // It starts, answers, and got its user folder and environment from the service.
    await waitFor('the editor answers', () => answers(editor), 20_000, 100);
    const first = child(app);
    expect(first).toMatchObject({ state: 'running', restarts: 0 });
    const userDir = join(dir, 'node-red');
    expect(readFileSync(join(userDir, 'flows.json'), 'utf8')).toBe(JSON.stringify(FLOWS));
    expect(statSync(join(userDir, '.credential-secret')).mode & 0o777).toBe(0o600);
    const env = (await (await fetch(`${editor}env`)).json()) as Record<string, string>;
    expect(env).toMatchObject({
      TONGXIN_SITE_ID: SITE,
      TONGXIN_MQTT_URL: app.mqttUrl,
      TONGXIN_MQTT_USERNAME: 'tongxin-nodered',
      TONGXIN_HTTP_URL: app.httpUrl,
      TONGXIN_NODERED_PORT: String(config.nodered.port),
      TONGXIN_NODERED_HOST: '127.0.0.1',
      TONGXIN_FLOWS_DIR: fixture,
    });
    // Its broker account has Node-RED's role: it reads the site and may only ask.
    const asNodeRed = await mqtt.connectAsync(app.mqttUrl, { username: env.TONGXIN_MQTT_USERNAME, password: env.TONGXIN_MQTT_PASSWORD, reconnectPeriod: 0 });
    defer(() => asNodeRed.endAsync(true));
    expect((await asNodeRed.subscribeAsync(`tongxin/${SITE}/#`, { qos: 1 }))[0]?.qos).toBe(1);
    await expect(asNodeRed.subscribeAsync('#', { qos: 1 })).rejects.toThrow();
    const h0 = await health(app);
    expect(h0.body.checks.children?.list).toEqual([expect.objectContaining({ name: NODERED_CHILD, state: 'running' })]);

    // A stream of alerts; Node-RED is killed in the middle of it.
    const phone = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', CREW_PASSWORD, { clean: true, clientId: 'phone-supervision' });
    defer(() => phone.close());
    const raised: string[] = [];
    const raise = (i: number) => {
      const a = app.alerts.raise({ kind: 'bin-full', subject: `bin:stream-${i}`, severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet', detail: { fill: 90 + (i % 10) } });
      if (a) raised.push(a.id);
    };
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    let degraded: { code: number; body: HealthReport } | undefined;
    for (let i = 0; i < 40; i++) {
      raise(i);
      if (i === 10) process.kill(first?.pid as number, 'SIGKILL');
      if (i > 10 && !degraded) {
        const h = await health(app);
        if (h.body.degraded.includes(`child:${NODERED_CHILD}`)) degraded = h;
      }
      await sleep(50);
    }
    // Down is degraded, not down: the service does its job without Node-RED.
    expect(degraded?.code).toBe(200);
    expect(degraded?.body.status).toBe('degraded');
    await waitFor('every alert on the crew’s phone', () => raised.every((id) => phone.shown().has(id)), 10_000);
    expect(raised).toHaveLength(40);
    expect(new Set(phone.received.map((a) => a.alertId)).size).toBe(40);

    await waitFor('Node-RED back after SIGKILL', async () => child(app)?.state === 'running' && child(app)?.pid !== first?.pid && (await answers(editor)), 20_000, 100);
    const second = child(app);
    expect(second).toMatchObject({ restarts: 1, lastExit: expect.objectContaining({ signal: 'SIGKILL' }) });
    expect(alive(first?.pid as number)).toBe(false);

    // A function node that never returns: the editor stops answering, and the supervisor steps in.
    void fetch(`${editor}hang`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
    await waitFor('Node-RED hung', async () => !(await answers(editor)), 5000, 100);
    for (let i = 40; i < 45; i++) raise(i);
    await waitFor('alerts delivered while Node-RED is hung', () => raised.every((id) => phone.shown().has(id)), 5000);
    await waitFor('Node-RED killed and restarted after the hang', async () => child(app)?.pid !== second?.pid && child(app)?.state === 'running' && (await answers(editor)), 30_000, 100);
    expect(child(app)).toMatchObject({ restarts: 2, lastExit: expect.objectContaining({ reason: expect.stringMatching(/^hung: no heartbeat/) }) });
    expect(alive(second?.pid as number)).toBe(false);
    expect(app.counters.get('supervisor_restarts', NODERED_CHILD)).toBe(2);
    // The maintainer's flows survive restarts; nothing re-copied them.
    expect(logLines.filter((l) => l.includes('default flows copied'))).toHaveLength(1);

    // Stopping the service stops Node-RED.
    const last = child(app)?.pid as number;
    stopped = true;
    await app.stop();
    expect(alive(last)).toBe(false);
  });

  it('a service without Node-RED settings runs on, degraded', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, { nodered: true }, base), nodered: { settingsFile: join(fixture, 'missing.cjs'), flowsDir: fixture } });
    defer(() => app.stop());
    const h = await health(app);
    expect(h.code).toBe(200);
    expect(h.body).toMatchObject({ status: 'degraded', degraded: ['module:node-red'] });
    expect(app.supervisor.status()).toEqual([]);
    expect(existsSync(join(dir, 'node-red'))).toBe(false);
  });
});
