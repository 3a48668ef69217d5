import type { Migration } from '../store/migrations.js';

/**
 * The daily summaries sent to Node-RED, one row per local date, written in the same transaction as
 * the outbox message that carries it: a restart can neither lose the day's summary nor send it twice.
 */
export const noderedMigration: Migration = {
  version: 11,
  name: 'daily summaries sent to Node-RED',
  sql: `
    CREATE TABLE daily_summaries (
      date    TEXT PRIMARY KEY CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'), -- local date
      figures TEXT    NOT NULL CHECK (json_valid(figures)),
      sent_at INTEGER NOT NULL -- epoch ms it went into the outbox
    );
  `,
};
