import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { createSummaryStore, type DayFigures } from './summary-store.js';
import { dayBounds, summaryDue } from './summary-schedule.js';

/**
 * `event/summary.daily` for Node-RED, whose flows pass it on: the day’s visitors,
 * sign-ups, bins emptied and open concerns, once a day at 21:00 local time (summary-schedule.ts).
 * The date is recorded in the same transaction as the outbox message, so a restart neither loses
 * nor repeats it.
 */
export const SUMMARY_EVENT = 'summary.daily';
const TICK_MS = 15_000;

export function createDailySummaryModule(deps: ModuleDeps & { clockTrusted: () => boolean; tickMs?: number }) {
  const { config, clock, outbox, counters } = deps;
  const log = childLogger(deps.log, 'nodered');
  const tz = config.site.timezone;
  const store = createSummaryStore(deps.store.db);
  let timer: NodeJS.Timeout | undefined;

  const send = deps.store.db.transaction((date: string, now: number): DayFigures | undefined => {
    const { from, to } = dayBounds(date, tz);
    const figures = store.figures(from, to);
    if (!store.markSent(date, figures, now)) return undefined;
    outbox.publishEvent(SUMMARY_EVENT, { date, ...figures });
    return figures;
  });

  const tick = () => {
    try {
      const now = clock.now();
      const date = summaryDue({ now, tz, lastSent: store.lastSent(), trusted: deps.clockTrusted() });
      if (date === undefined) return;
      const figures = send(date, now);
      if (!figures) return;
      counters.inc('daily_summaries_sent');
      log.info({ date, ...figures }, 'daily summary sent');
    } catch (err) {
      log.error({ err }, 'daily summary failed');
    }
  };

  const module: Module & { tick: () => void } = {
    name: 'daily-summary',
    tick,
    start() {
      tick();
      timer = setInterval(tick, deps.tickMs ?? TICK_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
  return module;
}
