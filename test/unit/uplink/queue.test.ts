import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allMigrations } from '../../../src/migrations.js';
import { openStore } from '../../../src/store/db.js';
import { createUplinkQueue, type NewMessage } from '../../../src/uplink/queue.js';
import { QueueClass } from '../../../src/uplink/topic-policy.js';
import { memoryLogger, tempDir, useCleanup } from '../../helpers/app.js';

const defer = useCleanup();

function open(file: string) {
  const store = openStore(file, memoryLogger('warn').log, allMigrations);
  defer(() => store.close());
  return store;
}

let at = 1_000;
const reading = (n: number): NewMessage => ({ topic: `tongxin/s/sensor/a/value`, payload: Buffer.from(`r${n}`), retain: false, class: QueueClass.reading, queuedAt: at++ });
const message = (n: number): NewMessage => ({ topic: `tongxin/s/alert/x`, payload: Buffer.from(`m${n}`), retain: false, class: QueueClass.message, queuedAt: at++ });
const state = (topic: string, v: string): NewMessage => ({ topic: `tongxin/s/${topic}`, payload: Buffer.from(v), retain: true, class: QueueClass.state, queuedAt: at++ });
const payloads = (q: ReturnType<typeof createUplinkQueue>) => q.next(0, 1000).map((m) => m.payload.toString());

describe('uplink queue (SQLite)', () => {
  it('keeps messages in order across a reopen, with ids that do not change, and deletes what was acknowledged', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const file = join(dir, 'q.db');
    const s1 = open(file);
    const q1 = createUplinkQueue({ db: s1.db, boot: 'bootA', maxMessages: 1000 });
    for (let i = 0; i < 5; i++) q1.add(message(i));
    expect(q1.buffered()).toBe(5);
    expect(q1.depth()).toBe(0);
    expect(q1.flush(0)).toMatchObject({ queued: 5, dropped: 0, superseded: 0, failed: 0 });
    const rows = q1.next(0, 10);
    expect(rows.map((r) => r.payload.toString())).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(rows.map((r) => r.id)).toEqual(rows.map((r) => `bootA-${r.seq}`));
    q1.ack(rows[0]!.seq);
    q1.ack(rows[1]!.seq);
    // Acknowledged rows are not offered again before the flush deletes them.
    expect(q1.next(0, 10).map((r) => r.payload.toString())).toEqual(['m2', 'm3', 'm4']);
    expect(q1.depth()).toBe(3);
    q1.flush(rows[1]!.seq);
    s1.close();

    const s2 = open(file);
    const q2 = createUplinkQueue({ db: s2.db, boot: 'bootB', maxMessages: 1000 });
    expect(q2.depth()).toBe(3);
    const again = q2.next(0, 10);
    expect(again.map((r) => r.id)).toEqual(rows.slice(2).map((r) => r.id)); // same ids after a restart
    q2.add(message(5));
    q2.flush(0);
    const last = q2.next(again[2]!.seq, 10)[0]!;
    expect(last.id).toBe(`bootB-${last.seq}`);
    expect(last.seq).toBeGreaterThan(again[2]!.seq);
    expect(q2.oldestQueuedAt()).toBe(again[0]!.queuedAt);
  });

  it('keeps only the latest retained state per topic, but never replaces one in flight', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const q = createUplinkQueue({ db: open(join(dir, 'q.db')).db, boot: 'b', maxMessages: 1000 });
    q.add(state('bin/b1/state', 'b1-v1'));
    q.add(state('bin/b2/state', 'b2-v1'));
    q.add(state('bin/b1/state', 'b1-v2'));
    expect(q.flush(0)).toMatchObject({ queued: 3, superseded: 1 });
    expect(payloads(q)).toEqual(['b2-v1', 'b1-v2']);
    // b2-v1 is sent (in flight) when b2-v2 arrives: both stay, in order.
    const inFlight = q.next(0, 1)[0]!.seq;
    q.add(state('bin/b2/state', 'b2-v2'));
    q.add(state('bin/b1/state', 'b1-v3'));
    expect(q.flush(inFlight)).toMatchObject({ queued: 2, superseded: 1 });
    expect(payloads(q)).toEqual(['b2-v1', 'b2-v2', 'b1-v3']);
    expect(q.depth()).toBe(3);
  });

  it('over its bound drops the oldest readings first, then other messages, state last; never what is in flight', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const q = createUplinkQueue({ db: open(join(dir, 'q.db')).db, boot: 'b', maxMessages: 10 });
    q.add(message(0));
    for (let i = 0; i < 8; i++) q.add(reading(i));
    q.add(state('bin/b1/state', 's1'));
    q.add(message(1));
    q.add(state('bin/b2/state', 's2'));
    expect(q.flush(0)).toMatchObject({ queued: 12, dropped: 2 });
    expect(q.depth()).toBe(10);
    expect(payloads(q)).toEqual(['m0', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 's1', 'm1', 's2']);

    // m0 is in flight; 8 more messages push out every reading, then the oldest messages not in flight.
    const m0 = q.next(0, 1)[0]!.seq;
    for (let i = 2; i < 10; i++) q.add(message(i));
    expect(q.flush(m0)).toMatchObject({ queued: 8, dropped: 8 });
    expect(payloads(q)).toEqual(['m0', 's1', 's2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);

    // Only state and in-flight left to drop: state goes too rather than the bound being broken.
    for (let i = 0; i < 3; i++) q.add(state(`point/p${i}/state`, `p${i}`));
    q.flush(m0);
    expect(q.depth()).toBe(10);
    expect(payloads(q)[0]).toBe('m0');
  });

  it('reports a failed write (a full disk) as lost messages and keeps the acknowledgements for the next flush', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const store = open(join(dir, 'q.db'));
    const q = createUplinkQueue({ db: store.db, boot: 'b', maxMessages: 100 });
    q.add(message(0));
    q.add(message(1));
    q.flush(0);
    const [first] = q.next(0, 1);
    q.ack(first!.seq);
    store.db.exec("CREATE TRIGGER full BEFORE INSERT ON uplink_queue BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");
    q.add(message(2));
    const r = q.flush(first!.seq);
    expect(r).toMatchObject({ queued: 0, failed: 1 });
    expect(String((r.error as Error).message)).toMatch(/disk is full/);
    expect(payloads(q)).toEqual(['m1']); // the ack is still known: m0 is not offered again
    store.db.exec('DROP TRIGGER full');
    q.flush(first!.seq);
    expect(store.db.prepare('SELECT count(*) AS n FROM uplink_queue').get()).toEqual({ n: 1 });
    expect(q.depth()).toBe(1);
  });
});
