import type { RunningApp } from '../../src/app.js';
import { hashPassword } from '../../src/staff/passwords.js';
import { createStaffStore, type Role } from '../../src/staff/staff-store.js';

/** Creates a staff account directly in the store (as `tongxin user add` does). */
export async function addStaff(app: RunningApp, username: string, role: Role, password = `${username}-password`) {
  createStaffStore(app.store.db).add(username, await hashPassword(password), role, Date.now());
  return { username, password };
}

/** Logs in and returns the Cookie header value for later requests. */
export async function loginCookie(app: RunningApp, username: string, password = `${username}-password`): Promise<string> {
  const res = await fetch(`${app.httpUrl}/api/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] as string;
}

/** A request with the JSON body and cookie a browser would send. */
export function call(app: RunningApp, method: string, path: string, opts: { cookie?: string; body?: unknown } = {}) {
  return fetch(`${app.httpUrl}${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.cookie ? { cookie: opts.cookie } : {}) },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
}
