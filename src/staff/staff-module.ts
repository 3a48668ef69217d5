import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { errors } from '../core/errors.js';
import type { Module } from '../core/module.js';
import { SESSION_COOKIE, type StaffAuth } from './auth.js';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
import { ROLES, type StaffStore } from './staff-store.js';
import type { Clock } from '../core/clock.js';

/** Staff login and account management (admins), and the audit log of every staff action. */
const Credentials = Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
const NewUser = Type.Object(
  {
    username: Type.String({ pattern: '^[A-Za-z0-9_.-]{2,32}$' }),
    password: Type.String({ minLength: MIN_PASSWORD_LENGTH, maxLength: 256 }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  },
  { additionalProperties: false },
);
// Guessing passwords is slowed by argon2, and capped here per client address.
const LOGIN_RATE = { max: 10, timeWindow: '1 minute' };

export function createStaffModule(deps: { auth: StaffAuth; store: StaffStore; clock: Clock }) {
  const { auth, store, clock } = deps;
  const routes: FastifyPluginAsync = async (app) => {
    app.post('/api/staff/login', { schema: { body: Credentials }, config: { rateLimit: LOGIN_RATE } }, async (req, reply) => {
      const { username, password } = req.body as { username: string; password: string };
      const session = await auth.login(username, password);
      if (!session) throw errors.badLogin('wrong user name or password');
      req.staff = session.user;
      auth.audit(req, 'login');
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', path: '/', expires: new Date(session.expiresAt) });
      return { user: session.user };
    });
    app.post('/api/staff/logout', async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) auth.logout(token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    });
    app.get('/api/staff/me', { onRequest: auth.requireRole('staff', 'committee') }, async (req) => ({ user: req.staff }));
    app.get('/api/staff/users', { onRequest: auth.requireRole('admin') }, async () => ({ users: store.all() }));
    app.post('/api/staff/users', { onRequest: auth.requireRole('admin'), schema: { body: NewUser } }, async (req, reply) => {
      const body = req.body as { username: string; password: string; role: (typeof ROLES)[number] };
      if (store.byName(body.username)) throw errors.conflict(`user "${body.username}" exists`);
      const id = store.add(body.username, await hashPassword(body.password), body.role, clock.now());
      auth.audit(req, 'user.add', body.username, { role: body.role });
      return reply.code(201).send({ user: { id, username: body.username, role: body.role, disabled: false } });
    });
    app.post(
      '/api/staff/users/:id/disable',
      { onRequest: auth.requireRole('admin'), schema: { params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) } },
      async (req) => {
        const { id } = req.params as { id: number };
        const user = store.all().find((u) => u.id === id);
        if (!user) throw errors.notFound(`no user ${id}`);
        store.setDisabled(id, true);
        auth.audit(req, 'user.disable', user.username);
        return { user: { ...user, disabled: true } };
      },
    );
    app.get(
      '/api/staff/audit',
      { onRequest: auth.requireRole('admin'), schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 5000, default: 200 }) }) } },
      async (req) => ({ entries: store.auditLog((req.query as { limit: number }).limit) }),
    );
  };
  const module: Module = { name: 'staff', start() {}, stop() {}, routes };
  return module;
}
