import { createServer, type AddressInfo } from 'node:net';
import { hash } from '@node-rs/argon2';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { CrewAlertPayload } from '../../src/contract/payloads.js';
import { demoConfigWith, startTestApp, tempDir, testConfig } from '../helpers/app.js';
import { crewPhone } from '../helpers/crew.js';

/**
 * Reading-to-crew-alert latency under background load, beside the bare broker's round trip measured
 * in the same run with the same load: how long after a bin sensor's reading crosses the "full"
 * threshold does the responsible crew's phone hold the alert (ingest → fill state → alert → SQLite
 * outbox → broker → phone), compared with a bare aedes publish → subscriber hop.
 */
export interface Latency {
  p50: number;
  p99: number;
  samples: number;
}

const LOAD_PER_SECOND = 1000;
const WARM_UP = 10;

/** Nearest-rank percentile of an ascending array. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
function summarise(ms: number[]): Latency {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: percentile(s, 0.5), p99: percentile(s, 0.99), samples: s.length };
}
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A few ms of random spacing between samples, so they do not lock step with the load's ticks. */
const jitter = () => sleep(2 + Math.random() * 4);

/** Publishes `perSecond` QoS 0 messages a second (paced against the wall clock) until stopped. */
async function backgroundLoad(url: string, topicFor: (i: number) => string, payloadFor: (i: number) => string, perSecond = LOAD_PER_SECOND) {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const t0 = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - t0) / 1000) * perSecond);
    for (; sent < due; sent++) client.publish(topicFor(sent), payloadFor(sent), { qos: 0 });
  }, 5);
  return {
    async stop() {
      clearInterval(timer);
      const rate = sent / ((performance.now() - t0) / 1000);
      await client.endAsync();
      return rate;
    },
  };
}

/**
 * Bare aedes (no authentication, no ACL) on a free port: one client publishes a small QoS 1 message
 * that another client subscribes to, one at a time, while a third publishes ~1000 msg/s of noise on
 * other topics to a fourth.
 */
export async function bareAedesRoundTrip(samples = 300): Promise<Latency & { loadPerSecond: number }> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: MqttClient[] = [];
  try {
    const noiseSink = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    clients.push(noiseSink);
    await noiseSink.subscribeAsync('bench/noise/#', { qos: 0 });
    const sub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    clients.push(sub);
    await sub.subscribeAsync('bench/probe', { qos: 1 });
    const pub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    clients.push(pub);
    const load = await backgroundLoad(url, (i) => `bench/noise/s${i % 8}/raw`, (i) => String(250 + (i % 300)));

    let waiting: { id: string; resolve: () => void } | undefined;
    sub.on('message', (_t, payload) => {
      if (waiting && payload.toString() === waiting.id) waiting.resolve();
    });
    const out: number[] = [];
    for (let i = 0; i < samples + WARM_UP; i++) {
      const id = `probe-${i}`;
      const got = new Promise<void>((resolve, reject) => {
        waiting = { id, resolve };
        setTimeout(() => reject(new Error(`bare round trip ${i} not received in 2 s`)), 2000).unref();
      });
      const t0 = performance.now();
      pub.publish('bench/probe', id, { qos: 1 });
      await got;
      if (i >= WARM_UP) out.push(performance.now() - t0);
      await jitter();
    }
    const loadPerSecond = await load.stop();
    return { ...summarise(out), loadPerSecond };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await new Promise<void>((r) => broker.close(() => r()));
    server.close();
  }
}

const SITE = 'xianxia-demo';
const CREW_PASSWORD = 'bench-crew-password';
/** The wet and dry bins at both points: all routed to crew-wet-dry; rotating lets each one's last episode settle. */
const BINS = [
  { sensor: 'bin-p1-wet', binId: 'p1-wet' },
  { sensor: 'bin-p1-dry', binId: 'p1-dry' },
  { sensor: 'bin-p2-wet', binId: 'p2-wet' },
  { sensor: 'bin-p2-dry', binId: 'p2-dry' },
];
const SOIL = ['soil-herbs-a', 'soil-herbs-b', 'soil-nectar-a', 'soil-nectar-b', 'soil-classroom-a', 'soil-classroom-b', 'soil-medicinal-a', 'soil-medicinal-b'];
/** Raw ultrasonic distances for the demo calibration (100 cm empty, 10 cm full): fill % = (100 − raw) / 0.9. */
const RAW_EMPTY = 97; // ≈ 3 %
const RAW_FULL = 14; // ≈ 96 %: bin-full
const RAW_OVERFLOW = 5; // ≈ 106 %: bin-overflow

/**
 * The service (demo site, simulator off) with crew-wet-dry's phone connected with its own
 * credentials, ~1000 soil readings/s in the background. Per sample: the bin is emptied (three
 * readings at ~3 %, a pickup, which resolves its last alert), then one reading at full or overflow;
 * the time is from publishing that reading to the phone receiving the new alert. The median filter
 * and minimum duration are set to one reading and 0 s so the crossing reading is the one that raises.
 */
export async function readingToCrewAlert(samples = 200): Promise<Latency & { loadPerSecond: number }> {
  const { dir, remove } = tempDir('tongxin-bench-');
  const passwordHash = await hash(CREW_PASSWORD);
  const base = await demoConfigWith((doc) => {
    doc.mqtt.users = [{ username: 'crew-wet-dry', passwordHash, role: 'crew', crew: 'crew-wet-dry' }];
    doc.alerts = { escalateAfterMinutes: 60, resendSeconds: 3600, minIntervalMinutes: 0 };
    doc.waste.fill = { ...doc.waste.fill, minDurationSeconds: 0, medianOf: 1 };
  });
  const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
  const clients: { endAsync(force?: boolean): Promise<unknown> }[] = [];
  try {
    const phone = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', CREW_PASSWORD, { clean: true, clientId: 'bench-phone' });
    clients.push(phone.client);
    const bins = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 }); // an anonymous local "device"
    clients.push(bins);
    const load = await backgroundLoad(app.mqttUrl, (i) => `tongxin/${SITE}/sensor/${SOIL[i % SOIL.length]}/raw`, (i) => String(300 + (i % 200)));

    const shown = new Set<string>();
    let waiting: { binId: string; resolve: (p: CrewAlertPayload) => void } | undefined;
    phone.client.on('message', (_t, payload) => {
      const a = JSON.parse(payload.toString()) as CrewAlertPayload;
      if (a.state !== 'open' || shown.has(a.alertId)) return;
      shown.add(a.alertId);
      if (waiting && a.binId === waiting.binId && (a.kind === 'bin-full' || a.kind === 'bin-overflow')) waiting.resolve(a);
    });

    const out: number[] = [];
    for (let i = 0; i < samples + WARM_UP; i++) {
      const bin = BINS[i % BINS.length]!;
      const topic = `tongxin/${SITE}/sensor/${bin.sensor}/raw`;
      // Empty it (a pickup, once it has been full), in order on the same connection as the crossing reading.
      for (let k = 0; k < 3; k++) bins.publish(topic, String(RAW_EMPTY), { qos: 1 });
      await jitter();
      const overflow = Math.floor(i / BINS.length) % 2 === 1; // each bin alternates full and overflow
      const got = new Promise<CrewAlertPayload>((resolve, reject) => {
        waiting = { binId: bin.binId, resolve };
        setTimeout(() => {
          const c = app.counters.snapshot();
          reject(new Error(`no alert for ${bin.binId} within 2 s (sample ${i}); counters ${JSON.stringify({ readings: c.readings_accepted, rejected: c.readings_rejected, suppressed: c.alerts_suppressed, changed: c.alerts_changed })}`));
        }, 2000).unref();
      });
      const t0 = performance.now();
      bins.publish(topic, String(overflow ? RAW_OVERFLOW : RAW_FULL), { qos: 1 });
      const alert = await got;
      const ms = performance.now() - t0;
      if (alert.kind !== (overflow ? 'bin-overflow' : 'bin-full')) throw new Error(`expected ${overflow ? 'bin-overflow' : 'bin-full'}, the phone got ${alert.kind}`);
      if (i >= WARM_UP) out.push(ms);
    }
    const loadPerSecond = await load.stop();
    const rejected = app.counters.total('readings_rejected');
    if (rejected > 0) throw new Error(`${rejected} readings rejected during the benchmark`);
    return { ...summarise(out), loadPerSecond };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
    await app.stop();
    remove();
  }
}
