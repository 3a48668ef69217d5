import type { Migration } from '../store/migrations.js';

/**
 * The uplink's store-and-forward queue: every message to forward to the central broker is a row
 * here first, deleted once the central broker has acknowledged it (QoS 1 PUBACK), so an outage of
 * the uplink or a restart of the service loses nothing that was queued.
 *
 * `seq` is AUTOINCREMENT so that a number is never reused after its row was deleted: together with
 * `boot` (random, new at each start of the service) it is the message's id on the far side
 * (`<boot>-<seq>`), by which a central consumer drops a re-sent duplicate. `class` is the order in
 * which rows go when the queue is over its bound: readings (0) first, other messages (1) next,
 * retained state (2) last; oldest first within a class.
 */
export const uplinkMigration: Migration = {
  version: 12,
  name: 'uplink store-and-forward queue',
  sql: `
    CREATE TABLE uplink_queue (
      seq       INTEGER PRIMARY KEY AUTOINCREMENT,
      boot      TEXT    NOT NULL,
      topic     TEXT    NOT NULL, -- the local topic; mapped to the central one when sent
      payload   BLOB    NOT NULL,
      retain    INTEGER NOT NULL CHECK (retain IN (0, 1)),
      class     INTEGER NOT NULL CHECK (class IN (0, 1, 2)),
      queued_at INTEGER NOT NULL -- epoch ms
    );
    CREATE INDEX uplink_queue_drop ON uplink_queue (class, seq);
    -- Retained state: only the latest per topic is worth sending; a newer one replaces the queued one.
    CREATE INDEX uplink_queue_state ON uplink_queue (topic) WHERE retain = 1;
  `,
};
