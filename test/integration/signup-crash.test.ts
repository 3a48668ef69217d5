import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEMO_SITE_FILE } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/paths.js';
import { allMigrations } from '../../src/migrations.js';
import { openStore, type Db } from '../../src/store/db.js';
import { memoryLogger, tempDir, useCleanup, waitFor } from '../helpers/app.js';

/**
 * The compiled service under a sign-up storm, killed with SIGKILL at a random moment and restarted
 * on the same data folder, round after round. Whatever was acknowledged (201, or 200 for a
 * cancellation) must be in the file; the places are never overfilled; a cancellation and the
 * promotions it causes are all there or not at all; every change has its outbox message; and the
 * file is intact. TONGXIN_LONG=1 runs many more rounds.
 */
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const LONG = process.env.TONGXIN_LONG === '1';
const ROUNDS = LONG ? 150 : 20;
const WORKERS = 24;
const H = 3_600_000;
const defer = useCleanup();

interface Ack {
  eventId: number;
  phone: string;
  people: number;
  code: string;
  status: 'confirmed' | 'waitlisted';
  cancelSent: boolean;
  cancelAcked: boolean;
}

function startService(dir: string, site: string): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, [CLI, 'start', '--site', site, '--no-simulator', '--no-nodered', '--data', dir, '--http-port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TONGXIN_LOG_LEVEL: 'warn' },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = waitFor('the service URL', () => /kiosk at (http:\/\/[^/\s]+)\//.exec(out)?.[1], 15_000);
  return { child, url, output: () => out };
}

function addEvent(db: Db, capacity: number): number {
  const now = Date.now();
  const r = db
    .prepare(
      `INSERT INTO health_events (kind, title_zh, title_en, host, place_zh, place_en, starts_at, ends_at, capacity, signup_opens_at, signup_closes_at, created_at, updated_at)
       VALUES ('lecture', '讲座', 'Talk', 'Dr Li', '客厅', 'Lounge', ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(now + 24 * H, now + 26 * H, capacity, now - H, now + 24 * H, now, now);
  return Number(r.lastInsertRowid);
}

/** Everything the file must satisfy after a crash, given what the clients were told. */
function verify(db: Db, acks: Map<number, Ack>) {
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  expect(db.pragma('foreign_key_check')).toEqual([]);
  const rows = new Map(
    (db.prepare('SELECT id, event_id, phone, people, code, status, promoted_at FROM health_signups').all() as { id: number; event_id: number; phone: string; people: number; code: string; status: string; promoted_at: number | null }[]).map((r) => [r.id, r]),
  );
  for (const [id, a] of acks) {
    const row = rows.get(id);
    expect(row, `acknowledged sign-up ${id} is missing`).toBeDefined();
    expect({ eventId: row!.event_id, phone: row!.phone, people: row!.people, code: row!.code }).toEqual({ eventId: a.eventId, phone: a.phone, people: a.people, code: a.code });
    // Its status is what the client was told, or what a later (acknowledged or in-flight) change made of it.
    const allowed = a.cancelAcked ? ['cancelled'] : a.status === 'confirmed' ? (a.cancelSent ? ['confirmed', 'cancelled'] : ['confirmed']) : ['waitlisted', 'confirmed'];
    expect(allowed, `sign-up ${id} acknowledged ${a.status}, now ${row!.status}`).toContain(row!.status);
    if (a.status === 'waitlisted' && row!.status === 'confirmed') expect(row!.promoted_at).not.toBeNull();
  }
  const perEvent = db
    .prepare(
      `SELECT e.id, e.capacity,
              coalesce(sum(CASE WHEN s.status = 'confirmed' THEN s.people END), 0) AS confirmed,
              min(CASE WHEN s.status = 'waitlisted' THEN s.people END) AS smallestWaiter
       FROM health_events e LEFT JOIN health_signups s ON s.event_id = e.id GROUP BY e.id`,
    )
    .all() as { id: number; capacity: number; confirmed: number; smallestWaiter: number | null }[];
  for (const e of perEvent) {
    expect(e.confirmed, `event ${e.id} overfilled`).toBeLessThanOrEqual(e.capacity);
    // A cancellation and its promotions commit together: nobody is left waiting who would fit.
    if (e.smallestWaiter !== null) expect(e.smallestWaiter, `event ${e.id}: a waiter fits into free places`).toBeGreaterThan(e.capacity - e.confirmed);
  }
  // Every change has the outbox message announcing it (written in the same transaction).
  const announced = (name: string) => db.prepare(`SELECT count(*) AS n FROM outbox WHERE topic LIKE ?`).get(`%/event/${name}`) as { n: number };
  const count = (where: string) => (db.prepare(`SELECT count(*) AS n FROM health_signups WHERE ${where}`).get() as { n: number }).n;
  expect(announced('signup.created').n).toBe(rows.size);
  expect(announced('signup.cancelled').n).toBe(count("status = 'cancelled'"));
  expect(announced('signup.promoted').n).toBe(count('promoted_at IS NOT NULL'));
}

describe('sign-ups survive SIGKILL', () => {
  it('is built', () => expect(existsSync(CLI), `${CLI} is missing: run npm run build`).toBe(true));

  it(`${ROUNDS} rounds of storm, kill -9 and restart lose no acknowledged sign-up and never overfill`, { timeout: LONG ? 600_000 : 90_000 }, async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const dbFile = join(dir, 'tongxin.db');
    // The demo site, with the public rate limit raised so that the storm is not just 429s.
    const siteFile = join(dir, 'site.yaml');
    const doc = parse(readFileSync(DEMO_SITE_FILE, 'utf8')) as { http: Record<string, unknown> };
    doc.http.publicRateLimitPerMinute = 1_000_000;
    writeFileSync(siteFile, stringify(doc));
    const silent = memoryLogger('silent').log;
    const acks = new Map<number, Ack>();
    let nextPhone = 0;
    let cancelsAcked = 0;
    const t0 = Date.now();

    for (let round = 0; round < ROUNDS; round++) {
      // The service is down: check what the last crash left, then add this round's event.
      const store = openStore(dbFile, silent, allMigrations);
      let eventId: number;
      try {
        verify(store.db, acks);
        eventId = addEvent(store.db, 5 + Math.floor(Math.random() * 20));
      } finally {
        store.close();
      }

      const svc = startService(dir, siteFile);
      defer(() => svc.child.exitCode === null && svc.child.kill('SIGKILL'));
      const url = await svc.url.catch((err: unknown) => {
        throw new Error(`${String(err)}\n${svc.output()}`);
      });
      let killed = false;
      const exited = new Promise<void>((r) => svc.child.once('exit', () => r()));
      const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

      const worker = async () => {
        while (!killed) {
          const phone = `137${String(nextPhone++).padStart(8, '0')}`;
          const people = 1 + Math.floor(Math.random() * 3);
          try {
            const res = await post(`/api/health/events/${eventId}/signups`, { phone, people, consent: true });
            if (res.status !== 201) throw new Error(`sign-up answered ${res.status}: ${await res.text()}`);
            const a = (await res.json()) as { signupId: number; status: 'confirmed' | 'waitlisted'; code: string };
            const ack: Ack = { eventId, phone, people, code: a.code, status: a.status, cancelSent: false, cancelAcked: false };
            acks.set(a.signupId, ack);
            if (a.status === 'confirmed' && Math.random() < 0.2) {
              ack.cancelSent = true;
              const c = await post(`/api/health/events/${eventId}/cancel`, { lastFour: phone.slice(-4), code: a.code });
              if (c.status === 200) {
                ack.cancelAcked = true;
                cancelsAcked++;
              }
            }
          } catch (err) {
            // Connection refused or reset: the service is gone. Anything else is a failure.
            if (killed) return;
            throw err;
          }
        }
      };
      const storm = Promise.all(Array.from({ length: WORKERS }, worker)).then(
        () => undefined,
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 350));
      killed = true;
      svc.child.kill('SIGKILL');
      await exited;
      const failure = await storm;
      if (failure) throw failure;
    }

    const store = openStore(dbFile, silent, allMigrations);
    try {
      verify(store.db, acks);
    } finally {
      store.close();
    }
    expect(acks.size).toBeGreaterThan(ROUNDS);
    console.log(`${ROUNDS} kill rounds in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${acks.size} sign-ups and ${cancelsAcked} cancellations acknowledged`);
  });
});
