import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../../src/config/load.js';
import { siteTopics } from '../../../src/contract/topics.js';
import type { LoungeOccupancyPayload, Reading } from '../../../src/contract/payloads.js';
import { createBus } from '../../../src/core/bus.js';
import { createManualClock } from '../../../src/core/clock.js';
import { createCounters } from '../../../src/core/counters.js';
import type { ModuleDeps } from '../../../src/deps.js';
import type { TongxinEvents } from '../../../src/events.js';
import { createLoungeModule } from '../../../src/lounge/lounge-module.js';
import { allMigrations } from '../../../src/migrations.js';
import { openStore, type Store } from '../../../src/store/db.js';
import { memoryLogger, tempDir, useCleanup } from '../../helpers/app.js';

/**
 * The lounge module with a real SQLite file and bus, and MQTT recorded at its edge: what it puts on
 * the bus per person, when it publishes, how it batches writes and what a restart keeps.
 */
const defer = useCleanup();
const local = (hour: number, minute = 0) => Date.UTC(2026, 10, 30, hour - 8, minute); // Shanghai, 30 Nov 2026
const config = loadSiteConfig(); // the demo site: open 08:30–20:30, doors door-main and door-garden

function setup(store?: Store, clock = createManualClock(local(9))) {
  const dir = tempDir();
  defer(dir.remove);
  const s = store ?? openStore(join(dir.dir, 'tongxin.db'), memoryLogger('silent').log, allMigrations);
  if (!store) defer(() => s.close());
  const logger = memoryLogger('debug');
  const bus = createBus<TongxinEvents>(logger.log);
  const published: { topic: string; payload: LoungeOccupancyPayload; qos?: number; retain?: boolean }[] = [];
  const mqtt = { publish: async (topic: string, payload: string, opts?: { qos?: 0 | 1; retain?: boolean }) => void published.push({ topic, payload: JSON.parse(payload), ...opts }) };
  const counters = createCounters();
  const deps = { config, topics: siteTopics(config.site.id), store: s, bus, mqtt, clock, log: logger.log, counters, auth: { requireRole: () => Object.assign(async () => {}, { roles: [] }) }, outbox: {} } as unknown as ModuleDeps;
  const events: { doorPassed: TongxinEvents['doorPassed'][]; occupancy: LoungeOccupancyPayload[] } = { doorPassed: [], occupancy: [] };
  bus.on('test', 'doorPassed', (e) => events.doorPassed.push(e));
  bus.on('test', 'occupancyChanged', (e) => events.occupancy.push(e));
  const reading = (sensorId: string, value: number, at = clock.now()): Reading => ({ sensorId, kind: 'footfall', unit: 'people', raw: value, value, at });
  return { module: createLoungeModule(deps), store: s, bus, clock, published, events, counters, logger, reading };
}

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('lounge module', () => {
  it('puts one doorPassed per person on the bus and publishes the retained occupancy on start and on change only', async () => {
    const { module, bus, published, events, reading, clock } = setup();
    await module.start();
    defer(() => module.stop());
    expect(events.occupancy).toEqual([{ inside: 0, visitsToday: 0, open: true, at: new Date(local(9)).toISOString() }]);
    expect(published).toMatchObject([{ topic: `tongxin/${config.site.id}/lounge/occupancy`, qos: 1, retain: true, payload: { inside: 0, visitsToday: 0, open: true } }]);

    clock.advance(1000);
    bus.emit('readingAccepted', reading('door-garden-in', 3));
    expect(events.doorPassed).toEqual(Array(3).fill({ doorId: 'door-garden', direction: 'in', at: local(9) + 1000 }));
    bus.emit('readingAccepted', reading('door-main-out', 1));
    expect(events.doorPassed.at(-1)).toEqual({ doorId: 'door-main', direction: 'out', at: local(9) + 1000 });
    bus.emit('readingAccepted', reading('door-main-in', 0)); // a heartbeat: nothing changed
    bus.emit('readingAccepted', reading('soil-herbs-a', 5)); // not a door
    expect(events.occupancy.map((o) => [o.inside, o.visitsToday])).toEqual([
      [0, 0],
      [3, 3],
      [2, 3],
    ]);
    expect(published).toHaveLength(3);
    module.tick(); // nothing changed: nothing published
    expect(published).toHaveLength(3);

    // Closing time: a tick resets and says the lounge is closed.
    clock.set(local(20, 30));
    module.tick();
    expect(published.at(-1)?.payload).toMatchObject({ inside: 0, visitsToday: 3, open: false });
  });

  it('commits a batch of readings once, on the next turn of the event loop, and a restart keeps the state', async () => {
    const first = setup();
    await first.module.start();
    const count = () => (first.store.db.prepare('SELECT coalesce(sum(entries), 0) AS n FROM lounge_visits_minute').get() as { n: number }).n;
    for (let i = 0; i < 50; i++) first.bus.emit('readingAccepted', first.reading('door-main-in', 1, local(9) - i * 1000));
    expect(count()).toBe(0);
    await nextTurn();
    expect(count()).toBe(50);
    expect((first.store.db.prepare('SELECT sum(entries) AS n FROM lounge_visits_hourly').get() as { n: number }).n).toBe(50);
    await first.module.stop();

    const second = setup(first.store, first.clock);
    await second.module.start();
    defer(() => second.module.stop());
    expect(second.events.occupancy).toMatchObject([{ inside: 50, visitsToday: 50 }]);
  });

  it('starts from nobody inside, and says so, when the stored state is unreadable', async () => {
    const first = setup();
    first.store.db.prepare("INSERT INTO lounge_occupancy (id, state, updated_at) VALUES (1, '{\"inside\": -3}', 0)").run();
    await first.module.start();
    defer(() => first.module.stop());
    expect(first.events.occupancy).toMatchObject([{ inside: 0, visitsToday: 0 }]);
    expect(first.logger.lines.some((l) => l.includes('unreadable'))).toBe(true);
  });
});
