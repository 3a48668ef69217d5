import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { allMigrations } from '../../src/migrations.js';
import { READINGS_ACCEPTED, READINGS_DROPPED, READINGS_STORED } from '../../src/sensors/ingest-module.js';
import { openStore } from '../../src/store/db.js';
import { memoryLogger, startTestApp, useCleanup, waitFor } from '../helpers/app.js';

/**
 * A full disk, for real: the service's data folder is a small tmpfs, and a file fills what is left
 * of it while readings stream in. Readings that cannot be written are dropped and counted under
 * `readings_dropped{disk-full}`; the service stays up (/healthz answers 200 and names
 * `store:disk-full`); the schedule's clock check and a device going offline (both write to SQLite from
 * a timer) do not bring it down; when the file is deleted, readings are stored again; and the
 * database passes `PRAGMA integrity_check`. Every accepted reading is either a row or counted as
 * dropped. Needs root to mount the tmpfs (as CI and these machines have); without it, it fails loudly.
 */
const SITE = 'xianxia-demo';
const SENSOR = 'soil-herbs-a';
const defer = useCleanup();

function mountTmpfs(sizeMb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tongxin-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(dir);
    throw new Error(`this test mounts a ${sizeMb} MB tmpfs to fill it, which needs root (mount -t tmpfs): ${(err as { stderr?: Buffer }).stderr?.toString() ?? String(err)}`);
  }
  return dir;
}

/** Writes zeros until the file system refuses; returns the file and how much it took. */
function fillUp(dir: string): { file: string; bytes: number } {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(16 * 1024);
  let bytes = 0;
  try {
    for (;;) bytes += writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return { file, bytes };
}

describe('a full disk', () => {
  it('drops and counts readings, stays up and says so, resumes when space is back, and corrupts nothing', { timeout: 60_000 }, async () => {
    const dir = mountTmpfs(8);
    defer(() => {
      execFileSync('umount', ['-l', dir]);
      rmdirSync(dir);
    });
    // A clock the test can move forward, to make the timers' writes (the wall time kept for clock
    // trust, device presence) happen while the disk is full, without waiting minutes.
    let offset = 0;
    const clock: Clock = { now: () => Date.now() + offset };
    const { app, logLines } = await startTestApp({ dataDir: dir, clock });
    defer(() => app.stop());
    const health = async () => {
      const res = await fetch(`${app.httpUrl}/healthz`);
      return { code: res.status, body: (await res.json()) as { status: string; degraded: string[]; checks: { store: { ok: boolean; writeProblem: string | null } } } };
    };
    const count = (name: string, label?: string) => (label === undefined ? app.counters.total(name) : app.counters.get(name, label));

    // A device publishing a reading every 5 ms, all through the test.
    const device = await mqtt.connectAsync(app.mqttUrl, { clientId: 'full-disk-probe', reconnectPeriod: 0 });
    defer(() => device.endAsync(true));
    let sending = true;
    let sent = 0;
    const stream = (async () => {
      while (sending) {
        await device.publishAsync(`tongxin/${SITE}/sensor/${SENSOR}/raw`, String(300 + (sent % 200)), { qos: 1 });
        sent++;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    defer(async () => {
      sending = false;
      await stream.catch(() => undefined);
    });

    // Room to spare: stored, healthy. The door counter is heard from once, then falls silent.
    await device.publishAsync(`tongxin/${SITE}/sensor/door-main-in/raw`, '1', { qos: 1 });
    await waitFor('readings stored', () => count(READINGS_STORED) >= 100, 10_000);
    await waitFor('doors seen', async () => ((await (await fetch(`${app.httpUrl}/api/devices`)).json()) as { devices: { id: string; status: string }[] }).devices.find((d) => d.id === 'doors')?.status === 'online');
    expect((await health()).body.degraded).toEqual([]);

    // The disk fills up.
    const filler = fillUp(dir);
    expect(statfsSync(dir).bavail, 'the file system is full').toBe(0);
    await waitFor('readings dropped as disk-full', () => count(READINGS_DROPPED, 'disk-full') > 0, 15_000);
    const full = await health();
    expect(full.code).toBe(200);
    expect(full.body.status).toBe('degraded');
    expect(full.body.degraded).toContain('store:disk-full');
    expect(full.body.checks.store).toEqual({ ok: true, writeProblem: 'disk-full' });

    // A minute later by the service's clock: the schedule's tick writes the wall time (clock trust)
    // and its pickup watermark, and the devices' tick turns the silent-seeming device offline and
    // saves it. None of it may throw out of its timer (that would end the process, and this test).
    // The schedule's own writes fail with the disk, logged; the parts that need no disk still run.
    const tickFailures = () => logLines.filter((l) => l.includes('waste tick failed'));
    offset += 61_000;
    await new Promise((r) => setTimeout(r, 5_500)); // both ticks run every 5 s
    const doors = (await (await fetch(`${app.httpUrl}/api/devices`)).json()) as { devices: { id: string; status: string; reason: string }[] };
    expect(doors.devices.find((d) => d.id === 'doors'), 'the silent device is offline, saved or not').toMatchObject({ status: 'offline', reason: 'silent' });
    for (const line of tickFailures()) expect(line, 'a tick fails only for the full disk').toContain('"code":"SQLITE_FULL"');
    expect(logLines.filter((l) => l.includes('clock') && l.includes('SQLITE_FULL')), 'the wall-time write does not fail the tick').toEqual([]);
    const stillFull = await health();
    expect(stillFull.code).toBe(200);
    expect(stillFull.body.degraded).toContain('store:disk-full');
    const sensors = await fetch(`${app.httpUrl}/api/sensors`);
    expect(sensors.status).toBe(200);
    const droppedWhileFull = count(READINGS_DROPPED, 'disk-full');
    expect(droppedWhileFull).toBeGreaterThan(0);
    expect(count(READINGS_DROPPED), 'dropped for no other reason').toBe(droppedWhileFull);

    // Space is back: stored again, no longer degraded.
    rmSync(filler.file);
    const storedBefore = count(READINGS_STORED);
    await waitFor('readings stored again', () => count(READINGS_STORED) > storedBefore + 50, 15_000);
    await waitFor('store no longer degraded', async () => !(await health()).body.degraded.includes('store:disk-full'), 5_000);
    expect((await health()).body.checks.store).toEqual({ ok: true, writeProblem: null });
    const failuresWhileFull = tickFailures().length;
    await new Promise((r) => setTimeout(r, 5_500));
    expect(tickFailures().length, 'the schedule ticks without failing once space is back').toBe(failuresWhileFull);

    // Every accepted reading is a row or was counted as dropped; the file is intact.
    sending = false;
    await stream;
    await waitFor('last batch written', () => count(READINGS_ACCEPTED) === count(READINGS_STORED) + count(READINGS_DROPPED), 5_000);
    const rows = (app.store.db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n;
    expect(rows, 'rows = readings counted as stored').toBe(count(READINGS_STORED));
    expect(count(READINGS_ACCEPTED)).toBe(sent + 1);
    expect(app.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    await app.stop();
    const reopened = openStore(join(dir, 'tongxin.db'), memoryLogger('silent').log, allMigrations);
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((reopened.db.prepare('SELECT count(*) AS n FROM readings').get() as { n: number }).n).toBe(rows);
    } finally {
      reopened.close();
    }
    console.log(`full disk (${(filler.bytes / 1e6).toFixed(1)} MB filler on an 8 MB tmpfs): ${sent} readings sent, ${rows} stored, ${droppedWhileFull} dropped and counted as disk-full`);
  });
});
