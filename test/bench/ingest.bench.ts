import { createServer, type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { startTestApp, tempDir } from '../helpers/app.js';

/**
 * Ingest throughput: readings/s through broker → validation → calibration → SQLite, as a ratio of
 * raw broker pass-through (publisher → aedes → subscriber, no processing) measured in the same run,
 * with the same publisher, payload shape and message count.
 */
const PAYLOAD = (i: number) => JSON.stringify({ value: 250 + (i % 300) });
/**
 * What a door counter sends: the people that passed since its last reading, a handful at most. (A
 * soil probe's 250–549 as a door count would be hundreds of people per reading, each one walked
 * through occupancy and attendance: no door reports that.)
 */
const DOOR_PAYLOAD = (i: number) => JSON.stringify({ value: i % 3 });

async function publishAll(url: string, topicFor: (i: number) => string, n: number, payloadFor: (i: number) => string = PAYLOAD): Promise<void> {
  const pub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  for (let i = 0; i < n; i++) {
    pub.publish(topicFor(i), payloadFor(i), { qos: 0 });
    // Let the socket drain now and then so the publisher measures the pipeline, not its own queue.
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await pub.endAsync();
}

export async function rawBrokerPassThrough(n: number): Promise<number> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sub = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  await sub.subscribeAsync('bench/+/raw', { qos: 1 });
  let got = 0;
  const done = new Promise<void>((r) => sub.on('message', () => ++got === n && r()));
  const t0 = performance.now();
  await publishAll(url, (i) => `bench/s${i % 20}/raw`, n);
  await done;
  const seconds = (performance.now() - t0) / 1000;
  await sub.endAsync();
  await new Promise<void>((r) => broker.close(() => r()));
  server.close();
  return n / seconds;
}

export async function serviceIngest(n: number): Promise<number> {
  const { dir, remove } = tempDir('tongxin-bench-');
  const { app } = await startTestApp({ dataDir: dir });
  const sensors = app.config.sensors.map((s) => s.id);
  const isDoor = new Set(app.config.sensors.filter((s) => s.kind === 'footfall').map((s) => s.id));
  const count = app.store.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM readings');
  const t0 = performance.now();
  const sensorOf = (i: number) => sensors[i % sensors.length] as string;
  await publishAll(app.mqttUrl, (i) => `tongxin/${app.config.site.id}/sensor/${sensorOf(i)}/raw`, n, (i) => (isDoor.has(sensorOf(i)) ? DOOR_PAYLOAD(i) : PAYLOAD(i)));
  // Done when every reading is a row in SQLite (the batch writer commits at least every 100 ms).
  while ((count.get()?.n ?? 0) < n) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - t0) / 1000;
  const rejected = app.counters.total('readings_rejected');
  await app.stop();
  remove();
  if (rejected > 0) throw new Error(`${rejected} readings rejected during the benchmark`);
  return n / seconds;
}
