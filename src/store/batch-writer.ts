import type { Db } from './db.js';

/**
 * Collects rows and writes them in one transaction per flush: one SQLite commit per reading would
 * cap ingest at a few thousand per second on a Pi's SD card; one per batch does not.
 * A flush happens when `maxRows` are waiting or `maxDelayMs` after the first waiting row.
 */
export interface BatchWriter<Row> {
  add(row: Row): void;
  flush(): void;
  pending(): number;
  stop(): void;
}

export function createBatchWriter<Row>(opts: {
  db: Db;
  write: (row: Row) => void;
  maxRows?: number;
  maxDelayMs?: number;
  onError: (err: unknown, dropped: number) => void;
  /** A batch was committed (synced to disk): its rows are now durable. */
  onWritten?: (written: number) => void;
}): BatchWriter<Row> {
  const maxRows = opts.maxRows ?? 1000;
  const maxDelayMs = opts.maxDelayMs ?? 100;
  let rows: Row[] = [];
  let timer: NodeJS.Timeout | undefined;
  const writeAll = opts.db.transaction((batch: Row[]) => {
    for (const row of batch) opts.write(row);
  });

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (rows.length === 0) return;
    const batch = rows;
    rows = [];
    try {
      writeAll(batch);
    } catch (err) {
      // A full disk or a locked file: the batch is lost, but counted and reported, and the service
      // keeps running; the next batch may well succeed.
      opts.onError(err, batch.length);
      return;
    }
    opts.onWritten?.(batch.length);
  };

  return {
    add(row) {
      rows.push(row);
      if (rows.length >= maxRows) flush();
      else timer ??= setTimeout(flush, maxDelayMs);
    },
    flush,
    pending: () => rows.length,
    stop: flush,
  };
}
