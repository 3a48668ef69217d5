import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { createRollupJob, type RollupJob } from './rollup.js';
import { addBatch, emptyStats, type RunStats } from './run-stats.js';

/**
 * Keeps the readings history small (DESIGN.md: the database stays bounded): every few minutes the
 * roll-up job rolls new readings up per minute and per hour and deletes what is past its retention.
 * A run is a series of short transactions with a turn of the event loop between them, so MQTT
 * ingest and HTTP go on while a first run works through months of old readings.
 */
export interface HistoryModule extends Module {
  readonly job: RollupJob;
  /** The whole job at `now`, synchronously: for tests and the first run of a maintenance script. */
  runOnce(now: number): RunStats;
  /** What the timer does: the job at the clock's now, yielding between batches. */
  tick(): Promise<RunStats>;
}

const RUN_EVERY_MS = 10 * 60_000;

export function createHistoryModule(deps: ModuleDeps, opts: { runEveryMs?: number } = {}): HistoryModule {
  const { config, clock, bus, counters } = deps;
  const log = childLogger(deps.log, 'history');
  const job = createRollupJob(deps.store.db, config.history);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RunStats> | undefined;
  let stopping = false;

  const run = async (): Promise<RunStats> => {
    const now = clock.now();
    const stats = emptyStats();
    const t0 = performance.now();
    while (!stopping) {
      const b = job.step(now);
      if (!b) {
        stats.done = true;
        break;
      }
      addBatch(stats, b);
      await yieldToEventLoop();
    }
    stats.ms = performance.now() - t0;
    if (stats.batches > 0) {
      counters.inc('history_raw_deleted', undefined, stats.rows.finalize);
      log.info({ ...stats, ms: Math.round(stats.ms), longestTxMs: Math.round(stats.longestTxMs) }, 'history rolled up');
    }
    return stats;
  };
  const tick = (): Promise<RunStats> => {
    // One run at a time: a slow first run must not be overlapped by the next timer tick.
    running ??= run().finally(() => (running = undefined));
    return running;
  };
  const onTimer = () =>
    void tick().catch((err: unknown) => {
      // A busy or full disk must not stop the timer: the next run starts where this one stopped.
      log.error({ err: (err as Error).message }, 'history job failed');
    });

  return {
    name: 'history',
    job,
    runOnce: (now) => job.runOnce(now),
    tick,
    start() {
      stopping = false;
      bus.on('history', 'readingAccepted', (r) => job.noteReading(r.sensorId, r.at, clock.now()));
      // Not awaited: a first run over a year of readings takes minutes and must not hold up start.
      onTimer();
      timer = setInterval(onTimer, opts.runEveryMs ?? RUN_EVERY_MS);
      timer.unref();
    },
    async stop() {
      stopping = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      bus.removeOwner('history');
      // The run stops after its current batch; wait for it so the store is not closed under it.
      await running?.catch(() => undefined);
    },
  };
}
