import type { Db } from '../store/db.js';
import type { QueueClass } from './topic-policy.js';

/**
 * The uplink's store-and-forward queue in SQLite (migration.ts). Messages are collected in memory
 * and written in one transaction per flush (one commit per message would mean one disk sync per
 * message on the Pi's SD card); acknowledgements are collected too and their rows deleted in the
 * same transaction. Rows at or below `protectedUpTo` (in flight: handed to the MQTT client, not yet
 * acknowledged) are never dropped or superseded, so what is counted forwarded was not also counted
 * dropped.
 */
export interface NewMessage {
  topic: string;
  payload: Buffer;
  retain: boolean;
  class: QueueClass;
  queuedAt: number;
}

export interface QueuedMessage extends NewMessage {
  seq: number;
  /** The id a central consumer dedupes by: `<boot>-<seq>`, stable across re-sends and restarts. */
  id: string;
}

export interface FlushResult {
  queued: number;
  /** Retained state replaced by a newer one for the same topic before it was sent. */
  superseded: number;
  /** Over the bound: readings first, then other messages, then state; oldest first. */
  dropped: number;
  /** Lost because the write failed (a full disk): counted, the service goes on. */
  failed: number;
  error?: unknown;
}

export interface UplinkQueue {
  add(m: NewMessage): void;
  /** The row is acknowledged: deleted at the next flush. */
  ack(seq: number): void;
  flush(protectedUpTo: number): FlushResult;
  /** Rows after `afterSeq`, oldest first. */
  next(afterSeq: number, limit: number): QueuedMessage[];
  /** Messages stored and not yet acknowledged. */
  depth(): number;
  /** Messages waiting in memory for the next flush. */
  buffered(): number;
  oldestQueuedAt(): number | undefined;
}

interface Row {
  seq: number;
  boot: string;
  topic: string;
  payload: Buffer;
  retain: number;
  class: QueueClass;
  queued_at: number;
}

export function createUplinkQueue(opts: { db: Db; boot: string; maxMessages: number }): UplinkQueue {
  const { db, boot, maxMessages } = opts;
  const insert = db.prepare('INSERT INTO uplink_queue (boot, topic, payload, retain, class, queued_at) VALUES (?, ?, ?, ?, ?, ?)');
  const supersede = db.prepare('DELETE FROM uplink_queue WHERE retain = 1 AND topic = ? AND seq > ?');
  const remove = db.prepare('DELETE FROM uplink_queue WHERE seq = ?');
  const dropOver = db.prepare('DELETE FROM uplink_queue WHERE seq IN (SELECT seq FROM uplink_queue WHERE seq > ? ORDER BY class, seq LIMIT ?)');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM uplink_queue');
  const after = db.prepare<[number, number], Row>('SELECT seq, boot, topic, payload, retain, class, queued_at FROM uplink_queue WHERE seq > ? ORDER BY seq LIMIT ?');
  const oldest = db.prepare<[], { queued_at: number }>('SELECT queued_at FROM uplink_queue ORDER BY seq LIMIT 1');

  let rows = count.get()?.n ?? 0;
  let buffer: NewMessage[] = [];
  let acked = new Set<number>();

  const write = db.transaction((batch: NewMessage[], acks: Set<number>, protectedUpTo: number) => {
    let deleted = 0;
    for (const seq of acks) deleted += remove.run(seq).changes;
    let superseded = 0;
    for (const m of batch) {
      if (m.retain) superseded += supersede.run(m.topic, protectedUpTo).changes;
      insert.run(boot, m.topic, m.payload, m.retain ? 1 : 0, m.class, m.queuedAt);
    }
    const total = rows - deleted - superseded + batch.length;
    const dropped = total > maxMessages ? dropOver.run(protectedUpTo, total - maxMessages).changes : 0;
    return { deleted, superseded, dropped, total: total - dropped };
  });

  return {
    add(m) {
      buffer.push(m);
    },
    ack(seq) {
      acked.add(seq);
    },
    flush(protectedUpTo) {
      if (buffer.length === 0 && acked.size === 0) return { queued: 0, superseded: 0, dropped: 0, failed: 0 };
      const batch = buffer;
      const acks = acked;
      buffer = [];
      acked = new Set();
      try {
        const r = write(batch, acks, protectedUpTo);
        rows = r.total;
        return { queued: batch.length, superseded: r.superseded, dropped: r.dropped, failed: 0 };
      } catch (error) {
        // The transaction rolled back: the acks are kept for the next try, the batch is lost.
        for (const seq of acks) acked.add(seq);
        rows = count.get()?.n ?? rows;
        return { queued: 0, superseded: 0, dropped: 0, failed: batch.length, error };
      }
    },
    next(afterSeq, limit) {
      // An acknowledged row waits for the next flush to be deleted: it is not sent again meanwhile.
      return after.all(afterSeq, limit).filter((r) => !acked.has(r.seq)).map((r) => ({
        seq: r.seq,
        id: `${r.boot}-${r.seq}`,
        topic: r.topic,
        payload: r.payload,
        retain: r.retain === 1,
        class: r.class,
        queuedAt: r.queued_at,
      }));
    },
    depth: () => Math.max(0, rows - acked.size),
    buffered: () => buffer.length,
    oldestQueuedAt: () => oldest.get()?.queued_at,
  };
}
