import { concernsMigration } from './concerns/migration.js';
import { gardenMigration } from './garden/migration.js';
import { historyMigration } from './history/migration.js';
import { loungeMigration } from './lounge/migration.js';
import { noderedMigration } from './nodered/migration.js';
import { healthMigration } from './health/migration.js';
import { servicesMigration } from './services/migration.js';
import { staffMigration } from './staff/migration.js';
import { uplinkMigration } from './uplink/migration.js';
import { migrations as coreMigrations, type Migration } from './store/migrations.js';

/**
 * Every schema migration of the service, in version order: the store's own and each domain's. A
 * domain keeps its SQL beside its code; this list is the one place that orders them.
 */
export const allMigrations: Migration[] = [...coreMigrations, staffMigration, servicesMigration, healthMigration, concernsMigration, gardenMigration, loungeMigration, historyMigration, noderedMigration, uplinkMigration].sort((a, b) => a.version - b.version);

const versions = allMigrations.map((m) => m.version);
if (new Set(versions).size !== versions.length || versions.some((v, i) => v !== i + 1)) {
  throw new Error(`migration versions must be 1..n without gaps or repeats: ${versions.join(', ')}`);
}
