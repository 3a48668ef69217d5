import type { Migration } from '../store/migrations.js';

/** Lounge footfall: visits per hour. (Placeholder until the lounge module lands.) */
export const loungeMigration: Migration = { version: 9, name: 'lounge footfall', sql: 'SELECT 1;' };
