/**
 * Why a write to SQLite failed, as a short label for counters and /healthz. A full SD card is the
 * failure a Pi in a lounge will meet (logs, a forgotten backup); it must read as `disk-full`, not as
 * an anonymous "store error", so that whoever looks at /healthz knows what to free.
 */
export type StoreProblem = 'disk-full' | 'read-only' | 'io-error' | 'busy' | 'corrupt' | 'error';

export function storeProblem(err: unknown): StoreProblem {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  // better-sqlite3 reports the extended code (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, …); the
  // primary code is its prefix. ENOSPC can also surface from the file system directly.
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'disk-full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'read-only';
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io-error';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  return 'error';
}
