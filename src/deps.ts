import type { SiteConfig } from './config/schema.js';
import type { SiteTopics } from './contract/topics.js';
import type { Bus } from './core/bus.js';
import type { Clock } from './core/clock.js';
import type { Counters } from './core/counters.js';
import type { Logger } from './core/log.js';
import type { TongxinEvents } from './events.js';
import type { MqttConnection } from './mqtt/connection.js';
import type { OutboxService } from './mqtt/outbox-service.js';
import type { StaffAuth } from './staff/auth.js';
import type { Store } from './store/db.js';

/** The one object every domain module's factory takes (DESIGN.md §Layout). */
export interface ModuleDeps {
  config: SiteConfig;
  topics: SiteTopics;
  store: Store;
  bus: Bus<TongxinEvents>;
  mqtt: MqttConnection;
  clock: Clock;
  log: Logger;
  counters: Counters;
  /** The guard for staff endpoints (`auth.requireRole('staff')`) and the audit log. */
  auth: StaffAuth;
  /** Messages that must reach the broker: add inside your transaction; `publishEvent` for Node-RED. */
  outbox: OutboxService;
}
