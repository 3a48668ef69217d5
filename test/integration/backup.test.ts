import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths.js';
import { allMigrations } from '../../src/migrations.js';
import { openStore } from '../../src/store/db.js';
import { memoryLogger, tempDir, useCleanup, waitFor } from '../helpers/app.js';

/**
 * `tongxin db backup` (compiled, as an operator runs it) against a database that another process
 * keeps writing to, as the service does. A copy must be one consistent instant: whole transactions
 * only, every table readable, and a file the service opens without migrating anything.
 */
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const BATCH = 50;
const defer = useCleanup();

const backup = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, 'db', 'backup', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });

/** A process that commits BATCH readings, all with the batch's number in `raw`, every 2 ms. */
function startWriter(file: string): { child: ChildProcess; ready: Promise<unknown> } {
  const script = `
    import { createRequire } from 'node:module';
    const Database = createRequire(process.cwd() + '/')('better-sqlite3');
    const db = new Database(${JSON.stringify(file)});
    db.pragma('journal_mode = WAL'); db.pragma('synchronous = FULL'); db.pragma('busy_timeout = 5000');
    const ins = db.prepare("INSERT INTO readings (sensor_id, at, raw, value) VALUES ('writer', ?, ?, 1)");
    let batch = 0;
    const write = db.transaction(() => { batch += 1; for (let i = 0; i < ${BATCH}; i++) ins.run(Date.now(), batch); });
    write(); process.stdout.write('ready\\n');
    const timer = setInterval(write, 2);
    process.on('SIGTERM', () => { clearInterval(timer); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  defer(() => child.exitCode === null && child.kill('SIGKILL'));
  return { child, ready: waitFor('the writer', () => out.includes('ready'), 10_000) };
}

function countReadings(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('tongxin db backup', () => {
  it('copies a database that is being written to into a consistent file the service opens as it is', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const file = join(dir, 'tongxin.db');
    const seed = openStore(file, memoryLogger().log, allMigrations);
    const ins = seed.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
    seed.db.transaction(() => {
      for (let i = 0; i < 300_000; i++) ins.run(`s${i % 20}`, 1_767_225_600_000 + i * 150, i, i / 7);
    })();
    seed.setMeta('backup-test', 'seeded');
    seed.close();

    const writer = startWriter(file);
    await writer.ready;
    const before = countReadings(file);
    const out = join(dir, 'copy.db');
    const r = await backup([out, '--data', dir]);
    const after = countReadings(file);
    writer.child.kill('SIGTERM');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^backup written to .*copy\.db: \d+ bytes \([\d.]+ MiB\), \d+ pages of 4096 bytes, integrity ok/);
    // The copy is one file: its WAL was folded in before it got its name.
    expect(existsSync(`${out}-wal`)).toBe(false);

    const copy = new Database(out, { readonly: true, fileMustExist: true });
    defer(() => copy.close());
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    const tables = copy.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    for (const { name } of tables) expect(() => copy.prepare(`SELECT count(*) FROM "${name}"`).get()).not.toThrow();
    const n = (copy.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;
    expect(before).toBeLessThan(after); // the writer went on during the backup
    expect(n).toBeGreaterThanOrEqual(before);
    expect(n).toBeLessThanOrEqual(after);
    // Whole transactions only: every batch the copy has, it has all of.
    expect(copy.prepare("SELECT raw, count(*) AS n FROM readings WHERE sensor_id = 'writer' GROUP BY raw HAVING n <> ?").all(BATCH)).toEqual([]);
    expect(copy.prepare("SELECT value FROM meta WHERE key = 'backup-test'").get()).toEqual({ value: 'seeded' });

    // Restoring is copying the file into a data folder: the service opens it without migrating.
    const restored = join(dir, 'restored', 'tongxin.db');
    mkdirSync(join(dir, 'restored'));
    copyFileSync(out, restored);
    const { log, lines } = memoryLogger();
    const store = openStore(restored, log, allMigrations);
    expect(store.db.pragma('user_version', { simple: true })).toBe(Math.max(...allMigrations.map((m) => m.version)));
    expect((store.db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n).toBe(n);
    store.close();
    expect(lines.filter((l) => l.includes('migration applied'))).toEqual([]);
  }, 60_000);

  it('refuses to overwrite a file without --force, and a missing data folder, with exit code 2', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    openStore(join(dir, 'tongxin.db'), memoryLogger().log, allMigrations).close();
    const out = join(dir, 'keep.db');
    writeFileSync(out, 'not a backup');

    const refused = await backup([out, '--data', dir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('exists; give --force');
    expect(readFileSync(out, 'utf8')).toBe('not a backup');

    const forced = await backup([out, '--data', dir, '--force']);
    expect(forced.status).toBe(0);
    const copy = new Database(out, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    copy.close();

    const itself = await backup([join(dir, 'tongxin.db'), '--data', dir, '--force']);
    expect(itself.status).toBe(2);
    expect(itself.stderr).toContain('is the database itself');
    expect(countReadings(join(dir, 'tongxin.db'))).toBe(0);

    const missing = spawnSync(process.execPath, [CLI, 'db', 'backup', join(dir, 'x.db'), '--data', join(dir, 'no-such-folder')], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/data folder .*no-such-folder does not exist/);
    expect(existsSync(join(dir, 'x.db'))).toBe(false);
  }, 30_000);
});
