import type { Migration } from '../store/migrations.js';

/** Reading roll-ups per minute and per hour. (Placeholder until the history module lands.) */
export const historyMigration: Migration = { version: 10, name: 'reading roll-ups', sql: 'SELECT 1;' };
