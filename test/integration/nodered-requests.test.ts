import mqtt, { type MqttClient } from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import type { CrewAlertPayload, ReplyPayload, SensorValuePayload } from '../../src/contract/payloads.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { CREW_PASSWORD, crewPhone, demoCrewUsers } from '../helpers/crew.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { noderedLogin, noderedUser } from '../helpers/nodered.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * Node-RED's side of the contract against the real service and broker: a client with Node-RED's
 * role asks for valves and alerts on `request/…` and reads the answers on `reply/<requestId>`; the
 * service applies its own rules (the garden's override, its caps, rain and quiet times; lids only by
 * the schedule), and every calibrated reading comes out on `sensor/<id>/value`.
 * Demo site, with a rain gauge added: overrides capped at 60 min; no watering Saturdays 09:00–11:30.
 */
const SITE = 'xianxia-demo';
const root = `tongxin/${SITE}`;
const MIN = 60_000;
// Monday 30 November 2026, 08:00 in Shanghai (UTC+8).
const T0 = Date.UTC(2026, 10, 30, 0, 0);
const SATURDAY_10 = Date.UTC(2026, 11, 5, 2, 0);
const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const [nodered, crews] = await Promise.all([noderedUser(), demoCrewUsers()]);
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = [nodered, ...crews];
    doc.sensors.push({ id: 'rain-gauge', device: 'garden-node', kind: 'rain', unit: '' });
    doc.garden.watering.rainSensor = 'rain-gauge';
  });
});

/** Node-RED as the broker sees it: its own role, reading its site, answers kept by requestId. */
class NodeRed {
  readonly replies = new Map<string, ReplyPayload[]>();
  readonly messages: { topic: string; payload: string }[] = [];
  private n = 0;
  constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => {
      this.messages.push({ topic, payload: payload.toString() });
      if (!topic.startsWith(`${root}/reply/`)) return;
      const r = JSON.parse(payload.toString()) as ReplyPayload;
      this.replies.set(r.requestId, [...(this.replies.get(r.requestId) ?? []), r]);
    });
  }
  static async connect(app: RunningApp) {
    const client = await mqtt.connectAsync(app.mqttUrl, { ...noderedLogin, reconnectPeriod: 0 });
    const granted = await client.subscribeAsync([`${root}/reply/#`, `${root}/actuator/+/set`, `${root}/sensor/+/value`], { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1, 1, 1]);
    return new NodeRed(client);
  }
  /** Publishes a request and waits for its reply. */
  async ask(path: string, body: Record<string, unknown>): Promise<ReplyPayload> {
    const requestId = (body.requestId as string | undefined) ?? `req-${++this.n}`;
    const before = this.replies.get(requestId)?.length ?? 0;
    await this.client.publishAsync(`${root}/request/${path}`, JSON.stringify({ requestId, ...body }), { qos: 1 });
    return waitFor(`reply to ${requestId}`, () => this.replies.get(requestId)?.[before]);
  }
  commands(valve: string) {
    return this.messages.filter((m) => m.topic === `${root}/actuator/${valve}/set`).map((m) => (JSON.parse(m.payload) as { state: string; reason: string }));
  }
}

async function boot(clock: ManualClock) {
  const { dir, remove } = tempDir();
  defer(remove);
  const { app, logLines } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock });
  defer(() => app.stop());
  const nodered = await NodeRed.connect(app);
  defer(() => nodered.client.endAsync());
  return { app, nodered, logLines };
}

const bed = async (app: RunningApp, id: string) =>
  ((await (await fetch(`${app.httpUrl}/api/garden`)).json()) as { beds: { bedId: string; mode: string; watering: boolean; overrideUntil: string | null }[] }).beds.find((b) => b.bedId === id);

describe('Node-RED asks for actuators; the service applies its own rules', () => {
  it('a valve request is a garden override: capped, audited as node-red, answered on reply/<requestId>', async () => {
    const clock = createManualClock(T0);
    const { app, nodered } = await boot(clock);

    const on = await nodered.ask('actuator/valve-herbs', { state: 'on', minutes: 600, reason: 'bed-herbs is dry' });
    expect(on).toMatchObject({ ok: true, detail: { bedId: 'bed-herbs', actuatorId: 'valve-herbs', override: { state: 'on', minutes: 60, capped: true, until: new Date(T0 + 60 * MIN).toISOString() } } });
    await waitFor('the valve commanded on', () => nodered.commands('valve-herbs').some((c) => c.state === 'on' && c.reason === 'override'));
    expect(await bed(app, 'bed-herbs')).toMatchObject({ mode: 'override-on', watering: true });

    // QoS 1 may deliver a request twice: the same answer again, and the override is not set twice.
    const again = await nodered.ask('actuator/valve-herbs', { requestId: on.requestId, state: 'on', minutes: 600 });
    expect(again).toEqual(on);
    expect(app.counters.get('nodered_requests_repeated')).toBe(1);

    const auto = await nodered.ask('actuator/valve-herbs', { state: 'auto' });
    expect(auto).toMatchObject({ ok: true, detail: { override: null } });
    expect(await bed(app, 'bed-herbs')).toMatchObject({ mode: 'auto', overrideUntil: null });

    await addStaff(app, 'ada', 'admin');
    const audit = (await (await call(app, 'GET', '/api/staff/audit?limit=50', { cookie: await loginCookie(app, 'ada') })).json()) as { entries: { actor: string; action: string; target: string; detail: Record<string, unknown> }[] };
    const overrides = audit.entries.filter((e) => e.action === 'garden.override').reverse();
    expect(overrides.map((e) => [e.actor, e.target, e.detail.state, e.detail.requestId])).toEqual([
      ['node-red', 'bed:bed-herbs', 'on', on.requestId],
      ['node-red', 'bed:bed-herbs', 'auto', auto.requestId],
    ]);
    expect(overrides[0]?.detail).toMatchObject({ minutes: 60, reason: 'bed-herbs is dry' });
  });

  it('refuses lids, unknown actuators, states a valve does not have, and watering in the rain or a quiet time', async () => {
    const clock = createManualClock(T0);
    const { app, nodered } = await boot(clock);
    const anon = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => anon.endAsync());

    expect(await nodered.ask('actuator/lid-p1-wet', { state: 'open' })).toMatchObject({ ok: false, reason: 'lids-follow-the-schedule' });
    expect(await nodered.ask('actuator/no-such-valve', { state: 'on' })).toMatchObject({ ok: false, reason: 'unknown-actuator' });
    expect(await nodered.ask('actuator/valve-herbs', { state: 'flood' })).toMatchObject({ ok: false, reason: 'bad-state' });

    // Rain: a gauge reading ≥ 1 holds every bed; turning a valve off is still fine.
    const accepted = app.counters.total('readings_accepted');
    await anon.publishAsync(`${root}/sensor/rain-gauge/raw`, JSON.stringify({ value: 1, at: clock.now() }), { qos: 1 });
    await waitFor('the rain reading', () => app.counters.total('readings_accepted') > accepted);
    expect(await nodered.ask('actuator/valve-nectar', { state: 'on', minutes: 5 })).toMatchObject({ ok: false, reason: 'raining', detail: { bedId: 'bed-nectar' } });
    expect(await nodered.ask('actuator/valve-nectar', { state: 'off', minutes: 5 })).toMatchObject({ ok: true });
    await anon.publishAsync(`${root}/sensor/rain-gauge/raw`, JSON.stringify({ value: 0, at: clock.now() + 1 }), { qos: 1 });
    await waitFor('the dry reading', () => app.counters.total('readings_accepted') > accepted + 1);

    // The Saturday outdoor class is a quiet time.
    clock.set(SATURDAY_10);
    expect(await nodered.ask('actuator/valve-nectar', { state: 'on', minutes: 5 })).toMatchObject({ ok: false, reason: 'quiet-time' });
    clock.set(SATURDAY_10 + 2 * 60 * MIN);
    expect(await nodered.ask('actuator/valve-nectar', { state: 'on', minutes: 5 })).toMatchObject({ ok: true, detail: { override: { state: 'on', minutes: 5 } } });

    // Only the last request turned a valve on; every refusal was counted under its reason.
    await waitFor('valve-nectar on', () => nodered.commands('valve-nectar').some((c) => c.state === 'on'));
    expect(nodered.commands('valve-nectar').filter((c) => c.state === 'on')).toHaveLength(1);
    for (const reason of ['lids-follow-the-schedule', 'unknown-actuator', 'bad-state', 'raining', 'quiet-time']) expect(app.counters.get('nodered_requests', reason), reason).toBe(1);
  });

  it('counts and logs a malformed request, and refuses it on its reply topic when it has a requestId', async () => {
    const clock = createManualClock(T0);
    const { app, nodered, logLines } = await boot(clock);
    const refused = await nodered.ask('actuator/valve-herbs', { requestId: 'bad-1', state: 'on', minutes: -5 });
    expect(refused).toMatchObject({ ok: false, reason: 'malformed', detail: { reason: 'schema' } });
    await nodered.client.publishAsync(`${root}/request/actuator/valve-herbs`, 'not json', { qos: 1 });
    await nodered.client.publishAsync(`${root}/request/alert/some-alert`, JSON.stringify({ requestId: 'bad-2', action: 'escalate' }), { qos: 1 });
    await waitFor('the alert request refused', () => nodered.replies.get('bad-2'));
    expect(nodered.replies.get('bad-2')?.[0]).toMatchObject({ ok: false, reason: 'malformed' });
    await waitFor('counted', () => app.counters.get('nodered_requests_rejected', 'not-json') === 1);
    expect(app.counters.get('nodered_requests_rejected', 'schema')).toBe(2);
    expect(logLines.filter((l) => l.includes('Node-RED request rejected'))).toHaveLength(3);
    expect(logLines.some((l) => l.includes('"reason":"not-json"'))).toBe(true);
    // Only the two with a requestId were answered.
    expect([...nodered.replies.keys()].sort()).toEqual(['bad-1', 'bad-2']);
    expect(await bed(app, 'bed-herbs')).toMatchObject({ mode: 'auto' });
  });
});

describe('Node-RED acks and resolves alerts through the service', () => {
  it('an ack is recorded as node-red and reaches the crew; a resolve carries the note', async () => {
    const clock = createManualClock(T0);
    const { app, nodered } = await boot(clock);
    const phone = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', CREW_PASSWORD, { clean: true });
    defer(() => phone.close());
    const raised = app.alerts.raise({ kind: 'bin-full', subject: 'bin:p1-wet', severity: 'warning', category: 'wet', pointId: 'p1', binId: 'p1-wet', detail: { fill: 93 } });
    if (!raised) throw new Error('no alert raised');
    await waitFor('the crew got the alert', () => phone.shown().get(raised.id));

    expect(await nodered.ask(`alert/${raised.id}`, { action: 'ack' })).toMatchObject({ ok: true, detail: { alertId: raised.id, state: 'acked', changed: true } });
    expect(await nodered.ask(`alert/${raised.id}`, { action: 'ack' })).toMatchObject({ ok: true, detail: { changed: false } });
    await waitFor('the crew sees it acked by node-red', () => phone.received.find((a: CrewAlertPayload) => a.alertId === raised.id && a.state === 'acked'));
    expect(phone.shown().get(raised.id)).toMatchObject({ state: 'acked', ackedBy: 'node-red' });

    expect(await nodered.ask(`alert/${raised.id}`, { action: 'resolve', note: 'emptied by the caretaker' })).toMatchObject({ ok: true, detail: { state: 'resolved', changed: true } });
    await waitFor('the crew sees it resolved', () => phone.shown().get(raised.id)?.state === 'resolved');
    expect(phone.shown().get(raised.id)).toMatchObject({ resolution: 'emptied by the caretaker' });
    expect(app.alerts.history(raised.id).map((h) => [h.event, h.actor])).toEqual([
      ['raised', null],
      ['acked', 'node-red'],
      ['resolved', 'node-red'],
    ]);
    expect(await nodered.ask(`alert/${raised.id}`, { action: 'ack' })).toMatchObject({ ok: false, reason: 'already-resolved' });
    expect(await nodered.ask('alert/no-such-alert', { action: 'resolve' })).toMatchObject({ ok: false, reason: 'unknown-alert' });
  });
});

describe('calibrated values for Node-RED', () => {
  it('every accepted reading comes out on sensor/<id>/value as /api/sensors shows it', async () => {
    const clock = createManualClock(T0);
    const { app, nodered } = await boot(clock);
    const anon = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => anon.endAsync());
    await anon.publishAsync(`${root}/sensor/soil-herbs-a/raw`, JSON.stringify([{ value: 405, at: T0 - MIN }, { value: 374, at: T0 }]), { qos: 1 });
    await anon.publishAsync(`${root}/sensor/no-such-sensor/raw`, '500', { qos: 1 });
    const values = await waitFor('two values', () => {
      const v = nodered.messages.filter((m) => m.topic.endsWith('/value')).map((m) => ({ topic: m.topic, body: JSON.parse(m.payload) as SensorValuePayload }));
      return v.length >= 2 ? v : undefined;
    });
    expect(values).toEqual([
      { topic: `${root}/sensor/soil-herbs-a/value`, body: { sensorId: 'soil-herbs-a', kind: 'soil-moisture', value: 50, unit: '%', at: new Date(T0 - MIN).toISOString() } },
      { topic: `${root}/sensor/soil-herbs-a/value`, body: { sensorId: 'soil-herbs-a', kind: 'soil-moisture', value: 60, unit: '%', at: new Date(T0).toISOString() } },
    ]);
    const shown = ((await (await fetch(`${app.httpUrl}/api/sensors`)).json()) as { sensors: { id: string; value: number }[] }).sensors.find((s) => s.id === 'soil-herbs-a');
    expect(shown?.value).toBe(60);
  });
});

describe('the daily summary for Node-RED', () => {
  it('goes out once at 21:00 through the outbox, and a restart that evening does not send it again', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0 + 13 * 60 * MIN + 30_000); // Monday 21:00:30
    const summaries = (app: RunningApp) =>
      app.store.db.prepare("SELECT payload, sent_at AS sentAt FROM outbox WHERE topic = ? ORDER BY id").all(`${root}/event/summary.daily`) as { payload: string; sentAt: number | null }[];
    let { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock });
    // Published (acknowledged by the broker), not only queued.
    const [sent] = await waitFor('the summary published', () => (summaries(app)[0]?.sentAt ? summaries(app) : undefined));
    expect(JSON.parse(sent?.payload as string)).toEqual({ date: '2026-11-30', visitors: 0, signups: 0, binsEmptied: 0, openConcerns: 0, event: 'summary.daily', at: new Date(clock.now()).toISOString() });
    await app.stop();

    clock.advance(40 * MIN);
    ({ app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock }));
    defer(() => app.stop());
    expect(summaries(app)).toHaveLength(1);
    expect(app.counters.get('daily_summaries_sent')).toBe(0);
  });
});
