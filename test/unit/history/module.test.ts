import { describe, expect, it } from 'vitest';
import { createBus } from '../../../src/core/bus.js';
import { createManualClock } from '../../../src/core/clock.js';
import { createCounters } from '../../../src/core/counters.js';
import type { ModuleDeps } from '../../../src/deps.js';
import type { TongxinEvents } from '../../../src/events.js';
import { HOUR_MS, MINUTE_MS } from '../../../src/history/buckets.js';
import { createHistoryModule } from '../../../src/history/history-module.js';
import type { Store } from '../../../src/store/db.js';
import { memoryLogger, tempDir, useCleanup, waitFor } from '../../helpers/app.js';
import { demo, openHistoryStore } from './fixtures.js';

const NOW = Date.UTC(2026, 5, 1, 10, 0, 0);
const defer = useCleanup();

function setup(from: number, everyMs: number) {
  const { dir, remove } = tempDir();
  const store: Store = openHistoryStore(dir, 'NORMAL');
  defer(remove);
  defer(() => store.close());
  const ins = store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)');
  store.db.transaction(() => {
    for (let at = from; at < NOW; at += everyMs) for (const s of ['soil-herbs-a', 'soil-herbs-b']) ins.run(s, at, 0, at % 1000);
  })();
  const { log, lines } = memoryLogger();
  const clock = createManualClock(NOW);
  const bus = createBus<TongxinEvents>(log);
  // Only what the module uses; MQTT, HTTP auth and the outbox are not its business.
  const deps = { config: demo, store, bus, clock, log, counters: createCounters() } as unknown as ModuleDeps;
  return { store, clock, bus, deps, lines };
}
const rolledUpTo = (store: Store) => Number(store.getMeta('history.rolledUpTo'));

describe('history module', () => {
  it('runs the job at start and on its timer, and recomputes an hour a late reading went into', async () => {
    const { store, clock, bus, deps, lines } = setup(NOW - 3 * HOUR_MS, 10_000);
    const history = createHistoryModule(deps, { runEveryMs: 20 });
    history.start();
    defer(() => history.stop());
    await waitFor('the first run and its log line', () => lines.some((l) => l.includes('history rolled up')));
    expect(rolledUpTo(store)).toBe(NOW - 2 * MINUTE_MS);

    // A node replays a reading from two hours ago; ingest stores it and says so on the bus.
    const at = NOW - 2 * HOUR_MS + 5_000;
    store.db.prepare('INSERT INTO readings (sensor_id, at, raw, value) VALUES (?, ?, ?, ?)').run('soil-herbs-a', at, 0, -1);
    bus.emit('readingAccepted', { sensorId: 'soil-herbs-a', kind: 'soil-moisture', unit: '%', raw: 0, value: -1, at });
    const hour = store.db.prepare<[string, number], { n: number; min: number }>('SELECT n, min FROM readings_hour WHERE sensor_id = ? AND at = ?');
    expect(hour.get('soil-herbs-a', NOW - 2 * HOUR_MS)).toEqual({ n: 360, min: 0 });
    clock.advance(10 * MINUTE_MS);
    await waitFor('the late reading in its hour', () => hour.get('soil-herbs-a', NOW - 2 * HOUR_MS)?.n === 361);
    expect(hour.get('soil-herbs-a', NOW - 2 * HOUR_MS)?.min).toBe(-1);
    await waitFor('the timer’s roll-up', () => rolledUpTo(store) === NOW + 8 * MINUTE_MS);
  });

  it('yields to the event loop between batches and stops after the batch under way', async () => {
    // Two days of two probes every second: 345,600 readings, some 70 batches.
    const { store, deps } = setup(NOW - 2 * 24 * HOUR_MS, 1000);
    const first = createHistoryModule(deps);
    let turns = 0;
    const spin = setInterval(() => (turns += 1), 0);
    defer(() => clearInterval(spin));
    const run = first.tick();
    await waitFor('a few batches', () => rolledUpTo(store) > NOW - 40 * HOUR_MS, 10_000, 1);
    await first.stop();
    const stats = await run;
    expect(stats.done).toBe(false);
    expect(turns).toBeGreaterThan(1);
    const stoppedAt = rolledUpTo(store);
    expect(stoppedAt).toBeLessThan(NOW - 2 * MINUTE_MS);

    // The next start goes on from where the last one stopped.
    const second = createHistoryModule(deps);
    const rest = await second.tick();
    expect(rest.done).toBe(true);
    expect(rolledUpTo(store)).toBe(NOW - 2 * MINUTE_MS);
    expect(store.db.prepare('SELECT sum(n) AS n FROM readings_minute WHERE at < ?').get(NOW - 2 * MINUTE_MS)).toEqual({ n: 2 * (2 * 24 * 3600 - 120) });
  });
});
