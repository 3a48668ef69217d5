import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { createManualClock } from '../../src/core/clock.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, waitFor } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The shipped flows.json in a real Node-RED, spawned and supervised by the real service on its
 * embedded broker, with a local HTTP server standing in for the group robot and the SMS gateway:
 * each default flow end to end, and the editor, the admin API and HTTP-in endpoints behind the
 * service's staff logins. One Node-RED for the whole file (it takes seconds to start).
 *
 * The service runs on a manual clock that starts at 20:59 Shanghai time and is moved to 21:00:30
 * once Node-RED listens, so the daily summary comes while this file runs, at whatever hour CI does.
 */
const SITE = 'xianxia-demo';
const T0 = Date.UTC(2026, 10, 23, 12, 59); // Monday 2026-11-23 20:59 in Shanghai
const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const PHONE_A = '13900000001';
const PHONE_B = '13900000002';
const HOOK_ENV = ['TONGXIN_ALERT_WEBHOOK_URL', 'TONGXIN_SMS_WEBHOOK_URL', 'TONGXIN_SUMMARY_WEBHOOK_URL'] as const;

interface HookCall {
  path: string;
  body: any;
  contentType: string | undefined;
}

/** The webhooks' far end: records each POST, answers as a WeCom robot does. */
async function startHooks(): Promise<{ url: string; calls: HookCall[]; close(): Promise<void> }> {
  const calls: HookCall[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (d: Buffer) => (s += d.toString('utf8')));
      req.on('end', () => resolve(s));
    });
  const server: Server = createServer((req, res) => {
    void read(req).then((text) => {
      calls.push({ path: req.url ?? '', body: text ? JSON.parse(text) : undefined, contentType: req.headers['content-type'] });
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let app: RunningApp;
let logLines: string[];
let hooks: Awaited<ReturnType<typeof startHooks>>;
let nodeRed: string;
let removeDir: () => void;
const clock = createManualClock(T0);
const savedEnv = Object.fromEntries(HOOK_ENV.map((k) => [k, process.env[k]]));
/** What crossed the broker, as the service's own client saw it. */
const bus: { topic: string; body: any }[] = [];
const staff = { admin: 'maint-admin', staff: 'garden-staff', committee: 'committee-wu' };
let staffCookie: string;
let adminToken: string;

beforeAll(async () => {
  hooks = await startHooks();
  // Inherited by the Node-RED child, as a site's systemd unit would set them for `tongxin start`.
  process.env.TONGXIN_ALERT_WEBHOOK_URL = `${hooks.url}/robot/alerts?key=k-alerts`;
  process.env.TONGXIN_SMS_WEBHOOK_URL = `${hooks.url}/sms`;
  process.env.TONGXIN_SUMMARY_WEBHOOK_URL = `${hooks.url}/robot/summary?key=k-summary`;
  const port = await freePort();
  const base = await demoConfigWith((doc) => {
    doc.nodered = { enabled: true, host: '127.0.0.1', port };
  });
  const t = tempDir('tongxin-flows-');
  removeDir = t.remove;
  ({ app, logLines } = await startTestApp({ dataDir: t.dir, config: testConfig(t.dir, { nodered: true }, base), clock }));
  nodeRed = `http://127.0.0.1:${port}`;
  for (const f of ['alert/+', 'event/+', 'private/+', 'request/#', 'reply/+', 'garden/+/state']) {
    await app.mqtt.subscribe(`tongxin/${SITE}/${f}`, (topic, payload) => bus.push({ topic, body: JSON.parse(payload.toString()) }), 1);
  }
  // Node-RED's site node says so once its subscriptions stand (its log reaches the service's).
  await waitFor('Node-RED connected to the broker', () => logLines.some((l) => l.includes(`(site ${SITE}, `) && l.includes('subscriptions)')), 25_000, 100);
  clock.set(T0 + 90_000); // 21:00:30: the daily summary is due at the service's next tick (≤ 15 s)
  for (const [role, name] of Object.entries(staff)) await addStaff(app, name, role as 'admin' | 'staff' | 'committee');
  staffCookie = await loginCookie(app, staff.staff);
}, 40_000);

afterAll(async () => {
  await app?.stop();
  await hooks?.close();
  for (const k of HOOK_ENV) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
  removeDir?.();
});

/**
 * Node-RED's login: scope '*' as node-red-admin asks, '' as the editor asks (then the user gets what
 * their role allows). Each one is a staff login at the service, which allows 10 a minute from one
 * address: this file stays under that, or a refusal could come from the rate limit.
 */
const token = async (username: string, password = `${username}-password`, asEditor = false) => {
  const res = await fetch(`${nodeRed}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: asEditor ? 'node-red-editor' : 'node-red-admin', grant_type: 'password', scope: asEditor ? '' : '*', username, password }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { access_token?: string } | null };
};
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const basic = (u: string, p = `${u}-password`) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });
const hookCalls = (prefix: string) => hooks.calls.filter((c) => c.path.startsWith(prefix));
const phoneIn = (text: string) => text.includes(PHONE_A) || text.includes(PHONE_B);

describe('the shipped flows, in Node-RED run by the service', () => {
  it('keeps the editor and the admin API behind a staff login: admins edit, staff look, the committee stays out', async () => {
    for (const [method, path] of [['GET', '/flows'], ['POST', '/flows'], ['GET', '/settings'], ['GET', '/nodes'], ['POST', '/flow']] as const) {
      const res = await fetch(`${nodeRed}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '[]' } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    expect(await (await fetch(`${nodeRed}/auth/login`)).json()).toMatchObject({ type: 'credentials' });
    expect((await token(staff.admin, 'wrong-password')).status).toBe(403);
    expect((await token(staff.committee, undefined, true)).status).toBe(403);

    const look = await token(staff.staff, undefined, true);
    expect(look.status).toBe(200);
    expect((await fetch(`${nodeRed}/flows`, { headers: bearer(look.body!.access_token!) })).status).toBe(200);
    const staffDeploy = await fetch(`${nodeRed}/flows`, { method: 'POST', headers: { ...bearer(look.body!.access_token!), 'content-type': 'application/json' }, body: '[]' });
    expect(staffDeploy.status).toBe(401);

    const admin = await token(staff.admin);
    expect(admin.status).toBe(200);
    adminToken = admin.body!.access_token!;
    const flows = (await (await fetch(`${nodeRed}/flows`, { headers: bearer(admin.body!.access_token!) })).json()) as { type: string; id: string }[];
    // The shipped flows, as copied into the data folder on first start, flows intact after staffDeploy.
    expect(flows.filter((n) => n.type === 'tab').map((n) => n.id).sort()).toEqual(['tx-tab-alerts', 'tx-tab-garden', 'tx-tab-sms', 'tx-tab-summary']);
    const settings = (await (await fetch(`${nodeRed}/settings`, { headers: bearer(admin.body!.access_token!) })).json()) as any;
    expect(settings.externalModules?.palette?.allowInstall).toBe(false);
    expect(settings.user).toMatchObject({ username: staff.admin, permissions: '*' });
    // Our palette, loaded from flows/nodes, with its help in Chinese for a zh-CN editor.
    const nodes = (await (await fetch(`${nodeRed}/nodes`, { headers: { ...bearer(admin.body!.access_token!), accept: 'application/json' } })).json()) as { module: string; types: string[] }[];
    const ours = nodes.filter((n) => n.module === 'node-red-contrib-tongxin').flatMap((n) => n.types);
    expect(ours.sort()).toEqual(['tongxin ack', 'tongxin actuator', 'tongxin alert in', 'tongxin event in', 'tongxin sensor in', 'tongxin state in', 'tongxin-site']);
    const zh = await (await fetch(`${nodeRed}/nodes`, { headers: { ...bearer(admin.body!.access_token!), accept: 'text/html', 'accept-language': 'zh-CN' } })).text();
    expect(zh).toContain('data-help-name="tongxin alert in"');
    expect(zh).toContain('服务发出的告警');
  });

  it('posts a new bin-full alert to the group robot once, Chinese first, however often it is re-sent', async () => {
    const alert = app.alerts.raise({ kind: 'bin-full', subject: 'bin:p1-wet', severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet', detail: { fill: 93 } });
    expect(alert).toBeDefined();
    const call = await waitFor('the robot call', () => hookCalls('/robot/alerts')[0], 10_000);
    expect(call.path).toBe('/robot/alerts?key=k-alerts');
    expect(call.contentType).toContain('application/json');
    expect(call.body).toEqual({ msgtype: 'text', text: { content: expect.any(String) } });
    const published = await waitFor('the alert on the bus', () => bus.find((m) => m.topic === `tongxin/${SITE}/alert/bin-full`));
    const lines = (call.body.text.content as string).split('\n');
    expect(lines[0]).toBe(`【同Xin 警告】${published.body.message.zh}`);
    expect(lines[1]).toBe(published.body.message.en);
    expect(call.body.text.content).toContain('crew-wet-dry');
    expect(call.body.text.content).toContain(alert!.id);
    // The service re-sends an alert until it is acked: the robot still hears of it once.
    await app.mqtt.publish(published.topic, JSON.stringify(published.body), { qos: 1 });
    await app.mqtt.publish(published.topic, JSON.stringify(published.body), { qos: 1 });
    await new Promise((r) => setTimeout(r, 1000));
    expect(hookCalls('/robot/alerts')).toHaveLength(1);
  });

  it('texts a resident promoted from the waitlist through the SMS gateway, and never logs the number', async () => {
    const cookie = staffCookie;
    const created = await call(app, 'POST', '/api/admin/health/events', {
      cookie,
      body: {
        kind: 'doctor-consultation',
        title: { zh: '高血压咨询', en: 'Blood pressure consultation' },
        description: { zh: '社区医生答疑', en: 'Questions to a community doctor' },
        host: 'Dr Zhang Wei',
        place: { zh: '客厅健康角', en: 'Lounge health corner' },
        startsAt: T0 + 2 * DAY,
        endsAt: T0 + 2 * DAY + 120 * MIN,
        capacity: 2,
        signupOpensAt: T0 - 60 * MIN,
        signupClosesAt: T0 + 2 * DAY - 60 * MIN,
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { event } = (await created.json()) as { event: { id: number } };
    const signUp = async (phone: string) => (await call(app, 'POST', `/api/health/events/${event.id}/signups`, { body: { consent: true, phone, people: 2 } })).json() as Promise<any>;
    const a = await signUp(PHONE_A);
    const b = await signUp(PHONE_B);
    expect([a.status, b.status]).toEqual(['confirmed', 'waitlisted']);
    const cancelled = await call(app, 'POST', `/api/health/events/${event.id}/cancel`, { body: { lastFour: PHONE_A.slice(-4), code: a.code } });
    expect(cancelled.status).toBe(200);

    const sms = await waitFor('the SMS gateway call', () => hookCalls('/sms')[0], 10_000);
    expect(sms.body).toEqual({ phone: PHONE_B, text: expect.any(String) });
    expect(sms.body.text).toContain('高血压咨询');
    expect(sms.body.text).toContain('11月25日 20:59'); // Shanghai time
    expect(sms.body.text).toContain('客厅健康角');
    expect(sms.body.text).toContain('Blood pressure consultation');
    expect(sms.body.text).not.toContain(PHONE_B);
    await new Promise((r) => setTimeout(r, 500));
    expect(hookCalls('/sms')).toHaveLength(1);
    // The phone travelled on private/ only, and no log line (the service's or Node-RED's) holds it.
    expect(bus.filter((m) => phoneIn(JSON.stringify(m.body))).map((m) => m.topic)).toEqual([`tongxin/${SITE}/private/signup.promoted`]);
    expect(logLines.filter(phoneIn)).toEqual([]);
  });

  it('asks the service to water a dry bed that is not being watered, and the service does, within its limits', async () => {
    const cookie = staffCookie;
    // A run that has just ended holds automatic watering back (minIntervalMinutes): the bed will be
    // dry and idle, the case the flow is for.
    for (const state of ['on', 'auto']) {
      const res = await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { cookie, body: { state, minutes: 5 } });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    // Both probes read dry (raw 530 ≈ 10 %), as the garden node would publish them.
    const probe = await mqtt.connectAsync(app.mqttUrl, { clientId: `probe-${process.pid}`, reconnectPeriod: 0 });
    try {
      for (const s of ['soil-herbs-a', 'soil-herbs-b']) await probe.publishAsync(`tongxin/${SITE}/sensor/${s}/raw`, JSON.stringify({ value: 530 }), { qos: 1 });
    } finally {
      await probe.endAsync();
    }
    const request = await waitFor('the actuator request', () => bus.find((m) => m.topic === `tongxin/${SITE}/request/actuator/valve-herbs`), 10_000);
    expect(request.body).toEqual({ requestId: expect.any(String), state: 'on', minutes: 10, reason: 'node-red: bed dry' });
    const reply = await waitFor('the reply', () => bus.find((m) => m.topic === `tongxin/${SITE}/reply/${request.body.requestId}`));
    expect(reply.body).toMatchObject({ requestId: request.body.requestId, ok: true, detail: { bedId: 'bed-herbs', actuatorId: 'valve-herbs' } });
    await waitFor('bed-herbs watering', () => bus.some((m) => m.topic === `tongxin/${SITE}/garden/bed-herbs/state` && m.body.watering === true && m.body.mode === 'override-on'));
    // Asked once, although the state is re-published at every reading.
    expect(bus.filter((m) => m.topic.includes('/request/actuator/'))).toHaveLength(1);
  });

  it('keeps HTTP-in endpoints behind the staff logins (HTTP Basic)', async () => {
    const added = await fetch(`${nodeRed}/flow`, {
      method: 'POST',
      headers: { ...bearer(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({
        label: 'ping',
        nodes: [
          { id: 'ping-in', type: 'http in', url: '/tx-ping', method: 'get', wires: [['ping-out']] },
          { id: 'ping-out', type: 'http response', statusCode: '200', wires: [] },
        ],
      }),
    });
    expect(added.status, await added.clone().text()).toBe(200);
    await waitFor('the endpoint', async () => (await fetch(`${nodeRed}/tx-ping`, { headers: basic(staff.staff) })).status === 200, 5000, 100);
    const anonymous = await fetch(`${nodeRed}/tx-ping`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);
    expect((await fetch(`${nodeRed}/tx-ping`, { headers: basic(staff.staff, 'wrong-password') })).status).toBe(401);
    expect((await fetch(`${nodeRed}/tx-ping`, { headers: basic(staff.committee) })).status).toBe(401);
    expect((await fetch(`${nodeRed}/tx-ping`, { headers: basic(staff.admin) })).status).toBe(200);
    // Every refusal above was the login's own answer, not the service's rate limit on logins.
    expect(logLines.filter((l) => l.includes('rate-limiting'))).toEqual([]);
  });

  it('posts the 21:00 daily summary to the group robot', async () => {
    const call = await waitFor('the summary robot call', () => hookCalls('/robot/summary')[0], 25_000, 100);
    const event = bus.find((m) => m.topic === `tongxin/${SITE}/event/summary.daily`)!;
    expect(event.body).toMatchObject({ date: '2026-11-23', event: 'summary.daily' });
    const s = event.body as { visitors: number; signups: number; binsEmptied: number; openConcerns: number };
    expect(call.path).toBe('/robot/summary?key=k-summary');
    expect(call.body.msgtype).toBe('text');
    expect(call.body.text.content.split('\n')).toEqual([
      '【同Xin 每日小结 2026-11-23】',
      `访客 ${s.visitors} 人 · 报名 ${s.signups} 人次 · 清运 ${s.binsEmptied} 桶次 · 待处理议题 ${s.openConcerns} 件`,
      `Daily summary 2026-11-23: ${s.visitors} visitors, ${s.signups} sign-ups, ${s.binsEmptied} bins emptied, ${s.openConcerns} open concerns`,
    ]);
  });
});
