import { createServer, type AddressInfo, type Server } from 'node:net';
import { createRequire } from 'node:module';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';

/**
 * For the tests of our Node-RED palette (flows/nodes): node-red-node-test-helper running the real
 * runtime in this process, a real aedes broker on a free loopback port, and a stand-in for the
 * service's side of the request/reply contract, as a plain MQTT client.
 */
const require = createRequire(import.meta.url);

// The helper and the nodes are CommonJS; the helper needs to be told where the runtime is.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const helper: any = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

const node = (file: string): unknown => require(`../../flows/nodes/${file}`);
export const palette = {
  site: node('tongxin-site.js'),
  alertIn: node('tongxin-alert-in.js'),
  ack: node('tongxin-ack.js'),
  sensorIn: node('tongxin-sensor-in.js'),
  actuator: node('tongxin-actuator.js'),
  eventIn: node('tongxin-event-in.js'),
  stateIn: node('tongxin-state-in.js'),
};

export const SITE = 'test-site';

export interface TestBroker {
  url: string;
  aedes: Aedes;
  /** Client ids connected now. */
  clients(): string[];
  close(): Promise<void>;
}

export async function startBroker(opts: Parameters<typeof Aedes.createBroker>[0] = {}): Promise<TestBroker> {
  const aedes = await Aedes.createBroker(opts);
  const server: Server = createServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const ids = new Set<string>();
  aedes.on('client', (c) => ids.add(c.id));
  aedes.on('clientDisconnect', (c) => ids.delete(c.id));
  return {
    url: `mqtt://127.0.0.1:${port}`,
    aedes,
    clients: () => [...ids],
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Request {
  topic: string;
  body: Record<string, unknown>;
}

/**
 * The service's side, played by a test: publishes contract messages under the site root and answers
 * requests with whatever `answer` returns (undefined: no answer, for timeouts).
 */
export interface FakeService {
  client: MqttClient;
  requests: Request[];
  answer: (req: Request) => Record<string, unknown> | string | undefined;
  publish(rel: string, body: unknown, opts?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function fakeService(url: string, site = SITE): Promise<FakeService> {
  const client = await mqtt.connectAsync(url, { clientId: `fake-service-${Math.random().toString(36).slice(2)}`, reconnectPeriod: 0 });
  const svc: FakeService = {
    client,
    requests: [],
    answer: (req) => ({ requestId: req.body.requestId, ok: true }),
    publish: async (rel, body, opts = {}) =>
      void (await client.publishAsync(`tongxin/${site}/${rel}`, typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), { qos: opts.qos ?? 1, retain: opts.retain ?? false })),
    close: () => client.endAsync(),
  };
  client.on('message', (topic, payload) => {
    const req = { topic, body: JSON.parse(payload.toString()) as Record<string, unknown> };
    svc.requests.push(req);
    const reply = svc.answer(req);
    if (reply === undefined) return;
    void client.publish(`tongxin/${site}/reply/${String(req.body.requestId)}`, typeof reply === 'string' ? reply : JSON.stringify(reply), { qos: 1 });
  });
  await client.subscribeAsync(`tongxin/${site}/request/#`, { qos: 1 });
  return svc;
}

/** A flow's site config node on the test broker (fields set, not taken from the environment). */
export const siteNode = (url: string, id = 's1') => ({ id, type: 'tongxin-site', name: '', url, siteId: SITE });

/**
 * What a node has done so far: the helper spies on Node.prototype's status, warn and error, so every
 * call is there, those made in the node's constructor included.
 */
export function record(n: object) {
  const calls = (method: 'status' | 'warn' | 'error') => {
    const spy = (n as Record<string, { args: unknown[][]; thisValues: unknown[] }>)[method];
    if (!spy?.args) throw new Error(`node.${method} is not a spy: load the flow with helper.load first`);
    return spy.args.filter((_a, i) => spy.thisValues[i] === n);
  };
  return {
    get status() {
      return calls('status').map((a) => a[0] as { fill?: string; shape?: string; text?: string });
    },
    get warn() {
      return calls('warn').map((a) => String(a[0]));
    },
    get error() {
      return calls('error').map((a) => ({ err: a[0], msg: a[1] as Record<string, unknown> | undefined }));
    },
  };
}

/** Messages that reach a helper node. */
export function inbox(n: { on(ev: 'input', fn: (msg: Record<string, unknown>) => void): void }) {
  const msgs: Record<string, unknown>[] = [];
  n.on('input', (m) => msgs.push(m));
  return msgs;
}

/** The site node's shared connection, once connected with every subscription in place. */
export async function siteReady(id = 's1'): Promise<void> {
  const site = helper.getNode(id) as { connection: { ready(): Promise<void> } | null };
  if (!site?.connection) throw new Error(`site node ${id} has no connection`);
  await site.connection.ready();
}

export async function eventually<T>(what: string, check: () => T, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
