import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/**
 * An online backup with SQLite's backup API while the service runs. In WAL mode the copy reads one
 * snapshot while the service goes on writing: the copy is consistent as of one instant.
 *
 * The copy is written beside the destination under a temporary name, checked with
 * `PRAGMA integrity_check`, and only then renamed into place, so a failed or interrupted backup
 * never leaves a half-written file under the name the operator will restore from.
 */
export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  pageSize: number;
  ms: number;
}

export class BackupError extends Error {
  constructor(
    message: string,
    readonly reason: 'no-source' | 'exists' | 'same-file' | 'no-dest-dir' | 'integrity',
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

// The backup API's page count per step: all of them. A step that copies only part of the pages
// lets the service commit in between, and a source written by another connection during a backup
// makes SQLite restart it from the first page: with readings committed every 100 ms, a backup in
// small steps could restart for ever. One step reads one snapshot and never restarts.
const ALL_PAGES = 0x7fffffff;

export async function backupDatabase(source: string, dest: string, opts: { force?: boolean } = {}): Promise<BackupResult> {
  const t0 = Date.now();
  const target = resolve(dest);
  if (!existsSync(source)) throw new BackupError(`no database at ${source}`, 'no-source');
  if (!existsSync(dirname(target))) throw new BackupError(`folder ${dirname(target)} does not exist`, 'no-dest-dir');
  if (existsSync(target)) {
    // --force on the live database itself would delete it (and its WAL) before the rename.
    const [a, b] = [statSync(target), statSync(source)];
    if (a.ino === b.ino && a.dev === b.dev) throw new BackupError(`${target} is the database itself`, 'same-file');
    if (!opts.force) throw new BackupError(`${target} exists; give --force to overwrite it`, 'exists');
  }
  const partial = join(dirname(target), `.${basename(target)}.partial-${process.pid}`);
  removeDbFiles(partial);

  // Read-write (WAL needs the -shm index), but nothing is written: no pragmas, no migrations.
  const src = new Database(source, { fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    await src.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    removeDbFiles(partial);
    throw err;
  } finally {
    src.close();
  }

  let pages: number;
  let pageSize: number;
  const copy = new Database(partial, { fileMustExist: true });
  try {
    const problems = (copy.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new BackupError(`the copy failed its integrity check: ${problems.slice(0, 5).join('; ')}`, 'integrity');
    }
    pages = copy.pragma('page_count', { simple: true }) as number;
    pageSize = copy.pragma('page_size', { simple: true }) as number;
    // Closing the last connection folds its WAL back in, so the copy is one self-contained file.
    copy.close();
  } catch (err) {
    if (copy.open) copy.close();
    removeDbFiles(partial);
    throw err;
  }
  // A WAL left beside an older file of the same name would be replayed onto the new copy.
  removeDbFiles(target);
  renameSync(partial, target);
  return { file: target, bytes: statSync(target).size, pages, pageSize, ms: Date.now() - t0 };
}

function removeDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) rmSync(f, { force: true });
}
