import { hash } from '@node-rs/argon2';
import { Ajv } from 'ajv';
import mqtt, { type MqttClient } from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { GardenStatePayload } from '../../src/contract/payloads.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { startSimulator } from '../../src/sim/simulator.js';
import { demoConfigWith, memoryLogger, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { openSse } from '../helpers/sse.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * The garden end to end over real MQTT: a client plays the garden node (its soil probes publish raw
 * ADC counts, its valves answer their commands), staff use the admin API, the test drives the clock.
 * A bed is stepped on each reading of its probes, so a reading after a clock jump is what makes the
 * service look at the new time (its own tick runs every 5 s of real time as well).
 * Demo site: probes 560 counts dry … 250 wet, valid 150–700; watering low 30 %, high 45 %, max run
 * 15 min, 120 min between runs, stuck after 10 min without +2 %; no watering Saturdays 09:00–11:30.
 */
const SITE = 'xianxia-demo';
const MIN = 60_000;
// Monday 30 November 2026, 08:00 in Shanghai (UTC+8).
const T0 = Date.UTC(2026, 10, 30, 0, 0);
const PROBES = ['classroom', 'nectar', 'medicinal', 'herbs'].flatMap((b) => [`soil-${b}-a`, `soil-${b}-b`]);
const VALVES = ['valve-classroom', 'valve-nectar', 'valve-medicinal', 'valve-herbs'];
const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const passwordHash = await hash('garden-node-secret');
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = [{ username: 'garden', passwordHash, role: 'device', device: 'garden-node' }];
    // The test jumps days ahead; the node must not be called offline for that alone.
    doc.devices.find((d: { id: string }) => d.id === 'garden-node').offlineAfterSeconds = 30 * 24 * 3600;
  });
});

/** moisture % → the raw ADC count the demo's probes send */
const raw = (moisture: number) => Math.round((560 - 3.1 * moisture) * 10) / 10;

interface Command { valve: string; state: string; reason: string }

/** The garden node: publishes its probes, answers valve commands when `answer` is on. */
class GardenNode {
  readonly commands: Command[] = [];
  answer = true;
  /** probes that do not report */
  readonly silent = new Set<string>();
  private readonly moisture = new Map(PROBES.map((p) => [p, 50]));
  private readonly raws = new Map<string, number>();
  constructor(
    readonly client: MqttClient,
    private readonly clock: ManualClock,
    private readonly app: RunningApp,
  ) {
    client.on('message', (topic, payload) => {
      const valve = topic.split('/')[3] as string;
      const c = JSON.parse(payload.toString()) as Command;
      this.commands.push({ valve, state: c.state, reason: c.reason });
      if (this.answer) void client.publish(`tongxin/${SITE}/actuator/${valve}/state`, JSON.stringify({ state: c.state }), { qos: 1, retain: true });
    });
  }
  static async connect(app: RunningApp, clock: ManualClock) {
    const client = await mqtt.connectAsync(app.mqttUrl, { username: 'garden', password: 'garden-node-secret', clientId: 'garden-node-test', reconnectPeriod: 0 });
    await client.subscribeAsync(VALVES.map((v) => `tongxin/${SITE}/actuator/${v}/set`), { qos: 1 });
    return new GardenNode(client, clock, app);
  }
  /** Sets some probes (moisture %, or a raw count with `raw:`), then every probe reports, after `advanceMs`. */
  async report(advanceMs: number, set: Record<string, number> = {}, rawSet: Record<string, number> = {}) {
    for (const [p, m] of Object.entries(set)) (this.moisture.set(p, m), this.raws.delete(p));
    for (const [p, r] of Object.entries(rawSet)) this.raws.set(p, r);
    this.clock.advance(advanceMs);
    const reporting = PROBES.filter((p) => !this.silent.has(p));
    const target = this.app.counters.total('readings_accepted') + reporting.length;
    for (const p of reporting) {
      const value = this.raws.get(p) ?? raw(this.moisture.get(p) as number);
      await this.client.publishAsync(`tongxin/${SITE}/sensor/${p}/raw`, JSON.stringify({ value, at: this.clock.now() }), { qos: 1 });
    }
    await waitFor('readings taken in', () => this.app.counters.total('readings_accepted') >= target);
  }
  /** Waits for a command to a valve matching state and reason. */
  command(valve: string, state: string, reason?: string) {
    return waitFor(`${valve} ${state}${reason ? `/${reason}` : ''}`, () => this.commands.find((c) => c.valve === valve && c.state === state && (reason === undefined || c.reason === reason)));
  }
}

interface BedJson { bedId: string; moisture: number | null; level: string; watering: boolean; mode: string; reason: string; overrideUntil: string | null; probes: Record<string, { value: number | null; trusted: boolean; fault?: string }>; valve: { reported: string | null } | null }
const bed = async (app: RunningApp, id: string) => {
  const body = (await (await fetch(`${app.httpUrl}/api/garden`)).json()) as { beds: BedJson[] };
  return body.beds.find((b) => b.bedId === id) as BedJson;
};
const runs = async (app: RunningApp, id: string) =>
  ((await (await fetch(`${app.httpUrl}/api/garden/beds/${id}/runs?days=30`)).json()) as { runs: { startReason: string; endReason: string | null; moistureBefore: number; moistureAfter: number | null; minutes: number | null }[] }).runs;

async function boot(clock: ManualClock, dir: string) {
  const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock });
  defer(() => app.stop());
  const node = await GardenNode.connect(app, clock);
  defer(() => node.client.endAsync());
  return { app, node };
}

describe('garden: watering with hysteresis', () => {
  it('waters a dry bed up to the high mark, waits between runs, keeps quiet times, and cuts a long run', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const { app, node } = await boot(clock, dir);
    const live = await openSse(`${app.httpUrl}/api/live`);
    defer(() => live.close());
    const watcher = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => watcher.endAsync());
    const states: { watering: boolean; reason: string }[] = [];
    watcher.on('message', (_t, p) => states.push(JSON.parse(p.toString()) as { watering: boolean; reason: string }));
    await watcher.subscribeAsync(`tongxin/${SITE}/garden/bed-classroom/state`, { qos: 1 });

    // Every bed moist: nothing to do; the node, seen for the first time, is told its valves are off.
    await node.report(MIN);
    await node.command('valve-classroom', 'off');
    expect(await bed(app, 'bed-classroom')).toMatchObject({ moisture: 50, level: 'ok', watering: false, mode: 'auto', reason: 'ok' });
    expect(node.commands.every((c) => c.state === 'off')).toBe(true);

    // The classroom bed dries below 30 %: its valve opens.
    await node.report(MIN, { 'soil-classroom-a': 29, 'soil-classroom-b': 29.4 });
    expect(await node.command('valve-classroom', 'on', 'dry')).toBeDefined();
    await waitFor('valve reports on', async () => (await bed(app, 'bed-classroom')).valve?.reported === 'on');
    expect(await bed(app, 'bed-classroom')).toMatchObject({ level: 'dry', watering: true, reason: 'dry' });
    await waitFor('live garden event', () => live.events.some((e) => e.event === 'garden' && (e.data as { bedId: string; watering: boolean }).bedId === 'bed-classroom' && (e.data as { watering: boolean }).watering));

    // Moisture rises; between the marks it keeps watering, and the level leaves dry only 3 % past the mark.
    await node.report(2 * MIN, { 'soil-classroom-a': 31, 'soil-classroom-b': 32 });
    expect(await bed(app, 'bed-classroom')).toMatchObject({ level: 'dry', watering: true });
    await node.report(2 * MIN, { 'soil-classroom-a': 40, 'soil-classroom-b': 41 });
    expect(await bed(app, 'bed-classroom')).toMatchObject({ level: 'ok', watering: true });
    expect(node.commands.filter((c) => c.valve === 'valve-classroom' && c.state === 'on')).toHaveLength(1);
    await node.report(2 * MIN, { 'soil-classroom-a': 45, 'soil-classroom-b': 46 });
    expect(await node.command('valve-classroom', 'off', 'high-reached')).toBeDefined();
    const first = await runs(app, 'bed-classroom');
    expect(first).toEqual([{ startedAt: expect.any(String), endedAt: expect.any(String), startReason: 'dry', endReason: 'high-reached', minutes: 6, moistureBefore: 29.2, moistureAfter: 45.5 }]);
    await waitFor('retained state says it stopped', () => states.some((s) => !s.watering && s.reason === 'high-reached'));

    // Dry again 30 minutes later: too soon after the last run.
    await node.report(30 * MIN, { 'soil-classroom-a': 25, 'soil-classroom-b': 25 });
    expect(await bed(app, 'bed-classroom')).toMatchObject({ level: 'dry', watering: false, reason: 'min-interval' });

    // Saturday 09:30, the outdoor class: no watering until 11:30.
    clock.set(Date.UTC(2026, 11, 5, 1, 30));
    await node.report(0);
    expect(await bed(app, 'bed-classroom')).toMatchObject({ watering: false, reason: 'quiet-time' });
    await node.report(119 * MIN);
    expect(await bed(app, 'bed-classroom')).toMatchObject({ watering: false, reason: 'quiet-time' });
    node.commands.length = 0;
    await node.report(MIN); // 11:30
    expect(await node.command('valve-classroom', 'on', 'dry')).toBeDefined();

    // The water runs off somewhere: the bed gets wetter, but slowly; the run is cut at 15 minutes.
    for (const m of [26, 27.5, 28, 29, 30, 31, 32]) await node.report(2 * MIN, { 'soil-classroom-a': m, 'soil-classroom-b': m });
    expect(await bed(app, 'bed-classroom')).toMatchObject({ watering: true });
    await node.report(MIN); // 15 minutes
    expect(await node.command('valve-classroom', 'off', 'max-run')).toBeDefined();
    expect((await runs(app, 'bed-classroom'))[0]).toMatchObject({ startReason: 'dry', endReason: 'max-run', minutes: 15 });

    // What was retained is a valid garden/<bedId>/state.
    const check = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => check.endAsync());
    const retained = new Promise<unknown>((resolve) => check.on('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    await check.subscribeAsync(`tongxin/${SITE}/garden/bed-classroom/state`, { qos: 1 });
    const state = await retained;
    expect(new Ajv({ strict: false }).validate(GardenStatePayload, state)).toBe(true);
    expect(state).toMatchObject({ bedId: 'bed-classroom', watering: false, mode: 'auto', lastRun: { endReason: 'max-run' } });
    // No alert: jumping to Saturday, each probe looked stale for the instant before it reported, which
    // is a node coming back, not a faulty probe.
    expect(app.alerts.list('all')).toEqual([]);
  });
});

describe('garden: staff override', () => {
  it('turns a valve on from the admin API, ends by itself, is audited, and survives a restart', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const { app, node } = await boot(clock, dir);
    await node.report(MIN);
    const { username } = await addStaff(app, 'gardener', 'staff');
    const cookie = await loginCookie(app, username);

    // Only staff, only valid input.
    expect((await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { body: { state: 'on' } })).status).toBe(401);
    const bad = await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { cookie, body: { state: 'flood', minutes: -1 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('TX_BAD_REQUEST');
    expect((await call(app, 'POST', '/api/garden/beds/bed-rose/override', { cookie, body: { state: 'on' } })).status).toBe(404);

    // The herb bed is moist (50 %), but staff want it watered for 5 minutes.
    const res = await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { cookie, body: { state: 'on', minutes: 5 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { override: { until: string; capped: boolean }; bed: BedJson };
    expect(body.override).toMatchObject({ state: 'on', minutes: 5, capped: false, until: new Date(clock.now() + 5 * MIN).toISOString() });
    expect(body.bed).toMatchObject({ watering: true, mode: 'override-on', reason: 'override' });
    expect(await node.command('valve-herbs', 'on', 'override')).toBeDefined();

    // 5 minutes later it has ended by itself: the valve is told off and the bed is automatic again.
    await node.report(4 * MIN);
    expect(await bed(app, 'bed-herbs')).toMatchObject({ watering: true, mode: 'override-on' });
    await node.report(MIN);
    expect(await node.command('valve-herbs', 'off', 'override')).toBeDefined();
    expect(await bed(app, 'bed-herbs')).toMatchObject({ watering: false, mode: 'auto', overrideUntil: null });
    expect((await runs(app, 'bed-herbs'))[0]).toMatchObject({ startReason: 'override', endReason: 'override', minutes: 5 });

    // Asking for 10 hours gets overrideMaxMinutes (60); and the change is in the audit log.
    const long = (await (await call(app, 'POST', '/api/garden/beds/bed-herbs/override', { cookie, body: { state: 'off', minutes: 600 } })).json()) as { override: { minutes: number; capped: boolean } };
    expect(long.override).toMatchObject({ minutes: 60, capped: true });
    await addStaff(app, 'boss', 'admin');
    const audit = (await (await call(app, 'GET', '/api/staff/audit', { cookie: await loginCookie(app, 'boss') })).json()) as { entries: { action: string; target: string; actor?: string }[] };
    expect(audit.entries.filter((e) => e.action === 'garden.override').map((e) => e.target)).toEqual(['bed:bed-herbs', 'bed:bed-herbs']);

    // A forgotten override-on waters for at most maxRunMinutes (15) however long it was asked for.
    node.commands.length = 0;
    await call(app, 'POST', '/api/garden/beds/bed-nectar/override', { cookie, body: { state: 'on', minutes: 60 } });
    await node.command('valve-nectar', 'on', 'override');
    await node.report(15 * MIN, { 'soil-nectar-a': 55, 'soil-nectar-b': 55 });
    expect(await node.command('valve-nectar', 'off', 'max-run')).toBeDefined();
    await node.report(10 * MIN);
    expect(await bed(app, 'bed-nectar')).toMatchObject({ watering: false, mode: 'override-on', reason: 'max-run' });

    // The off override on the herbs survives a restart, with its end time.
    const until = (await bed(app, 'bed-herbs')).overrideUntil;
    await app.stop();
    await node.client.endAsync();
    const again = await boot(clock, dir);
    await again.node.report(MIN, { 'soil-herbs-a': 20, 'soil-herbs-b': 20 });
    expect(await bed(again.app, 'bed-herbs')).toMatchObject({ mode: 'override-off', watering: false, overrideUntil: until });
    expect(again.node.commands.some((c) => c.valve === 'valve-herbs' && c.state === 'on')).toBe(false);
  });
});

describe('garden: faults', () => {
  it('a valve that does not water is reported stuck, closed, and not retried until the bed gets wetter', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const { app, node } = await boot(clock, dir);
    await addStaff(app, 'gardener', 'staff');
    const cookie = await loginCookie(app, 'gardener');
    const alerts = async (state = 'active') => ((await (await call(app, 'GET', `/api/alerts?state=${state}`, { cookie })).json()) as { alerts: { alertId: string; kind: string; state: string; detail: { valveId?: string; sensorId?: string; fault?: string } }[] }).alerts;

    // The node does not answer the first command: it is sent again after 30 s.
    node.answer = false;
    await node.report(MIN, { 'soil-nectar-a': 25, 'soil-nectar-b': 25 });
    await node.command('valve-nectar', 'on', 'dry');
    await node.report(30_000);
    await waitFor('command re-sent', () => node.commands.filter((c) => c.valve === 'valve-nectar' && c.state === 'on').length === 2);
    // The node's bridge says it could not carry the command out: counted and logged (and re-sent later).
    await node.client.publishAsync(`tongxin/${SITE}/actuator/valve-nectar/state`, JSON.stringify({ state: 'unknown', failed: { requested: 'on', reason: 'no-ack' } }), { qos: 1 });
    await waitFor('failure counted', () => app.counters.get('valve_commands_failed', 'no-ack') === 1);
    expect(((await bed(app, 'bed-nectar')) as unknown as { valve: { failedCommands: number; reported: string | null } }).valve).toMatchObject({ failedCommands: 1, reported: null });
    node.answer = true;

    // Ten minutes of "on" and the bed is no wetter: valve-stuck, and the valve is told off.
    for (let i = 0; i < 4; i++) await node.report(2 * MIN);
    expect(await alerts()).toEqual([]);
    await node.report(2 * MIN);
    expect(await node.command('valve-nectar', 'off', 'valve-stuck')).toBeDefined();
    const [stuck] = await alerts();
    expect(stuck).toMatchObject({ kind: 'valve-stuck', state: 'open', detail: { valveId: 'valve-nectar' } });
    expect((await bed(app, 'bed-nectar')) as unknown).toMatchObject({ watering: false, reason: 'valve-stuck', valve: { stuckSince: expect.any(String) } });

    // Hours later the bed is still dry, but the valve is not tried again by itself.
    node.commands.length = 0;
    await node.report(3 * 60 * MIN);
    expect(await bed(app, 'bed-nectar')).toMatchObject({ watering: false, reason: 'valve-stuck' });
    expect(node.commands.some((c) => c.valve === 'valve-nectar' && c.state === 'on')).toBe(false);

    // A volunteer fixes it and waters by hand: the bed gets wetter, the alert resolves, automatic watering resumes.
    await node.report(MIN, { 'soil-nectar-a': 27.5, 'soil-nectar-b': 27.5 });
    await waitFor('stuck resolved', async () => (await alerts('all')).find((a) => a.alertId === stuck?.alertId)?.state === 'resolved');
    expect(await node.command('valve-nectar', 'on', 'dry')).toBeDefined();
    expect(app.counters.get('valve_commands_resent')).toBeGreaterThanOrEqual(1);
  });

  it('a probe reading outside its valid range is not trusted: the bed uses its other probe, and probe-faulty is raised and resolved', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const { app, node } = await boot(clock, dir);
    await addStaff(app, 'gardener', 'staff');
    const cookie = await loginCookie(app, 'gardener');

    // Probe a out of the soil reads 1023 counts (valid 150–700); b reads 25 %: the bed is dry by b alone.
    await node.report(MIN, { 'soil-medicinal-b': 25 }, { 'soil-medicinal-a': 1023 });
    const b = await bed(app, 'bed-medicinal');
    expect(b).toMatchObject({ moisture: 25, level: 'dry', watering: true, probes: { 'soil-medicinal-a': { trusted: false, fault: 'impossible-value' }, 'soil-medicinal-b': { value: 25, trusted: true } } });
    const alert = await waitFor('probe-faulty', async () =>
      ((await (await call(app, 'GET', '/api/alerts', { cookie })).json()) as { alerts: { kind: string; state: string; detail: { sensorId: string; fault: string }; message: { zh: string; en: string }; crews: string[] }[] }).alerts.find((a) => a.kind === 'probe-faulty'),
    );
    expect(alert).toMatchObject({ state: 'open', detail: { sensorId: 'soil-medicinal-a', fault: 'impossible-value' }, crews: ['supervisor'] });
    expect(alert.message.en).toContain('probe');
    expect(alert.message.zh).toContain('探头');

    // Both probes bad: no trusted probe, the valve closes.
    await node.report(MIN, {}, { 'soil-medicinal-b': 20 });
    expect(await bed(app, 'bed-medicinal')).toMatchObject({ moisture: null, level: 'unknown', watering: false, reason: 'no-trusted-probe' });
    expect(await node.command('valve-medicinal', 'off', 'no-trusted-probe')).toBeDefined();

    // Pushed back into the soil, probe a is trusted again and its alert resolves.
    await node.report(MIN, { 'soil-medicinal-a': 40, 'soil-medicinal-b': 41 });
    expect(await bed(app, 'bed-medicinal')).toMatchObject({ moisture: 40.5, probes: { 'soil-medicinal-a': { trusted: true } } });
    await waitFor('probe alerts resolved', () => app.alerts.list('active').filter((a) => a.kind === 'probe-faulty').length === 0);
    expect(app.alerts.list('all').filter((a) => a.kind === 'probe-faulty').map((a) => a.subject).sort()).toEqual(['probe:soil-medicinal-a', 'probe:soil-medicinal-b']);
  });

  it('a probe that falls silent while its node reports goes stale: the bed uses the other, and it is reported', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const { app, node } = await boot(clock, dir);
    await node.report(MIN, { 'soil-herbs-a': 48, 'soil-herbs-b': 52 });
    node.silent.add('soil-herbs-b');
    for (let i = 0; i < 3; i++) await node.report(10 * MIN); // 30 minutes: not yet stale
    expect((await bed(app, 'bed-herbs')).probes['soil-herbs-b']).toEqual({ value: 52, trusted: true });
    await node.report(10 * MIN);
    expect(await bed(app, 'bed-herbs')).toMatchObject({ moisture: 48, probes: { 'soil-herbs-b': { value: 52, trusted: false, fault: 'stale' } } });
    expect(app.alerts.list('all')).toEqual([]); // silence must last a minute more before it is called a fault
    await node.report(MIN);
    expect(app.alerts.list('active')).toMatchObject([{ kind: 'probe-faulty', subject: 'probe:soil-herbs-b', detail: { fault: 'stale' } }]);
    node.silent.delete('soil-herbs-b');
    await node.report(MIN);
    expect(app.alerts.list('active')).toEqual([]);
  });
});

describe('garden: the demo simulator', () => {
  it('simulated beds dry out, and an open valve wets them: watered up to the high mark in one step', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const clock = createManualClock(T0);
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock });
    defer(() => app.stop());
    // The simulator, stepped by hand on the same clock; its garden node logs in as the test's garden user.
    const sim = await startSimulator({
      config: app.config,
      url: app.mqttUrl,
      clock,
      log: memoryLogger().log,
      publishStatus: false,
      intervalMs: 3_600_000,
      speed: 60, // one simulated hour per minute
      seed: 7,
      credentials: (id) => (id === 'garden-node' ? { username: 'garden', password: 'garden-node-secret', clientId: 'sim-garden-node' } : undefined),
    });
    defer(() => sim.stop());
    const step = async () => {
      const target = app.counters.total('readings_accepted') + 20; // 8 probes, 8 bins, 4 door counters
      clock.advance(MIN);
      await sim.tick();
      await waitFor('simulated readings', () => app.counters.total('readings_accepted') >= target);
    };
    let id: string | undefined;
    for (let i = 0; i < 60 && !id; i++) {
      await step();
      id = ((await (await fetch(`${app.httpUrl}/api/garden`)).json()) as { beds: BedJson[] }).beds.find((b) => b.watering)?.bedId;
    }
    expect(id, 'a bed dried out and its valve was told on').toBeDefined();
    await waitFor('the simulated valve reports on', async () => (await bed(app, id as string)).valve?.reported === 'on');
    await step(); // one simulated hour with the valve open
    const [run] = await runs(app, id as string);
    expect(run).toMatchObject({ startReason: 'dry', endReason: 'high-reached' });
    expect(run?.moistureBefore).toBeLessThan(30);
    expect(run?.moistureAfter).toBeGreaterThanOrEqual(45);
  });
});
