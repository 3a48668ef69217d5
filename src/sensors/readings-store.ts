import type { Reading } from '../contract/payloads.js';
import type { Db } from '../store/db.js';
import { createBatchWriter, type BatchWriter } from '../store/batch-writer.js';

/** Reading rows in SQLite: batched inserts, and the latest reading per sensor for a restart. */
export interface ReadingsStore {
  add(reading: Reading): void;
  flush(): void;
  latest(): { sensorId: string; raw: number; value: number; at: number }[];
  history(sensorId: string, sinceMs: number, limit: number): { at: number; value: number }[];
  count(): number;
  stop(): void;
}

export function createReadingsStore(db: Db, onError: (err: unknown, dropped: number) => void): ReadingsStore {
  const insert = db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
  const writer: BatchWriter<Reading> = createBatchWriter({
    db,
    write: (r) => insert.run(r.sensorId, r.at, r.raw, r.value),
    onError,
  });
  // SQLite returns the bare columns of the row that holds max(at) in an aggregate query.
  const latest = db.prepare<[], { sensorId: string; raw: number; value: number; at: number }>(
    'SELECT sensor_id AS sensorId, raw, value, max(at) AS at FROM readings GROUP BY sensor_id',
  );
  const history = db.prepare<[string, number, number], { at: number; value: number }>(
    'SELECT at, value FROM readings WHERE sensor_id = ? AND at >= ? ORDER BY at DESC LIMIT ?',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM readings');
  return {
    add: (r) => writer.add(r),
    flush: () => writer.flush(),
    latest: () => latest.all(),
    history: (id, since, limit) => history.all(id, since, limit).reverse(),
    count: () => count.get()?.n ?? 0,
    stop: () => writer.stop(),
  };
}
