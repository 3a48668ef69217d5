import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { dummyHash, verifyPassword } from './passwords.js';
import type { Role, StaffStore, StaffUser } from './staff-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffUser;
  }
}

/**
 * Staff login sessions and the guard for every staff endpoint (use it as the route's `onRequest`,
 * so an unauthenticated request is refused before its body is parsed or validated). A session is a random token in an
 * HttpOnly, SameSite=Strict cookie; it expires after `idleHours` without use. An admin may do what
 * every role may; the other roles only their own.
 */
export const SESSION_COOKIE = 'tx_session';

export type RoleGuard = ((req: FastifyRequest, reply: FastifyReply) => Promise<void>) & { roles: readonly Role[] };

export interface StaffAuth {
  requireRole(...roles: Role[]): RoleGuard;
  login(username: string, password: string): Promise<{ token: string; user: StaffUser; expiresAt: number } | undefined>;
  logout(token: string): void;
  audit(req: FastifyRequest, action: string, target?: string, detail?: unknown): void;
}

export function createStaffAuth(opts: { store: StaffStore; clock: Clock; idleHours?: number }): StaffAuth {
  const idleMs = (opts.idleHours ?? 8) * 3_600_000;
  const { store, clock } = opts;
  return {
    requireRole(...roles) {
      const guard = async (req: FastifyRequest, reply: FastifyReply) => {
        const token = req.cookies?.[SESSION_COOKIE];
        const now = clock.now();
        const session = token ? store.findSession(token, now) : undefined;
        if (!token || !session) {
          return void reply.code(401).send({ error: { code: 'TX_UNAUTHENTICATED', message: 'log in as staff first' } });
        }
        if (session.user.role !== 'admin' && !roles.includes(session.user.role)) {
          return void reply.code(403).send({ error: { code: 'TX_FORBIDDEN', message: `this needs the role ${roles.join(' or ')}` } });
        }
        // Sliding expiry, written at most once a minute rather than on every request.
        if (session.expiresAt - now < idleMs - 60_000) store.extendSession(token, now + idleMs);
        req.staff = session.user;
      };
      return Object.assign(guard, { roles: [...roles] as const });
    },
    async login(username, password) {
      const row = store.byName(username);
      if (!row) {
        await verifyPassword(await dummyHash(), password);
        return undefined;
      }
      if (row.disabled === 1 || !(await verifyPassword(row.passwordHash, password))) return undefined;
      const token = randomBytes(32).toString('base64url');
      const now = clock.now();
      store.pruneSessions(now);
      store.startSession(token, row.id, now, now + idleMs);
      return { token, user: { id: row.id, username: row.username, role: row.role, disabled: false }, expiresAt: now + idleMs };
    },
    logout: (token) => store.endSession(token),
    audit(req, action, target, detail) {
      store.audit(clock.now(), req.staff?.username ?? 'anonymous', action, target ?? null, detail);
    },
  };
}
