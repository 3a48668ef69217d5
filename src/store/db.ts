import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { errors } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { storeProblem, type StoreProblem } from './errors.js';
import { migrations as defaultMigrations, type Migration } from './migrations.js';

export type Db = Database.Database;

export interface Store {
  readonly db: Db;
  readonly file: string;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Cheap liveness probe for /healthz. */
  ping(): boolean;
  /**
   * The outcome of a background write (a batch of readings): a failure makes the store degraded
   * under its reason (`disk-full`, …) until a later write succeeds. Reads keep working meanwhile.
   */
  noteWrite(err?: unknown): void;
  /** Why background writes fail now, or undefined when the last one succeeded. */
  writeProblem(): StoreProblem | undefined;
  close(): void;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. WAL lets
 * the HTTP readers run while ingest writes. synchronous=FULL syncs every commit to disk: a sign-up or
 * an alert that was acknowledged survives a power cut, not only a crash. Readings are written in
 * batches (one commit per 100 ms), so this costs ingest little.
 */
export function openStore(file: string, log: Logger, migrations: Migration[] = defaultMigrations): Store {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQLite's own default page cache (2 MB) rather than better-sqlite3's 16 MB per connection: on a Pi
  // the difference is a tenth of the service's memory, and the hot pages stay in the OS cache anyway.
  db.pragma('cache_size = -2000');
  migrate(db, migrations, log);

  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  let problem: StoreProblem | undefined;
  return {
    db,
    file,
    getMeta: (key) => getMeta.get(key)?.value,
    setMeta: (key, value) => void setMeta.run(key, value),
    ping: () => {
      try {
        return db.open && db.prepare('SELECT 1 AS one').get() !== undefined;
      } catch {
        return false;
      }
    },
    noteWrite: (err) => {
      problem = err === undefined ? undefined : storeProblem(err);
    },
    writeProblem: () => problem,
    close: () => {
      if (!db.open) return;
      // Fold the WAL back into the main file so a copied .db is complete on its own. On a full disk
      // the checkpoint can fail; the WAL stays beside the file (SQLite folds it in at the next
      // open) and the file must still be closed.
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
    },
  };
}

export function migrate(db: Db, migrations: Migration[], log: Logger): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw errors.storeMigration(`database is at schema version ${current}, newer than this release knows (${latest})`);
  }
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    log.info({ version: m.version, migration: m.name }, 'migration applied');
  }
}
