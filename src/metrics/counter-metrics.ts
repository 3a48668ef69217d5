import { Counter, type Registry } from 'prom-client';
import type { Counters } from '../core/counters.js';

/**
 * Our named counters as Prometheus counters: `readings_rejected` with label `schema` becomes
 * `tongxin_readings_rejected_total{label="schema"} 3`. The values are read from the one Counters
 * object at scrape time, never counted twice. A counter name appears once something has incremented
 * it; the names below are there from the start (at 0) so that a dashboard or an alert rule has a
 * series to read before the first rejection.
 */
export const ALWAYS_EXPORTED = ['readings_accepted', 'readings_rejected', 'readings_dropped', 'mqtt_auth_refused', 'supervisor_restarts'];

/** The label every counter metric carries, whatever the counter's label means (a reason, a kind, a role). */
export const COUNTER_LABEL = 'label';

export const metricName = (counter: string) => `tongxin_${counter.replace(/[^a-zA-Z0-9_]/g, '_')}_total`;

export function counterMetrics(registry: Registry, counters: Counters): { sync(): void } {
  const known = new Set<string>();
  // One snapshot per scrape, taken by sync(), read by every metric's collect().
  let snapshot = counters.snapshot();
  const register = (name: string) => {
    if (known.has(name)) return;
    known.add(name);
    // A counter named like one of the state metrics (say `alerts_resolved`) would make every scrape
    // fail; it is left out instead, and said so once.
    if (registry.getSingleMetric(metricName(name))) return void counters.inc('metrics_collect_errors', metricName(name));
    new Counter({
      name: metricName(name),
      help: `tongxin counter "${name}" (see GET /healthz counters)`,
      labelNames: [COUNTER_LABEL],
      registers: [registry],
      collect() {
        this.reset();
        const c = snapshot[name];
        if (!c) return void this.inc(0);
        const labelled = Object.values(c.by).reduce((a, b) => a + b, 0);
        // The part counted without a label is exported without one.
        if (c.total - labelled > 0 || Object.keys(c.by).length === 0) this.inc(c.total - labelled);
        for (const [label, v] of Object.entries(c.by)) this.inc({ [COUNTER_LABEL]: label }, v);
      },
    });
  };
  for (const name of ALWAYS_EXPORTED) register(name);
  return {
    /** Registers a metric for every counter name seen since the last scrape; call before collecting. */
    sync() {
      snapshot = counters.snapshot();
      for (const name of Object.keys(snapshot)) register(name);
    },
  };
}
