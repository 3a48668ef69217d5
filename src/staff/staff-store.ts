import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';

/** Staff users, their login sessions (only a hash of each token is stored) and the audit log. */
export type Role = 'admin' | 'staff' | 'committee';
export const ROLES: Role[] = ['admin', 'staff', 'committee'];

export interface StaffUser {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function createStaffStore(db: Db) {
  const q = {
    add: db.prepare('INSERT INTO staff_users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)'),
    byName: db.prepare<[string], { id: number; username: string; role: Role; disabled: number; passwordHash: string }>(
      'SELECT id, username, role, disabled, password_hash AS passwordHash FROM staff_users WHERE username = ?',
    ),
    all: db.prepare<[], { id: number; username: string; role: Role; disabled: number }>('SELECT id, username, role, disabled FROM staff_users ORDER BY username'),
    setDisabled: db.prepare('UPDATE staff_users SET disabled = ? WHERE id = ?'),
    session: db.prepare('INSERT INTO staff_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    lookup: db.prepare<[string, number], { id: number; username: string; role: Role; disabled: number; expiresAt: number }>(
      `SELECT u.id, u.username, u.role, u.disabled, s.expires_at AS expiresAt FROM staff_sessions s
       JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?`,
    ),
    extend: db.prepare('UPDATE staff_sessions SET expires_at = ? WHERE token_hash = ?'),
    end: db.prepare('DELETE FROM staff_sessions WHERE token_hash = ?'),
    endAllFor: db.prepare('DELETE FROM staff_sessions WHERE user_id = ?'),
    prune: db.prepare('DELETE FROM staff_sessions WHERE expires_at <= ?'),
    audit: db.prepare('INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)'),
    auditList: db.prepare<[number], { id: number; at: number; actor: string; action: string; target: string | null; detail: string | null }>(
      'SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?',
    ),
  };
  const user = (r: { id: number; username: string; role: Role; disabled: number }): StaffUser => ({ id: r.id, username: r.username, role: r.role, disabled: r.disabled === 1 });
  return {
    add: (username: string, passwordHash: string, role: Role, now: number) => Number(q.add.run(username, passwordHash, role, now).lastInsertRowid),
    byName: (username: string) => q.byName.get(username),
    all: () => q.all.all().map(user),
    setDisabled: (id: number, disabled: boolean) => {
      q.setDisabled.run(disabled ? 1 : 0, id);
      if (disabled) q.endAllFor.run(id);
    },
    startSession: (token: string, userId: number, now: number, expiresAt: number) => q.session.run(tokenHash(token), userId, now, expiresAt),
    findSession: (token: string, now: number) => {
      const r = q.lookup.get(tokenHash(token), now);
      return r && r.disabled === 0 ? { user: user(r), expiresAt: r.expiresAt } : undefined;
    },
    extendSession: (token: string, expiresAt: number) => q.extend.run(expiresAt, tokenHash(token)),
    endSession: (token: string) => q.end.run(tokenHash(token)),
    pruneSessions: (now: number) => q.prune.run(now),
    audit: (at: number, actor: string, action: string, target: string | null, detail: unknown) =>
      q.audit.run(at, actor, action, target, detail === undefined ? null : JSON.stringify(detail)),
    auditLog: (limit: number) => q.auditList.all(limit).map((r) => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) })),
  };
}
export type StaffStore = ReturnType<typeof createStaffStore>;
