import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBatchWriter } from '../../../src/store/batch-writer.js';
import { migrate, openStore } from '../../../src/store/db.js';
import { migrations as core } from '../../../src/store/migrations.js';

const V = core.length; // the core schema's latest version; test migrations go above it
import { memoryLogger, tempDir } from '../../helpers/app.js';

describe('store', () => {
  it('creates the file in WAL mode at the latest schema version and keeps meta across reopen', () => {
    const { dir, remove } = tempDir();
    try {
      const file = join(dir, 'nested', 'tongxin.db');
      const s1 = openStore(file, memoryLogger().log);
      expect(s1.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(s1.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(1);
      s1.setMeta('k', 'v1');
      s1.setMeta('k', 'v2');
      s1.close();
      const s2 = openStore(file, memoryLogger().log);
      expect(s2.getMeta('k')).toBe('v2');
      expect(s2.ping()).toBe(true);
      s2.close();
      expect(s2.ping()).toBe(false);
    } finally {
      remove();
    }
  });

  it('applies only new migrations, each once, and refuses a database newer than the code', () => {
    const { dir, remove } = tempDir();
    try {
      const { log, lines } = memoryLogger();
      const one = { version: V + 1, name: 'one', sql: 'CREATE TABLE t1 (x)' };
      const s = openStore(join(dir, 'a.db'), log, [...core, one]);
      migrate(s.db, [...core, one, { version: V + 2, name: 'two', sql: 'CREATE TABLE t2 (y)' }], log);
      expect(s.db.pragma('user_version', { simple: true })).toBe(V + 2);
      expect(lines.filter((l) => l.includes('migration applied'))).toHaveLength(V + 2);
      expect(() => migrate(s.db, core, log)).toThrow(/newer than this release/);
      s.close();
    } finally {
      remove();
    }
  });

  it('a failing migration leaves the schema as it was', () => {
    const { dir, remove } = tempDir();
    try {
      const { log } = memoryLogger();
      const s = openStore(join(dir, 'b.db'), log);
      expect(() => migrate(s.db, [...core, { version: V + 1, name: 'bad', sql: 'CREATE TABLE t2 (y); THIS IS NOT SQL' }], log)).toThrow();
      expect(s.db.pragma('user_version', { simple: true })).toBe(V);
      expect(s.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't2'").get()).toEqual({ n: 0 });
      s.close();
    } finally {
      remove();
    }
  });

  it('the batch writer writes in batches, flushes on stop, and reports a failed batch without throwing', () => {
    const { dir, remove } = tempDir();
    try {
      const s = openStore(join(dir, 'c.db'), memoryLogger().log, [...core, { version: V + 1, name: 't', sql: 'CREATE TABLE t (x INTEGER NOT NULL)' }]);
      const insert = s.db.prepare('INSERT INTO t (x) VALUES (?)');
      const failures: number[] = [];
      const w = createBatchWriter<number | null>({ db: s.db, write: (x) => insert.run(x), maxRows: 3, maxDelayMs: 10_000, onError: (_e, n) => failures.push(n) });
      w.add(1);
      w.add(2);
      expect(w.pending()).toBe(2);
      w.add(3); // third row: flushed at once
      expect(w.pending()).toBe(0);
      w.add(4);
      w.stop();
      expect(s.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 4 });
      w.add(5);
      w.add(null); // NOT NULL violation: the whole batch rolls back and is reported
      w.flush();
      expect(failures).toEqual([2]);
      expect(s.db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 4 });
      s.close();
    } finally {
      remove();
    }
  });
});
