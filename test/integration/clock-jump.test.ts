import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { lidDecisionTime } from '../../src/waste/lid-decision.js';
import { slotCheckRange } from '../../src/waste/missed-pickups.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';

/**
 * A Raspberry Pi without a real-time clock boots in 1970 and learns the time from NTP later (issue
 * #9, item 2). Over real MQTT, with bin nodes that answer lid commands as the firmware does and the
 * service's clock driven by the test: no burst of false missed pickups when the time becomes known,
 * lids that move once per real window edge, and nothing raised twice or flapping when NTP then sets
 * a fast clock back. Demo site, Monday 30 November 2026 (Shanghai, UTC+8): point p1 windows
 * 06:30–08:30 and 17:30–20:30; pickups wet 09:00 and 21:00, dry 09:30, recyclable 10:00 (Mondays),
 * each slot 15 min early to 60 min late; p2 is a late-drop point (open all day, no lids).
 */
const SITE = 'xianxia-demo';
const PASSWORD = 'node-password-1';
const MIN = 60_000;
const EPOCH_1970 = 0;
/** Monday 30 November 2026 at local HH:MM in Shanghai. */
const mon = (hh: number, mm = 0) => Date.UTC(2026, 10, 30, hh - 8, mm);
const P1_BINS = ['recyclable', 'hazardous', 'wet', 'dry'] as const;
const LIDS = P1_BINS.map((c) => `lid-p1-${c}`);
/** fill % → the distance in cm the demo's ultrasonic sensors report (100 cm empty, 10 cm full). */
const distance = (fill: number) => Math.round((100 - 0.9 * fill) * 10) / 10;

const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const { hash } = await import('@node-rs/argon2');
  const passwordHash = await hash(PASSWORD);
  base = await demoConfigWith((doc) => {
    doc.clock.trustAtStart = false; // a Pi without RTC
    doc.waste.lidsWhenClockUntrusted = 'open';
    doc.mqtt.users = ['bins-p1', 'bins-p2'].map((device) => ({ username: device, passwordHash, role: 'device', device }));
  });
});

/** A bins node: publishes bare raw readings (the service stamps them with its clock) and carries out lid commands. */
class BinsNode {
  readonly commands: { lid: string; state: string; reason: string; at: number }[] = [];
  private constructor(
    private readonly client: MqttClient,
    private readonly app: RunningApp,
    private readonly clock: ManualClock,
  ) {}

  static async connect(app: RunningApp, clock: ManualClock, device: string, lids: string[]) {
    const client = await mqtt.connectAsync(app.mqttUrl, { username: device, password: PASSWORD, clientId: `node-${device}`, reconnectPeriod: 0 });
    const node = new BinsNode(client, app, clock);
    client.on('message', (topic, payload) => {
      const lid = topic.split('/')[3] as string;
      const body = JSON.parse(payload.toString()) as { state: string; reason: string };
      node.commands.push({ lid, state: body.state, reason: body.reason, at: clock.now() });
      // The lid moves and says so, retained, as the firmware bridge does.
      client.publish(`tongxin/${SITE}/actuator/${lid}/state`, JSON.stringify({ state: body.state }), { qos: 1, retain: true });
    });
    for (const lid of lids) await client.subscribeAsync(`tongxin/${SITE}/actuator/${lid}/set`, { qos: 1 });
    // A node that comes up says so; the service then tells its lids what they should be at its next tick.
    await client.publishAsync(`tongxin/${SITE}/device/${device}/status`, 'online', { qos: 1, retain: true });
    await waitFor(`${device} online`, async () => {
      const body = (await (await fetch(`${app.httpUrl}/api/devices`)).json()) as { devices: { id: string; status: string }[] };
      return body.devices.find((d) => d.id === device)?.status === 'online';
    });
    return node;
  }

  /** Three readings (the median filter's window) at one fill, 20 s apart on the service's clock. */
  async fill(sensors: string[], fill: number) {
    for (let i = 0; i < 3; i++) {
      const target = this.app.counters.total('readings_accepted') + sensors.length;
      this.clock.advance(20_000);
      for (const s of sensors) await this.client.publishAsync(`tongxin/${SITE}/sensor/${s}/raw`, String(distance(fill)), { qos: 1 });
      await waitFor('readings taken in', () => this.app.counters.total('readings_accepted') >= target);
    }
  }

  close() {
    return this.client.endAsync();
  }
}

interface Rig {
  app: RunningApp;
  clock: ManualClock;
  p1: BinsNode;
  p2: BinsNode;
}

async function startRig(dir: string, startAt: number): Promise<Rig> {
  const clock = createManualClock(startAt);
  const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base), clock });
  defer(() => app.stop());
  const p1 = await BinsNode.connect(app, clock, 'bins-p1', LIDS);
  const p2 = await BinsNode.connect(app, clock, 'bins-p2', []);
  defer(() => Promise.all([p1.close(), p2.close()]));
  return { app, clock, p1, p2 };
}

/** Every lid has reported the state it was last told: the service has seen the firmware's answer. */
async function lidsSettled(app: RunningApp) {
  await waitFor('lids report what they were told', async () => {
    const body = (await (await fetch(`${app.httpUrl}/api/waste/points`)).json()) as { points: { bins: { lid: { commanded: string | null; reported: string | null } | null }[] }[] };
    const lids = body.points.flatMap((p) => p.bins.flatMap((b) => (b.lid ? [b.lid] : [])));
    return lids.length === LIDS.length && lids.every((l) => l.commanded !== null && l.commanded === l.reported);
  });
}

/** Moves the service's clock to `until` in steps, ticking the schedule at each, as its timer would. */
async function runUntil(rig: Rig, until: number, stepMs = MIN) {
  while (rig.clock.now() < until) {
    rig.clock.set(Math.min(rig.clock.now() + stepMs, until));
    const sent = rig.app.counters.total('lid_commands');
    rig.app.waste.tick();
    // A lid command goes out asynchronously: wait for the lids' answers before time moves on, as it
    // would in real life (a lid answers in well under a minute).
    if (rig.app.counters.total('lid_commands') > sent) await lidsSettled(rig.app);
  }
}

/** Each lid's commands in order, as `state/reason`. */
const lidHistory = (node: BinsNode) => Object.fromEntries(LIDS.map((lid) => [lid, node.commands.filter((c) => c.lid === lid).map((c) => `${c.state}/${c.reason}`)]));
const missed = (app: RunningApp) => app.alerts.list('all').filter((a) => a.kind === 'pickup-missed');
const ALL_BIN_SENSORS = { p1: P1_BINS.map((c) => `bin-p1-${c}`), p2: P1_BINS.map((c) => `bin-p2-${c}`) };

describe('a clock that starts in 1970 and then jumps to the real time', () => {
  it('no missed pickups for slots that passed before the time was known; lids move once per window edge; NTP setting a fast clock back re-raises nothing and flaps no lid', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const rig = await startRig(dir, EPOCH_1970);
    const { app, clock, p1, p2 } = rig;

    // Booted in 1970, no time stored, no NTP: the lids take the safe state (open) and stay there.
    app.waste.tick();
    await lidsSettled(app);
    // The bins are 60 % full: had a slot been judged, the crews would be told it was missed.
    await p1.fill(ALL_BIN_SENSORS.p1, 60);
    await p2.fill(ALL_BIN_SENSORS.p2, 60);
    await runUntil(rig, EPOCH_1970 + 20 * MIN, 5_000);
    expect(((await (await fetch(`${app.httpUrl}/healthz`)).json()) as { degraded: string[] }).degraded).toContain('clock-untrusted');

    // The clock jumps to Monday 12:00 (the wet, dry and recyclable morning slots are over) before NTP
    // has said it is right: still untrusted, nothing moves, nothing is judged.
    clock.set(mon(12, 0));
    await runUntil(rig, mon(12, 10));
    expect(missed(app)).toEqual([]);
    expect(lidHistory(p1)).toEqual(Object.fromEntries(LIDS.map((l) => [l, ['open/clock-untrusted']])));

    // NTP synchronises (the helper's marker file): the lids close (p1's windows are 06:30–08:30 and
    // 17:30–20:30), and the morning slots, which passed while the time was unknown, are not judged.
    writeFileSync(join(dir, 'no-ntp-marker'), '');
    await runUntil(rig, mon(12, 30));
    expect(missed(app)).toEqual([]);
    expect(app.counters.get('pickup_slots', 'missed')).toBe(0);

    // The evening window opens at 17:30 on a clock that runs 5 minutes fast; at 17:33 NTP sets it
    // back to 17:28. The lids stay open: no close/open around the correction.
    await runUntil(rig, mon(17, 33));
    clock.set(mon(17, 28));
    await runUntil(rig, mon(20, 0));

    // The window closes at 20:30. The 21:00 wet slot ends at 22:00 with both wet bins still full: those
    // two are missed, and said so once.
    await runUntil(rig, mon(22, 4));
    const evening = missed(app).map((a) => a.subject).sort();
    expect(evening).toEqual([`slot:p1/wet/2026-11-30T21:00`, `slot:p2/wet/2026-11-30T21:00`]);
    // The clock was 10 minutes fast: NTP sets it back to 21:54, and the crew empties p1's wet bin at
    // 21:55, inside the real slot. The alert resolves; crossing 22:00 again judges nothing twice.
    clock.set(mon(21, 54));
    await p1.fill(['bin-p1-wet'], 5);
    await runUntil(rig, mon(22, 40));
    const after = missed(app);
    expect(after.map((a) => a.subject).sort()).toEqual(evening);
    expect(after.find((a) => a.subject.startsWith('slot:p1/'))).toMatchObject({ state: 'resolved', resolution: 'collected late' });
    expect(after.find((a) => a.subject.startsWith('slot:p2/'))?.state).not.toBe('resolved');

    // Over the whole run each lid moved exactly at: boot (safe state), trust, 17:30 and 20:30.
    expect(lidHistory(p1)).toEqual(Object.fromEntries(LIDS.map((l) => [l, ['open/clock-untrusted', 'closed/window-closed', 'open/window-open', 'closed/window-closed']])));
  });

  it('a reboot into 1970 mid-morning: the slots that ended while the time was unknown are not judged, the next one is', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const marker = join(dir, 'no-ntp-marker');

    // Monday 08:40, NTP synchronised: the service runs, the bins are 60 % full, then the power fails at 08:50.
    writeFileSync(marker, '');
    const before = await startRig(dir, mon(8, 40));
    await before.p1.fill(ALL_BIN_SENSORS.p1, 60);
    await before.p2.fill(ALL_BIN_SENSORS.p2, 60);
    await runUntil(before, mon(8, 50));
    expect(missed(before.app)).toEqual([]);
    await before.p1.close();
    await before.p2.close();
    await before.app.stop();

    // The Pi boots in 1970 (/run is empty again: no NTP marker). While the clock says 1970, the wet
    // crew empties p2's wet bin, which residents (p2 is a late-drop point) fill again to 20 %: its
    // readings carry 1970 times.
    rmSync(marker);
    const rig = await startRig(dir, EPOCH_1970 + 10 * MIN);
    await runUntil(rig, EPOCH_1970 + 20 * MIN, 5_000);
    await rig.p2.fill(['bin-p2-wet'], 5);
    await rig.p2.fill(['bin-p2-wet'], 20);
    await runUntil(rig, EPOCH_1970 + 40 * MIN, 5_000);
    expect(missed(rig.app)).toEqual([]);

    // NTP (or a time later than the one stored before the power cut) brings the clock to 10:45: the
    // wet (09:00) and dry (09:30) slots ended while the time was unknown. None is called missed.
    rig.clock.set(mon(10, 45));
    writeFileSync(marker, '');
    await runUntil(rig, mon(10, 50));
    expect(missed(rig.app)).toEqual([]);

    // From now on slots are judged: the Monday 10:00 recyclable slot ends at 11:00 with p1's and p2's
    // recyclable bins still 60 % full.
    await runUntil(rig, mon(11, 5));
    expect(missed(rig.app).map((a) => a.subject).sort()).toEqual([`slot:p1/recyclable/2026-11-30T10:00`, `slot:p2/recyclable/2026-11-30T10:00`]);
  });
});

describe('the decisions behind it', () => {
  const T = mon(12);
  it('the first trusted check after an untrusted stretch judges nothing and moves the mark to now', () => {
    expect(slotCheckRange({ lastCheckedUntil: T - 30 * MIN, now: T, clockTrusted: true, untrustedUntilNow: true })).toEqual({ check: false, advanceTo: T });
    expect(slotCheckRange({ lastCheckedUntil: T - 30 * MIN, now: T, clockTrusted: true, untrustedUntilNow: false })).toEqual({ check: true, from: T - 30 * MIN, to: T });
  });
  it.each([
    { name: 'clock moving forward', now: T, latest: T - MIN, expected: T },
    { name: 'first trusted tick', now: T, latest: undefined, expected: T },
    { name: 'set back 5 minutes: hold the latest time', now: T - 5 * MIN, latest: T, expected: T },
    { name: 'set back 15 minutes: still held', now: T - 15 * MIN, latest: T, expected: T },
    { name: 'set back an hour: the old time was far off, follow the clock', now: T - 60 * MIN, latest: T, expected: T - 60 * MIN },
  ])('lid decision time, $name', ({ now, latest, expected }) => {
    expect(lidDecisionTime({ now, latest, maxHoldMs: 15 * MIN })).toBe(expected);
  });
});
