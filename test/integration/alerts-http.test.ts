import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { CREW_PASSWORD, crewPhone, demoCrewUsers } from '../helpers/crew.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * Staff ack and resolve alerts over HTTP (the admin page): the guard, the state machine's refusals
 * (404 unknown, 409 a step that no longer fits), the note kept as the resolution and in the history
 * and audit log, and the crew told over real MQTT.
 */
const SITE = 'xianxia-demo';
const defer = useCleanup();
let base: SiteConfig;

beforeAll(async () => {
  const users = await demoCrewUsers();
  // No escalation or re-sending during the test: the states asserted are the ones staff caused.
  base = await demoConfigWith((doc) => {
    doc.mqtt.users = users;
    doc.alerts = { escalateAfterMinutes: 60, resendSeconds: 3600, minIntervalMinutes: 0 };
  });
});

async function boot(): Promise<RunningApp> {
  const { dir, remove } = tempDir();
  defer(remove);
  const { app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) });
  defer(() => app.stop());
  return app;
}

const binFull = { kind: 'bin-full' as const, subject: 'bin:p1-wet', severity: 'warning' as const, category: 'wet' as const, pointId: 'p1', binId: 'p1-wet', detail: { fill: 93 } };
const auditRows = (app: RunningApp) => app.store.db.prepare('SELECT actor, action, target, detail FROM audit_log WHERE action LIKE ? ORDER BY id').all('alert.%');

describe('POST /api/alerts/:id/ack and /resolve', () => {
  it('staff ack then resolve with a note; the crew is told; a repeated step is a 409', async () => {
    const app = await boot();
    const wet = await crewPhone(app.mqttUrl, SITE, 'crew-wet-dry', CREW_PASSWORD);
    defer(() => wet.close());
    await addStaff(app, 'zhou', 'staff');
    const cookie = await loginCookie(app, 'zhou');
    const alert = app.alerts.raise(binFull)!;
    await waitFor('the crew has the open alert', () => wet.received.some((a) => a.alertId === alert.id && a.state === 'open'));

    const ack = await call(app, 'POST', `/api/alerts/${alert.id}/ack`, { cookie, body: { note: '  on my way  ' } });
    expect(ack.status, await ack.clone().text()).toBe(200);
    expect(await ack.json()).toMatchObject({ alert: { alertId: alert.id, state: 'acked', ackedBy: 'staff:zhou' } });
    expect(app.alerts.get(alert.id)).toMatchObject({ state: 'acked', ackedBy: 'staff:zhou' });

    const again = await call(app, 'POST', `/api/alerts/${alert.id}/ack`, { cookie, body: {} });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: 'TX_CONFLICT', message: expect.stringContaining('acked') });

    const resolve = await call(app, 'POST', `/api/alerts/${alert.id}/resolve`, { cookie, body: { note: 'bin emptied by hand' } });
    expect(resolve.status, await resolve.clone().text()).toBe(200);
    expect(await resolve.json()).toMatchObject({ alert: { state: 'resolved', resolution: 'bin emptied by hand' } });
    expect((await call(app, 'POST', `/api/alerts/${alert.id}/resolve`, { cookie, body: {} })).status).toBe(409);
    expect((await call(app, 'POST', `/api/alerts/${alert.id}/ack`, { cookie, body: {} })).status).toBe(409);

    const resolvedAtCrew = await waitFor('the crew hears it was resolved', () => wet.received.find((a) => a.alertId === alert.id && a.state === 'resolved'));
    expect(resolvedAtCrew.resolution).toBe('bin emptied by hand');
    expect(wet.received.some((a) => a.alertId === alert.id && a.state === 'acked' && a.ackedBy === 'staff:zhou')).toBe(true);

    expect(app.alerts.history(alert.id)).toMatchObject([
      { event: 'raised' },
      { event: 'acked', actor: 'staff:zhou', detail: { note: 'on my way' } },
      { event: 'resolved', actor: 'staff:zhou', detail: { resolution: 'bin emptied by hand' } },
    ]);
    expect(auditRows(app)).toEqual([
      { actor: 'zhou', action: 'alert.ack', target: `alert:${alert.id}`, detail: JSON.stringify({ note: 'on my way' }) },
      { actor: 'zhou', action: 'alert.resolve', target: `alert:${alert.id}`, detail: JSON.stringify({ note: 'bin emptied by hand' }) },
    ]);
    const active = (await (await call(app, 'GET', '/api/alerts', { cookie })).json()) as { alerts: unknown[] };
    expect(active.alerts).toEqual([]);
  });

  it('an open alert can be resolved without an ack; without a note the resolution names the staff member', async () => {
    const app = await boot();
    await addStaff(app, 'li', 'staff');
    const cookie = await loginCookie(app, 'li');
    const alert = app.alerts.raise(binFull)!;
    const res = await call(app, 'POST', `/api/alerts/${alert.id}/resolve`, { cookie, body: {} });
    expect(res.status).toBe(200);
    expect(app.alerts.get(alert.id)).toMatchObject({ state: 'resolved', resolution: 'resolved by staff:li', ackedBy: null });
  });

  it('refuses strangers, other roles, unknown alerts and bad bodies', async () => {
    const app = await boot();
    await addStaff(app, 'chen', 'committee');
    await addStaff(app, 'admin1', 'admin');
    await addStaff(app, 'zhou', 'staff');
    const committee = await loginCookie(app, 'chen');
    const admin = await loginCookie(app, 'admin1');
    const staff = await loginCookie(app, 'zhou');
    const alert = app.alerts.raise(binFull)!;

    for (const step of ['ack', 'resolve']) {
      expect((await call(app, 'POST', `/api/alerts/${alert.id}/${step}`, { body: {} })).status).toBe(401);
      expect((await call(app, 'POST', `/api/alerts/${alert.id}/${step}`, { cookie: committee, body: {} })).status).toBe(403);
      const unknown = await call(app, 'POST', `/api/alerts/no-such-alert/${step}`, { cookie: staff, body: {} });
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe('TX_NOT_FOUND');
      const long = await call(app, 'POST', `/api/alerts/${alert.id}/${step}`, { cookie: staff, body: { note: 'x'.repeat(501) } });
      expect(long.status).toBe(400);
      const extra = await call(app, 'POST', `/api/alerts/${alert.id}/${step}`, { cookie: staff, body: { note: 'ok', crew: 'x' } });
      expect(extra.status).toBe(400);
      expect((await extra.json()).error.details[0].message).toContain('"crew"');
    }
    expect(app.alerts.get(alert.id)?.state).toBe('open');
    // Admins may do what staff may.
    expect((await call(app, 'POST', `/api/alerts/${alert.id}/ack`, { cookie: admin, body: {} })).status).toBe(200);
    expect(app.alerts.get(alert.id)?.ackedBy).toBe('staff:admin1');
  });
});
