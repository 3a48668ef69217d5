import { describe, it, expect, afterEach } from 'vitest';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createCounters } from '../../../src/core/counters.js';
import { createSupervisor, type ChildSpec, type Supervisor } from '../../../src/supervise/supervisor.js';

interface Line {
  level: number;
  time: number;
  msg: string;
  child?: string;
  reason?: string;
  delayMs?: number;
  pid?: number;
  stream?: string;
}

/** Real pino writing JSON lines into an array, so tests see exactly what the service would log. */
function setup() {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Line);
      cb();
    },
  });
  const counters = createCounters();
  const sup = createSupervisor({ log: pino({ level: 'debug' }, stream), counters });
  running.push(sup);
  return { sup, lines, counters };
}

/** Every test stops its supervisor, even when an assertion failed half-way. */
const running: Supervisor[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.stop()));
});

function nodeChild(name: string, script: string, extra: Partial<ChildSpec> = {}): ChildSpec {
  return { name, command: process.execPath, args: ['-e', script], ...extra };
}

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const of = (lines: Line[], child: string, msg: string | RegExp) =>
  lines.filter((l) => l.child === child && (typeof msg === 'string' ? l.msg === msg : msg.test(l.msg)));

describe('supervisor', () => {
  it('restarts a crashing child with doubling delays capped at maxMs', async () => {
    const { sup, lines, counters } = setup();
    sup.add(nodeChild('crash', 'process.exit(1)', { backoff: { initialMs: 50, maxMs: 400, resetAfterMs: 60_000 } }));
    sup.start();
    await waitFor(() => of(lines, 'crash', 'child started').length >= 6, 5000, '6 starts');

    const exits = of(lines, 'crash', /restarting in/);
    expect(exits.slice(0, 5).map((l) => l.delayMs)).toEqual([50, 100, 200, 400, 400]);
    expect(exits[0]?.reason).toBe('exited with code 1');
    // The delays really happen: measured from each exit to the next start, within timing noise.
    const starts = of(lines, 'crash', 'child started');
    for (let i = 0; i < 5; i++) {
      const gap = starts[i + 1]!.time - exits[i]!.time;
      expect(gap).toBeGreaterThanOrEqual(exits[i]!.delayMs! - 5);
      expect(gap).toBeLessThan(exits[i]!.delayMs! + 250);
    }
    expect(sup.status()[0]?.restarts).toBeGreaterThanOrEqual(5);
    expect(counters.get('supervisor_restarts', 'crash')).toBe(sup.status()[0]?.restarts);
  });

  it('resets the backoff after a run that lasted resetAfterMs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongxin-sup-'));
    try {
      // Runs 1-3 crash at once, run 4 lives 1300 ms, later runs crash at once again. resetAfterMs is
      // far above a crash-at-once run (Node start-up alone can take a few hundred ms on a loaded box).
      const script = `
        const fs = require('node:fs'), f = ${JSON.stringify(join(dir, 'n'))};
        const n = (fs.existsSync(f) ? Number(fs.readFileSync(f, 'utf8')) : 0) + 1;
        fs.writeFileSync(f, String(n));
        setTimeout(() => process.exit(1), n === 4 ? 1300 : 0);`;
      const { sup, lines } = setup();
      sup.add(nodeChild('flappy', script, { backoff: { initialMs: 50, maxMs: 5000, resetAfterMs: 1000 } }));
      sup.start();
      await waitFor(() => of(lines, 'flappy', /restarting in/).length >= 5, 5000, '5 exits');
      // Without the reset the 4th delay would be 400 and the 5th 800.
      expect(of(lines, 'flappy', /restarting in/).slice(0, 5).map((l) => l.delayMs)).toEqual([50, 100, 200, 50, 100]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kills and restarts a child that stops heart-beating', async () => {
    const { sup, lines, counters } = setup();
    sup.add(nodeChild('hb', 'setInterval(() => {}, 1000)', { heartbeatTimeoutMs: 200, backoff: { initialMs: 50 } }));
    sup.start();
    await waitFor(() => sup.status()[0]?.state === 'running', 3000, 'running');
    const firstPid = sup.status()[0]!.pid!;

    // Heart-beating keeps it alive well past the timeout.
    for (let i = 0; i < 8; i++) {
      await sleep(50);
      sup.heartbeat('hb');
    }
    expect(sup.status()[0]).toMatchObject({ pid: firstPid, restarts: 0 });

    // Silence: killed after ~200 ms, restarted after 50 ms.
    await waitFor(() => sup.status()[0]?.restarts === 1, 2000, 'hang restart');
    expect(sup.status()[0]?.lastExit?.reason).toBe('hung: no heartbeat for 200 ms');
    expect(of(lines, 'hb', /restarting in/)[0]?.reason).toMatch(/hung.*heartbeat/);
    expect(counters.get('supervisor_restarts', 'hb')).toBe(1);
    await waitFor(() => sup.status()[0]?.state === 'running', 3000, 'running again');
    expect(sup.status()[0]?.pid).not.toBe(firstPid);
    expect(alive(firstPid)).toBe(false);
  });

  it('stop() SIGKILLs a child that ignores SIGTERM, and restarts nothing', async () => {
    const { sup, lines } = setup();
    const script = `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready');`;
    sup.add(nodeChild('stubborn', script, { stopTimeoutMs: 300, backoff: { initialMs: 20 } }));
    sup.start();
    // Only stop once its SIGTERM handler is installed, otherwise SIGTERM would simply kill it.
    await waitFor(() => of(lines, 'stubborn', 'ready').length === 1, 3000, 'ready');
    const pid = sup.status()[0]!.pid!;

    const t0 = Date.now();
    await sup.stop();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290); // it did ignore SIGTERM...
    expect(took).toBeLessThan(300 + 1000); // ...and was killed soon after stopTimeoutMs
    expect(() => process.kill(pid, 0)).toThrow();
    expect(sup.status()[0]).toMatchObject({ state: 'stopped', pid: null, restarts: 0, nextStartAt: null });
    expect(sup.status()[0]?.lastExit?.signal).toBe('SIGKILL');

    await sleep(150); // longer than the backoff: a restart would have happened by now
    expect(of(lines, 'stubborn', 'child started')).toHaveLength(1);
    await sup.stop(); // idempotent
    expect(sup.status()[0]?.state).toBe('stopped');
  });

  it('logs and retries a command that does not exist, without throwing', async () => {
    const { sup, lines, counters } = setup();
    expect(() => {
      sup.add({ name: 'ghost', command: '/nonexistent/tongxin-no-such-binary', args: [], backoff: { initialMs: 30 } });
      sup.start();
    }).not.toThrow();
    await waitFor(() => counters.get('supervisor_restarts', 'ghost') >= 3, 3000, '3 retries');
    const warns = of(lines, 'ghost', /restarting in/);
    expect(warns[0]).toMatchObject({ level: 40, reason: 'failed to spawn: ENOENT' });
    expect(sup.status()[0]?.lastExit?.reason).toBe('failed to spawn: ENOENT');
  });

  it('forwards stdout lines at info and stderr lines at warn, flushing a partial last line', async () => {
    const { sup, lines } = setup();
    const script = `process.stdout.write('hello out\\ntwo'); process.stdout.write(' parts\\n');
      process.stderr.write('oops err'); setTimeout(() => {}, 50);`;
    sup.add(nodeChild('talker', script, { backoff: { initialMs: 5000 } }));
    sup.start();
    await waitFor(() => sup.status()[0]?.state === 'backoff', 3000, 'exit');
    await waitFor(() => of(lines, 'talker', 'oops err').length === 1, 1000, 'stderr tail');

    const out = lines.filter((l) => l.child === 'talker' && l.stream !== undefined);
    expect(out.map((l) => [l.stream, l.level, l.msg])).toEqual(
      expect.arrayContaining([
        ['stdout', 30, 'hello out'],
        ['stdout', 30, 'two parts'],
        ['stderr', 40, 'oops err'],
      ]),
    );
    expect(out).toHaveLength(3);
  });
});
