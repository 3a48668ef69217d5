import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../src/config/schema.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { CREW_PASSWORD, crewPhone, demoCrewUsers } from '../helpers/crew.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * Alerts over real MQTT: routed to the responsible crew only, kept for a crew that is offline,
 * escalated when nobody acks, acked, resolved, deduplicated, and re-sent after a restart.
 */
const SITE = 'xianxia-demo';
const PASSWORD = CREW_PASSWORD;
const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const users = await demoCrewUsers();
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = users;
    doc.alerts = { escalateAfterMinutes: 0.03, resendSeconds: 1, minIntervalMinutes: 0 };
  });
});

async function boot(dir: string) {
  const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
  return app;
}

const binFull = { kind: 'bin-full' as const, subject: 'bin:p1-wet', severity: 'warning' as const, category: 'wet' as const, pointId: 'p1', binId: 'p1-wet', detail: { fill: 93 } };

describe('alerts to crews', () => {
  it('reach the responsible crew only, escalate without an ack, and resolve', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const app = await boot(dir);
    defer(() => app.stop());
    const wet = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', PASSWORD);
    const recycling = await crewPhone(app.mqttUrl, SITE, 'crew-recycling', PASSWORD);
    const supervisor = await crewPhone(app.mqttUrl, SITE, 'supervisor', PASSWORD);
    defer(() => Promise.all([wet.close(), recycling.close(), supervisor.close()]));
    const nodeRed = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => nodeRed.endAsync());
    const onAlertTopic: string[] = [];
    nodeRed.on('message', (t) => onAlertTopic.push(t));
    await nodeRed.subscribeAsync(`tongxin/${SITE}/alert/#`, { qos: 1 });

    const alert = app.alerts.raise(binFull);
    expect(alert).toBeDefined();
    expect(app.alerts.raise(binFull)).toBeUndefined(); // one alert per problem

    const first = await waitFor('alert at the wet crew', () => wet.received[0]);
    expect(first).toMatchObject({ alertId: alert!.id, kind: 'bin-full', state: 'open', category: 'wet', pointId: 'p1', binId: 'p1-wet', crews: ['crew-wet-dry'] });
    expect(first.message.zh).toContain('湿垃圾');
    expect(first.message.en).toContain('93%');
    await waitFor('alert on alert/bin-full', () => onAlertTopic.includes(`tongxin/${SITE}/alert/bin-full`));

    // Not acked within 0.03 min: the supervisor gets it too.
    const escalated = await waitFor('escalated to the supervisor', () => supervisor.received.find((a) => a.state === 'escalated'), 5000);
    expect(escalated.alertId).toBe(alert!.id);
    expect(escalated.crews).toEqual(['crew-wet-dry', 'supervisor']);
    expect(recycling.received).toEqual([]);
    // Re-sent meanwhile, but a phone shows one alert.
    await waitFor('a re-send', () => wet.received.length >= 3, 5000);
    expect(wet.shown().size).toBe(1);

    await wet.ack(alert!.id);
    await waitFor('acked', () => app.alerts.get(alert!.id)?.state === 'acked');
    expect(app.alerts.get(alert!.id)?.ackedBy).toBe('crew-wet-dry');

    expect(app.alerts.resolveSubject('bin:p1-wet', 'all', 'bin emptied')).toBe(1);
    await waitFor('resolution reaches the crew', () => wet.received.some((a) => a.state === 'resolved'));
    const history = app.alerts.history(alert!.id).map((h) => h.event);
    expect(history).toEqual(['raised', 'escalated', 'acked', 'resolved']);
    expect(recycling.received).toEqual([]);

    expect((await fetch(`${app.httpUrl}/api/alerts`)).status).toBe(401);
    await addStaff(app, 'zhou', 'staff');
    const cookie = await loginCookie(app, 'zhou');
    const listed = await (await call(app, 'GET', '/api/alerts?state=all', { cookie })).json();
    expect(listed.alerts.map((a: { alertId: string }) => a.alertId)).toContain(alert!.id);
    const one = await (await call(app, 'GET', `/api/alerts/${alert!.id}`, { cookie })).json();
    expect(one.history.map((h: { event: string }) => h.event)).toEqual(history);
  });

  it('an ack from a crew the alert is not routed to is refused and counted', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const app = await boot(dir);
    defer(() => app.stop());
    const recycling = await crewPhone(app.mqttUrl, SITE, 'crew-recycling', PASSWORD);
    defer(() => recycling.close());
    const alert = app.alerts.raise(binFull)!;
    await recycling.ack(alert.id);
    await recycling.client.publishAsync(`tongxin/${SITE}/crew/crew-recycling/ack`, 'not json', { qos: 1 });
    await waitFor('rejections counted', () => app.counters.get('acks_rejected', 'not-routed') === 1 && app.counters.get('acks_rejected', 'not-json') === 1);
    expect(app.alerts.get(alert.id)?.state).not.toBe('acked');
  });

  it('a crew offline when the alert is raised gets it when it reconnects', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const app = await boot(dir);
    defer(() => app.stop());
    const phone = await crewPhone(app.mqttUrl, SITE, 'crew-recycling', PASSWORD, { clientId: 'truck-7' });
    await phone.close(); // persistent session: the broker keeps its subscription
    const alert = app.alerts.raise({ kind: 'bin-overflow', subject: 'bin:p2-recyclable', severity: 'critical', category: 'recyclable', pointId: 'p2', binId: 'p2-recyclable', detail: { fill: 104 } })!;
    await waitFor('published', () => app.alerts.outboxPending() === 0);
    const back = await crewPhone(app.mqttUrl, SITE, 'crew-recycling', PASSWORD, { clientId: 'truck-7' });
    defer(() => back.close());
    const got = await waitFor('queued alert delivered', () => back.received.find((a) => a.alertId === alert.id));
    expect(got.kind).toBe('bin-overflow');
  });

  it('an open alert survives a restart of the service and its broker, and reaches the crew after', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const first = await boot(dir);
    const alert = first.alerts.raise(binFull)!;
    await first.stop();

    const app = await boot(dir);
    defer(() => app.stop());
    expect(app.alerts.get(alert.id)?.state).toMatch(/open|escalated/);
    const wet = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', PASSWORD, { clientId: 'new-phone' });
    defer(() => wet.close());
    const got = await waitFor('re-sent after the restart', () => wet.received.find((a) => a.alertId === alert.id), 5000);
    expect(got.kind).toBe('bin-full');
  });
});
