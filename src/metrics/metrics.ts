import { Registry } from 'prom-client';
import type { Counters } from '../core/counters.js';
import { counterMetrics } from './counter-metrics.js';
import { processRegistry } from './process-metrics.js';
import { stateMetrics, type StateSources } from './state-metrics.js';

/**
 * The service's Prometheus metrics: our counters, our state, and the process's own figures
 * (prom-client's default metrics: RSS, heap, event-loop lag, GC). Everything is read when scraped.
 */
export interface Metrics {
  readonly contentType: string;
  /** The exposition text (Prometheus text format 0.0.4). */
  scrape(): Promise<string>;
}

export function createMetrics(src: StateSources & { counters: Counters }): Metrics {
  const registry = new Registry();
  const state = stateMetrics(registry, src, (metric) => src.counters.inc('metrics_collect_errors', metric));
  const counters = counterMetrics(registry, src.counters);
  const processMetrics = processRegistry();
  return {
    contentType: registry.contentType,
    async scrape() {
      state.sync();
      counters.sync();
      // Two registries in one text: their names never overlap (tongxin_* against process_*/nodejs_*).
      const [ours, proc] = await Promise.all([registry.metrics(), processMetrics.metrics()]);
      return `${ours}\n${proc}`;
    },
  };
}
