import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/clock.js';
import { packageRoot } from '../../src/core/paths.js';
import { ROLES } from '../../src/staff/staff-store.js';
import { startTestApp, tempDir, useCleanup } from '../helpers/app.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/** Staff accounts, sessions, roles and the audit log, over real HTTP. */
const defer = useCleanup();

async function boot(clock = createManualClock(Date.UTC(2026, 10, 28, 2, 0))) {
  const { dir, remove } = tempDir();
  defer(remove);
  const { app, logLines } = await startTestApp({ dataDir: dir, clock });
  defer(() => app.stop());
  return { app, logLines, dir, clock };
}

describe('staff accounts', () => {
  it('log in and out, manage users as admin, and leave an audit trail without passwords in the logs', async () => {
    const { app, logLines } = await boot();
    await addStaff(app, 'wang', 'admin');
    expect((await call(app, 'POST', '/api/staff/login', { body: { username: 'wang', password: 'wrong' } })).status).toBe(401);
    expect((await call(app, 'POST', '/api/staff/login', { body: { username: 'nobody', password: 'x' } })).status).toBe(401);
    const admin = await loginCookie(app, 'wang');
    expect(admin).toMatch(/^tx_session=/);
    expect(await (await call(app, 'GET', '/api/staff/me', { cookie: admin })).json()).toMatchObject({ user: { username: 'wang', role: 'admin' } });

    const created = await call(app, 'POST', '/api/staff/users', { cookie: admin, body: { username: 'li', password: 'li-password', role: 'staff' } });
    expect(created.status).toBe(201);
    expect((await call(app, 'POST', '/api/staff/users', { cookie: admin, body: { username: 'li', password: 'li-password', role: 'staff' } })).status).toBe(409);
    const weak = await call(app, 'POST', '/api/staff/users', { cookie: admin, body: { username: 'zhao', password: 'short', role: 'staff' } });
    expect(weak.status).toBe(400);
    expect((await weak.json()).error.details[0].path).toBe('body/password');

    const li = await loginCookie(app, 'li');
    expect((await call(app, 'GET', '/api/staff/users', { cookie: li })).status).toBe(403);
    const liId = (await created.json()).user.id as number;
    expect((await call(app, 'POST', `/api/staff/users/${liId}/disable`, { cookie: admin })).status).toBe(200);
    expect((await call(app, 'GET', '/api/staff/me', { cookie: li })).status).toBe(401); // sessions end with the account

    expect((await call(app, 'POST', '/api/staff/logout', { cookie: admin })).status).toBe(200);
    expect((await call(app, 'GET', '/api/staff/me', { cookie: admin })).status).toBe(401);

    const again = await loginCookie(app, 'wang');
    const audit = (await (await call(app, 'GET', '/api/staff/audit', { cookie: again })).json()).entries as { actor: string; action: string; target: string | null }[];
    expect(audit.map((e) => `${e.actor} ${e.action} ${e.target ?? ''}`.trim()).reverse()).toEqual(['wang login', 'wang user.add li', 'li login', 'wang user.disable li', 'wang login']);
    expect(logLines.some((l) => l.includes('li-password') || l.includes('wang-password'))).toBe(false);
  });

  it('a session expires after 8 idle hours, and use keeps it alive', async () => {
    const { app, clock } = await boot();
    await addStaff(app, 'chen', 'committee');
    const cookie = await loginCookie(app, 'chen');
    clock.advance(7 * 3_600_000);
    expect((await call(app, 'GET', '/api/staff/me', { cookie })).status).toBe(200);
    clock.advance(7 * 3_600_000); // 14 h after login, 7 h after last use
    expect((await call(app, 'GET', '/api/staff/me', { cookie })).status).toBe(200);
    clock.advance(8 * 3_600_000 + 1);
    expect((await call(app, 'GET', '/api/staff/me', { cookie })).status).toBe(401);
  });

  it('login is rate-limited per client', async () => {
    const { app } = await boot();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await call(app, 'POST', '/api/staff/login', { body: { username: 'x', password: 'y' } })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('every staff endpoint refuses anonymous requests and the roles it does not admit', async () => {
    const { app } = await boot();
    const routes = app.http.protectedRoutes;
    expect(routes.length).toBeGreaterThanOrEqual(5);
    const cookies = Object.fromEntries(await Promise.all(ROLES.map(async (r) => [r, (await addStaff(app, `user-${r}`, r), await loginCookie(app, `user-${r}`))] as const)));
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '1');
      for (const method of route.method.split(',').filter((m) => m !== 'HEAD')) {
        const anon = await call(app, method, path, method === 'GET' ? {} : { body: {} });
        expect(anon.status, `${method} ${route.url} anonymous`).toBe(401);
        for (const role of ROLES) {
          if (role === 'admin' || route.roles.includes(role)) continue;
          const res = await call(app, method, path, { cookie: cookies[role], ...(method === 'GET' ? {} : { body: {} }) });
          expect(res.status, `${method} ${route.url} as ${role}`).toBe(403);
        }
      }
    }
  });

  it('tongxin user add creates the first admin from the command line', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const cli = join(packageRoot(), 'dist', 'src', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'user', 'add', '--username', 'first', '--role', 'admin', '--data', dir], { input: 'a long admin password\n', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(spawnSync(process.execPath, [cli, 'user', 'add', '--username', 'x', '--role', 'boss', '--data', dir], { input: 'a long admin password\n' }).status).toBe(2);
    const { app } = await startTestApp({ dataDir: dir });
    defer(() => app.stop());
    expect(await loginCookie(app, 'first', 'a long admin password')).toMatch(/^tx_session=/);
  });
});
