import type { Migration } from '../store/migrations.js';

/** Garden: watering runs and overrides. (Placeholder until the garden module lands; see its issue.) */
export const gardenMigration: Migration = { version: 8, name: 'garden', sql: 'SELECT 1;' };
