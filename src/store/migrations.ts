/**
 * Versioned schema migrations, applied in order at start inside one transaction each. The applied
 * version is SQLite's `user_version`. Never edit a migration that has shipped: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'core: meta, readings, device status',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      CREATE TABLE readings (
        sensor_id TEXT    NOT NULL,
        at        INTEGER NOT NULL, -- epoch ms
        raw       REAL    NOT NULL,
        value     REAL    NOT NULL
      );
      CREATE INDEX readings_sensor_at ON readings (sensor_id, at);
      CREATE TABLE device_status (
        device_id  TEXT PRIMARY KEY,
        status     TEXT    NOT NULL CHECK (status IN ('online', 'offline')),
        reason     TEXT    NOT NULL,
        changed_at INTEGER NOT NULL,
        last_seen  INTEGER
      );
    `,
  },
];
