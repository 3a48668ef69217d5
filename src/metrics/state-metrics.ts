import { statSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ALERT_KINDS } from '../contract/payloads.js';
import type { HealthReport } from '../http/health.js';
import type { MqttConnection } from '../mqtt/connection.js';
import type { Store } from '../store/db.js';
import type { ChildStatus } from '../supervise/supervisor.js';

/** What the service's state metrics are read from, at scrape time. */
export interface StateSources {
  store: Store;
  /** Outbox rows not yet acknowledged by the broker. */
  outboxPending: () => number;
  mqtt: MqttConnection;
  /** Clients connected to the embedded broker; absent with an external broker. */
  brokerClients?: (() => number) | undefined;
  children: () => ChildStatus[];
  health: () => HealthReport;
  /** The uplink to a central broker, when one is configured. */
  uplink?: (() => { connected: boolean; depth: number; inflight: number }) | undefined;
}

const ACTIVE_STATES = ['open', 'escalated', 'acked'] as const;
const isActive = (state: string) => (ACTIVE_STATES as readonly string[]).includes(state);

/**
 * Gauges (and two counters) read from the service's state when Prometheus scrapes: alerts by kind and
 * state from SQLite, queue depths, the broker, the database's size, the supervised children and what
 * /healthz calls degraded. A source that fails (a closed store) leaves its series out of that scrape
 * rather than failing the whole scrape.
 */
export function stateMetrics(registry: Registry, src: StateSources, onError: (metric: string) => void): { sync(): void } {
  const registers = [registry];
  const { db } = src.store;
  // Alert rows are never deleted: one pass over them per scrape feeds both alert metrics.
  const alertCounts = db.prepare<[], { kind: string; state: string; n: number }>('SELECT kind, state, count(*) AS n FROM alerts GROUP BY kind, state');
  const pages = db.prepare<[], { page_count: number; page_size: number; freelist_count: number }>(
    'SELECT page_count, page_size, freelist_count FROM pragma_page_count(), pragma_page_size(), pragma_freelist_count()',
  );
  // Read once per scrape (sync() forgets them), on first use by a metric's collect(); a read that
  // throws throws again for every metric that uses it, so each leaves its series out as before.
  let alertRows: { kind: string; state: string; n: number }[] | undefined;
  let pageRow: { page_count: number; page_size: number; freelist_count: number } | undefined;
  const readAlerts = () => (alertRows ??= alertCounts.all());
  const readPages = () => (pageRow ??= pages.get() ?? { page_count: 0, page_size: 0, freelist_count: 0 });
  /**
   * A metric whose values are read at scrape time. A source that throws leaves no stale figure behind:
   * its series are dropped (an unlabelled gauge reads NaN, "unknown"), and the failure is counted as
   * tongxin_metrics_collect_errors_total{label=<metric>}; /healthz says what is wrong.
   */
  const guarded = <M>(name: string, fill: (metric: M) => void, clear: (metric: M) => void) =>
    function (this: M) {
      try {
        fill(this);
      } catch {
        clear(this);
        onError(name);
      }
    };
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      collect: guarded<Gauge>(name, fill, (g) => {
        g.reset();
        if (labelNames.length === 0) g.set(NaN);
      }),
    });
  const counter = (name: string, help: string, labelNames: string[], fill: (c: Counter) => void) =>
    new Counter({ name, help, labelNames, registers, collect: guarded<Counter>(name, fill, (c) => c.reset()) });

  gauge('tongxin_alerts', 'unresolved alerts by kind and state (open, escalated, acked)', ['kind', 'state'], (m) => {
    const rows = readAlerts();
    m.reset();
    // Every kind and state is a series from the start, so a rule can compare with 0.
    for (const kind of ALERT_KINDS) for (const state of ACTIVE_STATES) m.set({ kind, state }, 0);
    for (const r of rows) if (isActive(r.state)) m.set({ kind: r.kind, state: r.state }, r.n);
  });
  // Alert rows are never deleted, so the count of resolved ones only grows: a counter.
  counter('tongxin_alerts_resolved_total', 'alerts resolved, by kind', ['kind'], (m) => {
    const rows = readAlerts();
    m.reset();
    for (const kind of ALERT_KINDS) m.inc({ kind }, 0);
    for (const r of rows) if (r.state === 'resolved') m.inc({ kind: r.kind }, r.n);
  });

  gauge('tongxin_outbox_pending', 'messages written to the SQLite outbox and not yet acknowledged by the broker', [], (m) => {
    m.set(src.outboxPending());
  });
  gauge('tongxin_mqtt_client_queue', "the service's own MQTT client: messages queued while disconnected (offline) and QoS 1 messages awaiting PUBACK (inflight)", ['queue'], (m) => {
    const client = src.mqtt.client;
    m.set({ queue: 'offline' }, client.queue.length);
    m.set({ queue: 'inflight' }, Object.keys(client.outgoing).length);
  });
  gauge('tongxin_mqtt_connected', '1 while the service is connected to its broker', [], (m) => {
    m.set(src.mqtt.connected() ? 1 : 0);
  });
  const brokerClients = src.brokerClients;
  if (brokerClients) {
    gauge('tongxin_broker_clients', 'clients connected to the embedded broker (the service itself included)', [], (m) => {
      m.set(brokerClients());
    });
  }

  gauge('tongxin_db_file_bytes', 'size on disk of the SQLite database (db) and its write-ahead log (wal)', ['file'], (m) => {
    m.set({ file: 'db' }, statSync(src.store.file).size);
    // The WAL exists only between the first write and a truncating checkpoint.
    m.set({ file: 'wal' }, statSync(`${src.store.file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
  });
  gauge('tongxin_db_pages_bytes', "the database's pages (page_count × page_size), the WAL's committed pages included", [], (m) => {
    const p = readPages();
    m.set(p.page_count * p.page_size);
  });
  gauge('tongxin_db_free_bytes', 'unused pages inside the database file (freelist_count × page_size), reused before the file grows', [], (m) => {
    const p = readPages();
    m.set(p.freelist_count * p.page_size);
  });

  const uplink = src.uplink;
  if (uplink) {
    gauge('tongxin_uplink_connected', '1 while the uplink is connected to the central broker', [], (m) => {
      m.set(uplink().connected ? 1 : 0);
    });
    gauge('tongxin_uplink_queue', 'the uplink: messages waiting for the central broker (queued, in SQLite and in memory) and sent but not yet acknowledged (inflight)', ['queue'], (m) => {
      const u = uplink();
      m.set({ queue: 'queued' }, u.depth);
      m.set({ queue: 'inflight' }, u.inflight);
    });
  }

  gauge('tongxin_child_up', 'supervised child processes (firmware bridges, Node-RED): 1 while running', ['child'], (m) => {
    m.reset();
    for (const c of src.children()) m.set({ child: c.name }, c.state === 'running' ? 1 : 0);
  });
  counter('tongxin_child_restarts_total', 'restarts of each supervised child since the service started', ['child'], (m) => {
    m.reset();
    for (const c of src.children()) m.inc({ child: c.name }, c.restarts);
  });

  gauge('tongxin_degraded', 'what /healthz names as degraded (broker, clock-untrusted, module:<name>, child:<name>, store): 1 each', ['part'], (m) => {
    m.reset();
    for (const part of src.health().degraded) m.set({ part }, 1);
  });
  return {
    /** Forgets the last scrape's reads; call before collecting. */
    sync() {
      alertRows = undefined;
      pageRow = undefined;
    },
  };
}
