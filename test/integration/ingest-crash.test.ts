import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEMO_SITE_FILE } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/paths.js';
import { allMigrations } from '../../src/migrations.js';
import { openStore } from '../../src/store/db.js';
import { memoryLogger, tempDir, useCleanup, waitFor } from '../helpers/app.js';

/**
 * The compiled service ingesting a steady stream of QoS 1 readings from its embedded broker, killed
 * with SIGKILL at a random moment and restarted on the same data folder, round after round.
 *
 * What "acknowledged" means for a reading (src/sensors/ingest-module.ts): not the broker's PUBACK,
 * which aedes sends before any subscriber has seen the message, but the commit of the reading's
 * batch, after which `/api/sensors/:id/history` shows it. So: every reading a client saw in the
 * history before the kill must be in the file after it, and the file must pass
 * `PRAGMA integrity_check`. What may be lost is only what was PUBACKed but not yet committed: the
 * batch in memory (at most 100 ms, or 1,000 readings), reported here per round.
 * TONGXIN_LONG=1 runs many more rounds.
 */
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const LONG = process.env.TONGXIN_LONG === '1';
const ROUNDS = LONG ? 60 : 4;
const SITE = 'xianxia-demo';
// Bins of the late-drop point, fed nearly empty readings: nothing else (alerts, lids) is set off.
const SENSORS = ['bin-p2-recyclable', 'bin-p2-hazardous', 'bin-p2-wet', 'bin-p2-dry'];
const PER_TICK = 5; // readings every 10 ms: 500 readings/s
const BATCH_MAX_ROWS = 1000;
const defer = useCleanup();

function startService(dir: string, site: string): { child: ChildProcess; urls: Promise<{ http: string; mqtt: string }>; output: () => string } {
  const child = spawn(process.execPath, [CLI, 'start', '--site', site, '--no-simulator', '--no-nodered', '--data', dir, '--http-port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TONGXIN_LOG_LEVEL: 'warn' },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const urls = waitFor(
    'the service URLs',
    () => {
      const m = /kiosk at (http:\/\/[^/\s]+)\/\s+·\s+MQTT at (mqtt:\/\/\S+)/.exec(out);
      return m ? { http: m[1]!, mqtt: m[2]! } : undefined;
    },
    15_000,
  );
  return { child, urls, output: () => out };
}

const key = (sensorId: string, at: number) => `${sensorId}@${at}`;

describe('readings survive SIGKILL', () => {
  it('is built', () => expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true));

  it(`${ROUNDS} rounds of ingest, kill -9 and restart lose no acknowledged reading`, { timeout: LONG ? 600_000 : 90_000 }, async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const dbFile = join(dir, 'tongxin.db');
    const siteFile = join(dir, 'site.yaml');
    const doc = parse(readFileSync(DEMO_SITE_FILE, 'utf8')) as { http: Record<string, unknown> };
    doc.http.publicRateLimitPerMinute = 1_000_000;
    writeFileSync(siteFile, stringify(doc));
    const silent = memoryLogger('silent').log;

    /** Every reading published, the ones the broker PUBACKed, and the ones the history API showed (acknowledged). */
    const published = new Set<string>();
    const acknowledged = new Set<string>();
    let lastAt = Date.now();
    const losses: number[] = [];

    for (let round = 0; round < ROUNDS; round++) {
      const svc = startService(dir, siteFile);
      defer(() => svc.child.exitCode === null && svc.child.kill('SIGKILL'));
      const exited = new Promise<void>((r) => svc.child.once('exit', () => r()));
      const urls = await svc.urls.catch((err: unknown) => {
        throw new Error(`${String(err)}\n${svc.output()}`);
      });
      // The service restarted on the file the last kill left: it must answer, and it must still show what it acknowledged.
      const health = (await (await fetch(`${urls.http}/healthz`)).json()) as { status: string; degraded: string[] };
      expect(health.degraded.filter((d) => d.startsWith('store') || d.startsWith('module:')), `round ${round}: /healthz ${JSON.stringify(health)}`).toEqual([]);

      let killed = false;
      const pubacked = new Set<string>();
      const client: MqttClient = await mqtt.connectAsync(urls.mqtt, { clientId: `crash-pub-${round}`, reconnectPeriod: 0, connectTimeout: 5000 });
      client.on('error', () => undefined);
      const publisher = (async () => {
        let i = 0;
        while (!killed) {
          for (let n = 0; n < PER_TICK && !killed; n++, i++) {
            const sensorId = SENSORS[i % SENSORS.length]!;
            lastAt = Math.max(Date.now(), lastAt + 1);
            const at = lastAt;
            const k = key(sensorId, at);
            published.add(k);
            // Nearly empty bins (90–100 cm to the rubbish): no fill alert, nothing but the reading.
            client.publishAsync(`tongxin/${SITE}/sensor/${sensorId}/raw`, JSON.stringify({ value: 90 + (i % 10), at }), { qos: 1 }).then(
              () => pubacked.add(k),
              () => undefined,
            );
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      // A kiosk reading the history: what it sees is what the service acknowledged.
      const poller = (async () => {
        while (!killed) {
          for (const sensorId of SENSORS) {
            try {
              const res = await fetch(`${urls.http}/api/sensors/${sensorId}/history?hours=2&resolution=raw&limit=10000`);
              if (res.status !== 200) throw new Error(`history answered ${res.status}: ${await res.text()}`);
              const body = (await res.json()) as { resolution: string; points: { at: number }[] };
              expect(body.resolution).toBe('raw');
              for (const p of body.points) acknowledged.add(key(sensorId, p.at));
            } catch (err) {
              if (killed) return; // the service is gone mid-request
              throw err;
            }
          }
        }
      })();

      await new Promise((r) => setTimeout(r, 300 + Math.random() * 900));
      killed = true;
      svc.child.kill('SIGKILL');
      await exited;
      await publisher;
      await poller;
      client.end(true);

      // The service is down: check what the kill left.
      const store = openStore(dbFile, silent, allMigrations);
      try {
        expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = store.db.prepare(`SELECT sensor_id AS sensorId, at FROM readings WHERE sensor_id IN (${SENSORS.map(() => '?').join(',')})`).all(...SENSORS) as { sensorId: string; at: number }[];
        const stored = new Set(rows.map((r) => key(r.sensorId, r.at)));
        expect(stored.size, 'no reading stored twice').toBe(rows.length);
        const missing = [...acknowledged].filter((k) => !stored.has(k));
        expect(missing, `round ${round}: acknowledged readings missing after the kill`).toEqual([]);
        const phantom = [...stored].filter((k) => !published.has(k));
        expect(phantom, 'rows nobody published').toEqual([]);
        // The window of loss: PUBACKed, never committed. At most one batch (1,000 rows, 100 ms).
        const lost = [...pubacked].filter((k) => !stored.has(k)).length;
        expect(lost, `round ${round}: PUBACKed readings lost`).toBeLessThanOrEqual(BATCH_MAX_ROWS);
        losses.push(lost);
      } finally {
        store.close();
      }
    }

    // One last start: the history API shows every acknowledged reading after all the kills.
    const svc = startService(dir, siteFile);
    defer(() => svc.child.exitCode === null && svc.child.kill('SIGKILL'));
    const urls = await svc.urls;
    const shown = new Set<string>();
    for (const sensorId of SENSORS) {
      const body = (await (await fetch(`${urls.http}/api/sensors/${sensorId}/history?hours=2&resolution=raw&limit=10000`)).json()) as { points: { at: number }[] };
      for (const p of body.points) shown.add(key(sensorId, p.at));
    }
    expect([...acknowledged].filter((k) => !shown.has(k))).toEqual([]);
    svc.child.kill('SIGTERM');
    await new Promise((r) => svc.child.once('exit', r));

    expect(acknowledged.size, 'the history showed readings before the kills').toBeGreaterThan(ROUNDS * 50);
    console.log(
      `${ROUNDS} kill rounds: ${published.size} readings published, ${acknowledged.size} acknowledged (seen in the history), all still there; ` +
        `PUBACKed but not yet committed at the kill (the allowed window), per round: ${losses.join(', ')}`,
    );
  });
});
