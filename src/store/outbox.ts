import type { Db } from './db.js';

/**
 * Messages that must reach the broker even across a restart of the service or the broker: written
 * to SQLite in the same transaction as the change they announce, then published and marked sent
 * only once the broker has acknowledged them (QoS 1 PUBACK). aedes keeps its own queues in memory
 * only, so this table is what makes an alert survive.
 */
export interface OutboxMessage {
  topic: string;
  payload: string;
  qos: 0 | 1;
  retain: boolean;
}

export interface Outbox {
  /** Call inside the caller's transaction. */
  add(message: OutboxMessage, now: number): void;
  /** Publishes what is waiting, oldest first; stops at the first failure and leaves the rest. */
  dispatch(publish: (m: OutboxMessage) => Promise<void>, now: () => number): Promise<number>;
  pending(): number;
}

const BATCH = 200;

export function createOutbox(db: Db): Outbox {
  const insert = db.prepare('INSERT INTO outbox (topic, payload, qos, retain, created_at) VALUES (?, ?, ?, ?, ?)');
  const waiting = db.prepare<[number], { id: number; topic: string; payload: string; qos: 0 | 1; retain: number }>(
    'SELECT id, topic, payload, qos, retain FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?',
  );
  const markSent = db.prepare('UPDATE outbox SET sent_at = ? WHERE id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL');
  // Old sent rows are history nobody reads; keep a day of them for debugging.
  const prune = db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?');
  let running: Promise<number> | undefined;

  const run = async (publish: (m: OutboxMessage) => Promise<void>, now: () => number) => {
    let sent = 0;
    for (;;) {
      const rows = waiting.all(BATCH);
      if (rows.length === 0) break;
      for (const row of rows) {
        await publish({ topic: row.topic, payload: row.payload, qos: row.qos, retain: row.retain === 1 });
        markSent.run(now(), row.id);
        sent++;
      }
    }
    prune.run(now() - 86_400_000);
    return sent;
  };

  return {
    add(m, now) {
      insert.run(m.topic, m.payload, m.qos, m.retain ? 1 : 0, now);
    },
    dispatch(publish, now) {
      // One dispatcher at a time, so a message is never published twice concurrently.
      running ??= run(publish, now).finally(() => {
        running = undefined;
      });
      return running;
    },
    pending: () => count.get()?.n ?? 0,
  };
}
