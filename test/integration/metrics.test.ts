import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { createCounters } from '../../src/core/counters.js';
import type { HealthReport } from '../../src/http/health.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import type { MqttConnection } from '../../src/mqtt/connection.js';
import { openStore } from '../../src/store/db.js';
import { allMigrations } from '../../src/migrations.js';
import { memoryLogger, startTestApp, tempDir, useCleanup, waitFor } from '../helpers/app.js';
import { addStaff, loginCookie } from '../helpers/staff.js';

/**
 * GET /metrics on the real service (embedded broker, SQLite file, real sockets): scraped and parsed
 * as Prometheus would, and its numbers checked against what was done to the service.
 */
const SITE = 'xianxia-demo';
const raw = (sensor: string) => `tongxin/${SITE}/sensor/${sensor}/raw`;
const defer = useCleanup();

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Scrape {
  samples: Sample[];
  types: Map<string, string>;
}

/** The Prometheus text format, enough of it for these tests: samples (no timestamps) and TYPE lines. */
function parse(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP')) continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, '$1');
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

/** The value of one series (labels must match exactly), or undefined when it is absent. */
function value(s: Scrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = JSON.stringify(Object.entries(labels).sort());
  return s.samples.find((x) => x.name === name && JSON.stringify(Object.entries(x.labels).sort()) === want)?.value;
}

async function scrape(app: RunningApp): Promise<Scrape> {
  const res = await fetch(`${app.httpUrl}/metrics`);
  expect(res.status).toBe(200);
  return parse(await res.text());
}

/** Scrapes until `ready` holds for a scrape, and returns that one. */
async function scrapeUntil(app: RunningApp, what: string, ready: (s: Scrape) => boolean): Promise<Scrape> {
  let last: Scrape | undefined;
  await waitFor(what, async () => ready((last = await scrape(app))));
  return last as Scrape;
}

async function boot() {
  const { dir, remove } = tempDir();
  defer(remove);
  const { app } = await startTestApp({ dataDir: dir });
  defer(() => app.stop());
  return app;
}

describe('/metrics', () => {
  it('counts readings in and rejections by reason, as the service counted them', async () => {
    const app = await boot();
    const res = await fetch(`${app.httpUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const before = parse(await res.text());
    expect(before.types.get('tongxin_readings_accepted_total')).toBe('counter');
    expect(value(before, 'tongxin_readings_accepted_total')).toBe(0);
    expect(value(before, 'tongxin_readings_rejected_total')).toBe(0);

    const c = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => c.endAsync());
    for (let i = 0; i < 40; i++) await c.publishAsync(raw(i % 2 ? 'soil-herbs-a' : 'bin-p1-wet'), String(300 + i), { qos: 1 });
    await c.publishAsync(raw('soil-herbs-a'), '{"value": 4', { qos: 1 }); // cut short: not JSON
    await c.publishAsync(raw('soil-herbs-a'), '{"value": "wet"}', { qos: 1 }); // JSON, wrong shape
    await c.publishAsync(raw('no-such-sensor'), '300', { qos: 1 });

    const after = await scrapeUntil(
      app,
      'the readings to be counted',
      (s) => value(s, 'tongxin_readings_accepted_total') === 40 && value(s, 'tongxin_readings_rejected_total', { label: 'unknown-sensor' }) === 1,
    );
    expect(value(after, 'tongxin_readings_rejected_total', { label: 'not-json' })).toBe(1);
    expect(value(after, 'tongxin_readings_rejected_total', { label: 'schema' })).toBe(1);
    // The same numbers as the service's own counters (and /healthz): read, not counted again.
    expect(value(after, 'tongxin_readings_accepted_total')).toBe(app.counters.get('readings_accepted'));
    const rejected = after.samples.filter((x) => x.name === 'tongxin_readings_rejected_total').reduce((a, x) => a + x.value, 0);
    expect(rejected).toBe(app.counters.total('readings_rejected'));
    // Once there are reasons, there is no series without one (nothing was rejected without a reason).
    expect(value(after, 'tongxin_readings_rejected_total')).toBeUndefined();
  });

  it('reports the broker, the queues, the database and the process', async () => {
    const app = await boot();
    const before = await scrape(app);
    const clients = value(before, 'tongxin_broker_clients') as number;
    expect(clients).toBeGreaterThanOrEqual(1); // the service's own connection
    expect(value(before, 'tongxin_mqtt_connected')).toBe(1);
    expect(value(before, 'tongxin_outbox_pending')).toBe(0);
    expect(value(before, 'tongxin_mqtt_client_queue', { queue: 'offline' })).toBe(0);
    expect(value(before, 'tongxin_mqtt_client_queue', { queue: 'inflight' })).toBeGreaterThanOrEqual(0);

    const c = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => c.endAsync());
    for (let i = 0; i < 500; i++) c.publish(raw('soil-herbs-b'), String(300 + (i % 100)), { qos: 0 });
    await waitFor('the readings to be stored', () => app.counters.get('readings_accepted') === 500);
    await waitFor('the readings to be committed', () => app.counters.get('readings_stored') === 500);
    // The service's timers may still write (a device status, the wall time): the database only grows,
    // so the scraped size lies between the sizes read just before and just after the scrape.
    const pageSize = app.store.db.pragma('page_size', { simple: true }) as number;
    const pagesBefore = app.store.db.pragma('page_count', { simple: true }) as number;
    const after = await scrapeUntil(app, 'a flushed batch', (s) => (value(s, 'tongxin_db_file_bytes', { file: 'wal' }) ?? 0) > 0);
    const pagesAfter = app.store.db.pragma('page_count', { simple: true }) as number;
    expect(value(after, 'tongxin_broker_clients')).toBe(clients + 1);
    expect(value(after, 'tongxin_db_pages_bytes')).toBeGreaterThanOrEqual(pagesBefore * pageSize);
    expect(value(after, 'tongxin_db_pages_bytes')).toBeLessThanOrEqual(pagesAfter * pageSize);
    expect(value(after, 'tongxin_db_file_bytes', { file: 'db' })).toBeGreaterThan(0);
    expect(value(after, 'tongxin_db_free_bytes')).toBeGreaterThanOrEqual(0);

    // prom-client's process metrics, once per process.
    const rss = value(after, 'process_resident_memory_bytes') as number;
    expect(rss).toBeGreaterThan(10 * 1024 * 1024);
    expect(rss).toBeLessThan(4 * 1024 * 1024 * 1024);
    expect(value(after, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
    // No series twice: our registry and the process's do not overlap.
    const series = after.samples.map((x) => `${x.name}${JSON.stringify(x.labels)}`);
    expect(new Set(series).size).toBe(series.length);
    expect(value(after, 'tongxin_degraded', { part: 'broker' })).toBeUndefined();
  });

  it('counts alerts by kind and state as they are raised, acked and resolved', async () => {
    const app = await boot();
    const alerts = async () => {
      const s = await scrape(app);
      return {
        open: value(s, 'tongxin_alerts', { kind: 'bin-full', state: 'open' }),
        acked: value(s, 'tongxin_alerts', { kind: 'bin-full', state: 'acked' }),
        resolved: value(s, 'tongxin_alerts_resolved_total', { kind: 'bin-full' }),
        otherKind: value(s, 'tongxin_alerts', { kind: 'valve-stuck', state: 'open' }),
      };
    };
    expect(await alerts()).toEqual({ open: 0, acked: 0, resolved: 0, otherKind: 0 });
    const a = app.alerts.raise({ kind: 'bin-full', subject: 'bin:p1-wet', severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet' });
    expect(a).toBeDefined();
    app.alerts.raise({ kind: 'bin-full', subject: 'bin:p2-wet', severity: 'warning', category: 'wet', pointId: 'p2', binId: 'p2-wet' });
    expect(await alerts()).toEqual({ open: 2, acked: 0, resolved: 0, otherKind: 0 });
    expect(app.alerts.ackAs(a!.id, 'test')).toBe('acked');
    expect(await alerts()).toEqual({ open: 1, acked: 1, resolved: 0, otherKind: 0 });
    expect(app.alerts.resolve(a!.id, 'emptied', 'test')).toBe('resolved');
    expect(await alerts()).toEqual({ open: 1, acked: 0, resolved: 1, otherKind: 0 });
  });

  it('reports each supervised child as up, and its restarts', async () => {
    const app = await boot();
    app.supervisor.add({ name: 'sleeper', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], backoff: { initialMs: 50 } });
    await waitFor('the child to run', async () => value(await scrape(app), 'tongxin_child_up', { child: 'sleeper' }) === 1);
    const pid = app.supervisor.status().find((c) => c.name === 'sleeper')?.pid as number;
    expect(value(await scrape(app), 'tongxin_child_restarts_total', { child: 'sleeper' })).toBe(0);
    process.kill(pid, 'SIGKILL');
    const s = await scrapeUntil(app, 'the restart', (m) => value(m, 'tongxin_child_restarts_total', { child: 'sleeper' }) === 1 && value(m, 'tongxin_child_up', { child: 'sleeper' }) === 1);
    expect(app.supervisor.status().find((c) => c.name === 'sleeper')?.pid).not.toBe(pid);
    expect(value(s, 'tongxin_supervisor_restarts_total', { label: 'sleeper' })).toBe(1);
  });

  it('answers loopback without a login; from elsewhere only an admin', async () => {
    const app = await boot();
    const remote = (headers: Record<string, string> = {}) => app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.20', headers });
    const anon = await remote();
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toMatchObject({ error: { code: 'TX_UNAUTHENTICATED' } });
    // A forwarded-for header is not where the request came from.
    expect((await remote({ 'x-forwarded-for': '127.0.0.1' })).statusCode).toBe(401);
    await addStaff(app, 'desk', 'staff');
    expect((await remote({ cookie: await loginCookie(app, 'desk') })).statusCode).toBe(403);
    await addStaff(app, 'boss', 'admin');
    const asAdmin = await remote({ cookie: await loginCookie(app, 'boss') });
    expect(asAdmin.statusCode).toBe(200);
    expect(value(parse(asAdmin.body), 'tongxin_readings_accepted_total')).toBe(0);
    // IPv6 loopback and IPv4-mapped loopback count as the Pi itself.
    for (const remoteAddress of ['::1', '::ffff:127.0.0.1', '127.0.0.1']) {
      expect((await app.http.inject({ method: 'GET', url: '/metrics', remoteAddress })).statusCode, remoteAddress).toBe(200);
    }
    // It is not a staff page: the staff-route walk (anonymous → 401) must not include it.
    expect(app.http.protectedRoutes.some((r) => r.url === '/metrics')).toBe(false);
  });

  it('TONGXIN_METRICS_PUBLIC=1 answers anyone who can reach the port', async () => {
    process.env.TONGXIN_METRICS_PUBLIC = '1';
    let app: RunningApp;
    try {
      app = await boot();
    } finally {
      delete process.env.TONGXIN_METRICS_PUBLIC;
    }
    const res = await app.http.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.168.1.20' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('tongxin_readings_accepted_total');
  });

  it('a source that fails leaves its series out and is counted; the scrape still answers', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const store = openStore(join(dir, 'tongxin.db'), memoryLogger().log, allMigrations);
    defer(() => store.close());
    const counters = createCounters();
    const mqtt = { client: { queue: [], outgoing: {} }, connected: () => false } as unknown as MqttConnection;
    const health = (): HealthReport => ({ status: 'degraded', site: SITE, uptimeSeconds: 0, degraded: ['broker'], checks: {}, counters: {} });
    const uplink = { connected: true, depth: 5, inflight: 2 };
    const metrics = createMetrics({ counters, store, outboxPending: () => 3, mqtt, children: () => [], health, uplink: () => uplink });
    const ok = parse(await metrics.scrape());
    expect(value(ok, 'tongxin_uplink_queue', { queue: 'queued' })).toBe(5);
    expect(value(ok, 'tongxin_uplink_queue', { queue: 'inflight' })).toBe(2);
    expect(value(ok, 'tongxin_uplink_connected')).toBe(1);
    expect(value(ok, 'tongxin_alerts', { kind: 'bin-full', state: 'open' })).toBe(0);
    expect(value(ok, 'tongxin_degraded', { part: 'broker' })).toBe(1);
    expect(value(ok, 'tongxin_mqtt_connected')).toBe(0);
    expect(value(ok, 'tongxin_broker_clients')).toBeUndefined(); // an external broker: no such figure

    // A counter that happens to share a state metric's name does not break the scrape; it is left out and said so.
    counters.inc('alerts_resolved');
    parse(await metrics.scrape());
    const clash = parse(await metrics.scrape());
    expect(clash.samples.filter((x) => x.name === 'tongxin_alerts_resolved_total').every((x) => x.labels.kind !== undefined)).toBe(true);
    expect(value(clash, 'tongxin_metrics_collect_errors_total', { label: 'tongxin_alerts_resolved_total' })).toBe(1);

    store.db.close(); // the store is gone
    parse(await metrics.scrape());
    // Counted while collecting, so a failure shows in the next scrape.
    const broken = parse(await metrics.scrape());
    expect(value(broken, 'tongxin_alerts', { kind: 'bin-full', state: 'open' })).toBeUndefined();
    expect(value(broken, 'tongxin_metrics_collect_errors_total', { label: 'tongxin_alerts' })).toBe(1);
    expect(value(broken, 'tongxin_metrics_collect_errors_total', { label: 'tongxin_db_pages_bytes' })).toBe(1);
    expect(value(broken, 'tongxin_db_pages_bytes')).toBeNaN(); // unknown, not 0 and not the last figure
    expect(value(broken, 'tongxin_outbox_pending')).toBe(3);
    uplink.connected = false;
    expect(value(parse(await metrics.scrape()), 'tongxin_uplink_connected')).toBe(0);
    expect(value(broken, 'tongxin_degraded', { part: 'broker' })).toBe(1);
  });
});
