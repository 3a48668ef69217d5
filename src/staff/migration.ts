import type { Migration } from '../store/migrations.js';

export const staffMigration: Migration = {
  version: 4,
  name: 'staff accounts, sessions and the audit log',
  sql: `
    CREATE TABLE staff_users (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      username      TEXT    NOT NULL UNIQUE,
      password_hash TEXT    NOT NULL,
      role          TEXT    NOT NULL CHECK (role IN ('admin', 'staff', 'committee')),
      created_at    INTEGER NOT NULL,
      disabled      INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE staff_sessions (
      token_hash TEXT PRIMARY KEY,
      user_id    INTEGER NOT NULL REFERENCES staff_users (id),
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE TABLE audit_log (
      id     INTEGER PRIMARY KEY AUTOINCREMENT,
      at     INTEGER NOT NULL,
      actor  TEXT    NOT NULL,
      action TEXT    NOT NULL,
      target TEXT,
      detail TEXT
    );
    CREATE INDEX audit_log_at ON audit_log (at);
  `,
};
