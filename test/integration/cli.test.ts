import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SITE_FILE } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/paths.js';
import mqtt from 'mqtt';
import { tempDir, useCleanup, waitFor } from '../helpers/app.js';
import { startMosquitto } from '../helpers/mosquitto.js';

/**
 * The compiled `tongxin` binary, as systemd runs it on the Pi: `npm test` builds first, so a missing
 * dist/ is a failure here, not a reason to skip.
 */
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, timeout: 20_000 });

const defer = useCleanup();

describe('tongxin CLI', () => {
  it('is built', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true);
  });

  it('config check accepts the demo site and starts nothing', () => {
    const r = run(['config', 'check', DEMO_SITE_FILE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok (site xianxia-demo, 20 sensors, 2 collection points)');
  });

  it('config check lists every problem of a bad site file and exits 2', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nsite: { id: ok, name: { zh: 好 } }\nhttp: { port: -1 }\nsensors: [{ id: a, device: nowhere, kind: soil }]\n');
    const r = run(['config', 'check', file]);
    expect(r.status).toBe(2);
    for (const path of ['site.name.en', 'http.port', 'sensors[0].kind']) expect(r.stderr).toContain(path);
    expect(r.stderr).toMatch(/\d+ problems/);
  });

  it('start refuses a bad site file before binding anything', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 2\n');
    const r = run(['start', '--site', file, '--data', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('version');
    expect(existsSync(join(dir, 'tongxin.db'))).toBe(false);
  });

  it('hash-password prints an argon2id hash for the site file', () => {
    const r = run(['hash-password'], 'a long enough secret\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\$argon2id\$/);
    expect(run(['hash-password'], 'short\n').status).toBe(2);
  });

  it('start serves a healthy service and SIGTERM stops it cleanly and quickly', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    // Node-RED has its own test (nodered-supervision); here it would take the demo's fixed port 1880.
    const child = spawn(process.execPath, [CLI, 'start', '--no-nodered', '--data', dir, '--http-port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TONGXIN_LOG_LEVEL: 'warn' },
    });
    defer(() => child.exitCode === null && child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await waitFor('the kiosk URL', () => /kiosk at (http:\/\/[^/\s]+)\//.exec(out)?.[1], 15_000);
    const health = await waitFor('healthy', async () => {
      const h = (await (await fetch(`${url}/healthz`)).json()) as { status: string; checks: { children: { list: { name: string }[] } } };
      return h.status === 'ok' ? h : undefined;
    });
    expect(health.status).toBe('ok');
    expect(health.checks.children.list.map((c) => c.name)).not.toContain('node-red');
    // The demo's simulator is running: readings arrive without any hardware.
    await waitFor('simulated readings', async () => {
      const s = (await (await fetch(`${url}/api/sensors`)).json()) as { sensors: { value: number | null }[] };
      return s.sensors.every((x) => x.value !== null);
    }, 10_000);

    const t0 = Date.now();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    const code = await exited;
    expect(code, out).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(existsSync(join(dir, 'tongxin.db'))).toBe(true);
  });

  it('simulate publishes the demo site’s readings to any broker (here Mosquitto), as devices would', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const broker = await startMosquitto(dir);
    defer(() => void broker.stop());
    const watcher = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    defer(() => void watcher.endAsync());
    await watcher.subscribeAsync('tongxin/xianxia-demo/#', { qos: 1 });
    const seen = new Map<string, Buffer>();
    watcher.on('message', (topic, payload) => seen.set(topic, payload));

    const child = spawn(process.execPath, [CLI, 'simulate', '--url', broker.url, '--interval', '0.2', '--status'], { stdio: 'ignore' });
    defer(() => child.exitCode === null && child.kill('SIGKILL'));
    await waitFor('a reading from every sensor', () => [...seen.keys()].filter((t) => t.endsWith('/raw')).length === 20, 10_000);
    const soil = JSON.parse(seen.get('tongxin/xianxia-demo/sensor/soil-herbs-a/raw')!.toString()) as { value: number; at: number };
    expect(soil.value).toBeGreaterThan(250); // raw ADC counts, not a percentage
    expect(soil.value).toBeLessThan(560);
    expect(Math.abs(soil.at - Date.now())).toBeLessThan(5000);
    expect(seen.get('tongxin/xianxia-demo/device/garden-node/status')?.toString()).toBe('online');
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    await waitFor('goodbye status', () => seen.get('tongxin/xianxia-demo/device/garden-node/status')?.toString() === 'offline');
  });
});
