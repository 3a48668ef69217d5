import type { Reading } from '../contract/payloads.js';
import type { Db } from '../store/db.js';
import { createBatchWriter, type BatchWriter } from '../store/batch-writer.js';

/**
 * Reading rows in SQLite: batched inserts, and the latest reading per sensor for a restart (history
 * reads are src/history/history-reads.ts). A reading is durable once its batch has committed, at most
 * 100 ms (or 1,000 readings) after it arrived; only then does the history API show it.
 */
export interface ReadingsStore {
  add(reading: Reading): void;
  latest(): { sensorId: string; raw: number; value: number; at: number }[];
  stop(): void;
}

export function createReadingsStore(db: Db, onError: (err: unknown, dropped: number) => void, onWritten?: (written: number) => void): ReadingsStore {
  const insert = db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
  const writer: BatchWriter<Reading> = createBatchWriter({
    db,
    write: (r) => insert.run(r.sensorId, r.at, r.raw, r.value),
    onError,
    ...(onWritten ? { onWritten } : {}),
  });
  // SQLite returns the bare columns of the row that holds max(at) in an aggregate query.
  const latest = db.prepare<[], { sensorId: string; raw: number; value: number; at: number }>(
    'SELECT sensor_id AS sensorId, raw, value, max(at) AS at FROM readings GROUP BY sensor_id',
  );
  return {
    add: (r) => writer.add(r),
    latest: () => latest.all(),
    stop: () => writer.stop(),
  };
}
