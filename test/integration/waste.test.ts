import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { CREW_PASSWORD, crewPhone, demoCrewUsers, type CrewPhone } from '../helpers/crew.js';
import { openSse } from '../helpers/sse.js';

/**
 * The waste issue end to end over real MQTT: clients play the bins (publishing raw ultrasonic
 * distances with their own timestamps) and two crews; the test drives the service's clock.
 * Demo site: point p1 windows 06:30–08:30 and 17:30–20:30; wet pickups 09:00 and 21:00, dry 09:30.
 */
const SITE = 'xianxia-demo';
const PASSWORD = CREW_PASSWORD;
const MIN = 60_000;
// Monday 30 November 2026, 08:40 in Shanghai (UTC+8).
const T0 = Date.UTC(2026, 10, 30, 0, 40);
const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const users = await demoCrewUsers();
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = users;
    doc.alerts = { escalateAfterMinutes: 15, resendSeconds: 3600, minIntervalMinutes: 30 };
  });
});

/** fill % → the distance in cm the demo's ultrasonic sensors report (100 cm empty, 10 cm full). */
const distance = (fill: number) => Math.round((100 - 0.9 * fill) * 10) / 10;

class Bins {
  constructor(
    private readonly client: MqttClient,
    private readonly clock: ManualClock,
    private readonly app: RunningApp,
  ) {}
  /**
   * Publishes readings every 30 s of device time, advancing the service's clock with them, and
   * returns once the service has taken them in (the broker's PUBACK comes before that).
   */
  async fill(sensor: string, fills: number[]) {
    const target = this.app.counters.total('readings_accepted') + fills.length;
    for (const f of fills) {
      this.clock.advance(30_000);
      await this.client.publishAsync(`tongxin/${SITE}/sensor/${sensor}/raw`, JSON.stringify({ value: distance(f), at: this.clock.now() }), { qos: 1 });
    }
    await waitFor(`${fills.length} readings taken in`, () => this.app.counters.total('readings_accepted') >= target);
  }
}

describe('waste: bins, crews and the schedule', () => {
  let app: RunningApp;
  let clock: ManualClock;
  let bins: Bins;
  let wet: CrewPhone;
  let recycling: CrewPhone;
  let supervisor: CrewPhone;

  it('runs the morning of a collection day', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    clock = createManualClock(T0);
    ({ app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock }));
    defer(() => app.stop());
    const device = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => device.endAsync());
    bins = new Bins(device, clock, app);
    const live = await openSse(`${app.httpUrl}/api/live`);
    defer(() => live.close());
    wet = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', PASSWORD);
    recycling = await crewPhone(app.mqttUrl, SITE, 'crew-recycling', PASSWORD, { clientId: 'recycling-truck' });
    supervisor = await crewPhone(app.mqttUrl, SITE, 'supervisor', PASSWORD);
    defer(() => Promise.all([wet.close(), recycling.close(), supervisor.close()]));
    const lidCommands: { topic: string; state: string; reason: string }[] = [];
    const watcher = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => watcher.endAsync());
    watcher.on('message', (topic, p) => topic.endsWith('/set') && lidCommands.push({ topic, ...(JSON.parse(p.toString()) as { state: string; reason: string }) }));
    await watcher.subscribeAsync(`tongxin/${SITE}/actuator/+/set`, { qos: 1 });

    // 08:40: p1 is between windows; its lids are told to close, and point state says when it opens.
    const points = await (await fetch(`${app.httpUrl}/api/waste/points`)).json();
    const p1 = points.points.find((p: { id: string }) => p.id === 'p1');
    expect(p1.open).toBe(false);
    expect(p1.categories.wet.opensInSeconds).toBe((17 * 60 + 30 - (8 * 60 + 40)) * 60);
    // The first commands went out at start; no lid has answered, so they are sent again after 30 s.
    clock.advance(30_000);
    app.waste.tick();
    await waitFor('lid commands', () => lidCommands.length === 4);
    expect(lidCommands.every((c) => c.state === 'closed' && c.reason === 'window-closed')).toBe(true);

    // The wet bin fills; a single ultrasonic spike on the way never raises anything.
    await bins.fill('bin-p1-wet', [40, 42, 43, 100, 44, 45]);
    expect(app.alerts.list('all')).toEqual([]);
    await bins.fill('bin-p1-wet', [93, 94, 95, 95, 96, 96]);
    const first = await waitFor('one alert at the wet crew', () => wet.received.find((a) => a.kind === 'bin-full'));
    expect(first).toMatchObject({ binId: 'p1-wet', category: 'wet', pointId: 'p1', state: 'open', crews: ['crew-wet-dry'] });
    // The kiosk's live stream hears the bin's new level at once.
    await waitFor('bin state on the live stream', () => live.events.some((e) => e.event === 'bin' && (e.data as { binId: string; level: string }).binId === 'p1-wet' && (e.data as { level: string }).level === 'full'));
    await bins.fill('bin-p1-wet', [97, 95, 96, 98]); // noise while full: no second alert
    expect([...wet.shown().values()].filter((a) => a.kind.startsWith('bin-'))).toHaveLength(1);

    // The recycling crew is offline when the recyclables overflow at p2, and gets it on reconnect.
    await recycling.close();
    await bins.fill('bin-p2-recyclable', [99, 101, 104, 106, 107, 108]);
    await waitFor('overflow alert raised', () => app.alerts.list('active').some((a) => a.kind === 'bin-overflow'));
    recycling = await crewPhone(app.mqttUrl, SITE, 'crew-recycling', PASSWORD, { clientId: 'recycling-truck' });
    const overflow = await waitFor('queued alert after reconnect', () => recycling.received.find((a) => a.kind === 'bin-overflow'));
    expect(overflow).toMatchObject({ binId: 'p2-recyclable', crews: ['crew-recycling'] });
    expect(wet.received.some((a) => a.kind === 'bin-overflow')).toBe(false);
    expect(recycling.received.some((a) => a.binId === 'p1-wet')).toBe(false);

    // Nobody acks the wet alert for 15 minutes: it goes to the supervisor as well.
    clock.advance(16 * MIN);
    const escalated = await waitFor('escalation', () => supervisor.received.find((a) => a.binId === 'p1-wet' && a.state === 'escalated'), 5000);
    expect(escalated.alertId).toBe(first.alertId);
    await recycling.ack(overflow.alertId);
    await waitFor('acked', () => app.alerts.get(overflow.alertId)?.state === 'acked');

    // 09:05: the wet bin is emptied inside its 09:00 slot; the alert resolves and the pickup is logged.
    clock.set(Date.UTC(2026, 10, 30, 1, 5));
    await bins.fill('bin-p1-wet', [4, 3, 3]);
    await waitFor('resolved at the crew', () => wet.received.some((a) => a.alertId === first.alertId && a.state === 'resolved'));
    const log = await (await fetch(`${app.httpUrl}/api/waste/pickups`)).json();
    expect(log.pickups[0]).toMatchObject({ binId: 'p1-wet', slotKey: 'p1/wet/2026-11-30T09:00' });

    // The dry bin at p1 is 60 % full and nobody comes in its 09:30 slot (09:15–10:30).
    await bins.fill('bin-p1-dry', [60, 60, 61]);
    clock.set(Date.UTC(2026, 10, 30, 2, 29));
    app.waste.tick();
    expect(wet.received.some((a) => a.kind === 'pickup-missed')).toBe(false);
    clock.set(Date.UTC(2026, 10, 30, 2, 31));
    app.waste.tick();
    const missed = await waitFor('pickup-missed at the wet/dry crew', () => wet.received.find((a) => a.kind === 'pickup-missed'));
    expect(missed).toMatchObject({ category: 'dry', pointId: 'p1', detail: { slot: '2026-11-30 09:30' } });
    app.waste.tick(); // judged once: a second look raises nothing more
    const slots = (await (await fetch(`${app.httpUrl}/api/waste/pickups`)).json()).slots as { slotKey: string; outcome: string }[];
    expect(Object.fromEntries(slots.map((s) => [s.slotKey, s.outcome]))).toMatchObject({
      'p1/wet/2026-11-30T09:00': 'collected',
      'p1/dry/2026-11-30T09:30': 'missed',
      'p2/wet/2026-11-30T09:00': 'nothing-to-collect',
    });
    expect(app.alerts.list('all').filter((a) => a.kind === 'pickup-missed')).toHaveLength(1);
    expect(recycling.received.some((a) => a.kind === 'pickup-missed')).toBe(false);

    // The crew comes late: the missed pickup resolves.
    await bins.fill('bin-p1-dry', [2, 2, 2]);
    await waitFor('missed pickup resolved', () => wet.received.some((a) => a.alertId === missed.alertId && a.state === 'resolved'));

    // 17:30: the window opens, lids are told to open.
    lidCommands.length = 0;
    clock.set(Date.UTC(2026, 10, 30, 9, 30));
    app.waste.tick();
    await waitFor('lids open', () => lidCommands.filter((c) => c.state === 'open' && c.reason === 'window-open').length === 4);
  });
});

describe('waste: a clock that is not trusted', () => {
  it('puts lids in the safe state and calls no pickup missed; then follows the windows once time is trusted', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const untrusted = await demoConfigWith((doc) => {
      doc.clock.trustAtStart = false;
      doc.waste.lidsWhenClockUntrusted = 'open'; // residents can still use the bins
    });
    // Booted at 10:31 with no stored time and no NTP: untrusted, although the dry slot just ended.
    const clock = createManualClock(Date.UTC(2026, 10, 30, 2, 31));
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, untrusted), clock });
    defer(() => app.stop());
    const device = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => device.endAsync());
    const bins = new Bins(device, clock, app);
    const commands: { topic: string; state: string; reason: string }[] = [];
    device.on('message', (topic, p) => commands.push({ topic, ...(JSON.parse(p.toString()) as { state: string; reason: string }) }));
    await device.subscribeAsync(`tongxin/${SITE}/actuator/+/set`, { qos: 1 });

    await bins.fill('bin-p1-dry', [70, 70, 70]);
    clock.advance(31_000);
    app.waste.tick();
    await waitFor('lid commands', () => commands.length === 4);
    expect(commands.map((c) => `${c.state}/${c.reason}`)).toEqual(Array(4).fill('open/clock-untrusted'));
    // A day passes on the untrusted clock: nothing is judged (the lids, silent, are only told again).
    clock.advance(24 * 60 * MIN);
    app.waste.tick();
    await waitFor('lid commands resent', () => commands.length === 8);
    expect(app.alerts.list('all').filter((a) => a.kind === 'pickup-missed')).toEqual([]);
    const state = (await (await fetch(`${app.httpUrl}/api/waste/points`)).json()) as { clockTrusted: boolean };
    expect(state.clockTrusted).toBe(false);

    // NTP synchronises (the test helper points the marker into the data folder): lids follow the windows.
    writeFileSync(join(dir, 'no-ntp-marker'), '');
    commands.length = 0;
    app.waste.tick();
    await waitFor('lids follow the schedule', () => commands.length === 4);
    expect(commands.map((c) => `${c.state}/${c.reason}`)).toEqual(Array(4).fill('closed/window-closed'));
  });
});

describe('waste: the evening window, drop-offs and a silent device', () => {
  it('alerts on a bin still full as its window opens, counts drop-offs outside windows, and reports a device gone offline', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const config = await demoConfigWith((doc) => {
      doc.mqtt.users = base.mqtt.users;
      doc.sensors.push({ id: 'beam-p1-dry', device: 'bins-p1', kind: 'beam', unit: 'drops' });
      doc.points[0].bins.find((b: { id: string }) => b.id === 'p1-dry').dropSensor = 'beam-p1-dry';
    });
    // Monday 17:20 in Shanghai: p1 opens at 17:30.
    const clock = createManualClock(Date.UTC(2026, 10, 30, 9, 20));
    const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, config), clock });
    defer(() => app.stop());
    const device = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => device.endAsync());
    const bins = new Bins(device, clock, app);
    const wet = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', PASSWORD);
    const supervisor = await crewPhone(app.mqttUrl, SITE, 'supervisor', PASSWORD);
    defer(() => Promise.all([wet.close(), supervisor.close()]));

    // The dry bin is 85 % full (above warn, below full) and nobody empties it before 17:30. Readings
    // every 30 s: the median needs three, then the level must hold for a minute.
    await bins.fill('bin-p1-dry', [85, 85, 85, 86, 86, 86]);
    const warn = await waitFor('bin-warn', () => wet.received.find((a) => a.kind === 'bin-warn'));
    expect(warn.binId).toBe('p1-dry');
    // Two drops through the beam while the point is closed, one after it opens.
    await bins.fill('beam-p1-dry', [1, 1]);
    clock.set(Date.UTC(2026, 10, 30, 9, 30));
    app.waste.tick();
    const stillFull = await waitFor('still-full-at-window-open', () => wet.received.find((a) => a.kind === 'still-full-at-window-open'));
    expect(stillFull).toMatchObject({ binId: 'p1-dry', category: 'dry', pointId: 'p1' });
    expect(stillFull.message.en).toContain('as drop-off opens');
    await bins.fill('beam-p1-dry', [1]);
    const drops = (await (await fetch(`${app.httpUrl}/api/waste/dropoffs`)).json()) as { bins: { binId: string; inWindow: number; outOfWindow: number }[] };
    expect(drops.bins).toEqual([{ binId: 'p1-dry', inWindow: 1, outOfWindow: 2 }]);
    expect(app.counters.get('waste_dropoffs', 'out-of-window')).toBe(2);

    // The bins' node at p1 falls silent: offline after its 60 s, an alert to the supervisor after the grace.
    clock.advance(61_000);
    await waitFor('device offline', async () => {
      const d = (await (await fetch(`${app.httpUrl}/api/devices`)).json()) as { devices: { id: string; status: string }[] };
      return d.devices.find((x) => x.id === 'bins-p1')?.status === 'offline';
    }, 8000);
    clock.advance(121_000);
    const offline = await waitFor('sensor-offline at the supervisor', () => supervisor.received.find((a) => a.kind === 'sensor-offline' && a.deviceId === 'bins-p1'), 5000);
    expect(offline.crews).toEqual(['supervisor']);
    expect(wet.received.some((a) => a.kind === 'sensor-offline')).toBe(false);
    // It comes back: the alert resolves.
    await bins.fill('bin-p1-dry', [86]);
    await waitFor('resolved when back online', () => supervisor.received.some((a) => a.alertId === offline.alertId && a.state === 'resolved'));

    // The fill history of the bin is there for the admin page's plot.
    // (Readings reach SQLite in batches every 100 ms.)
    const history = await waitFor('history with the last reading', async () => {
      const h = (await (await fetch(`${app.httpUrl}/api/waste/bins/p1-dry/history?hours=2`)).json()) as { points: { value: number }[] };
      return h.points.length === 7 ? h.points : undefined;
    });
    expect(history.map((p) => Math.round(p.value))).toEqual([85, 85, 85, 86, 86, 86, 86]);
  });
});
