import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * prom-client's default metrics (RSS, heap, CPU, event-loop lag, GC, handles) describe the process,
 * not one app: they are registered once per process, in a registry of their own, whatever number of
 * apps a test starts. Each collector installs perf_hooks monitors that are never removed, so making
 * one per app would pile them up.
 */
let registry: Registry | undefined;

export function processRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    // 10 ms sampling of the event loop (prom-client's default) costs nothing measurable.
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
