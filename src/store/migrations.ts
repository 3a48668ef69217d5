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
  {
    version: 2,
    name: 'alerts with routes and history; the MQTT outbox',
    sql: `
      CREATE TABLE alerts (
        id           TEXT PRIMARY KEY,
        kind         TEXT    NOT NULL,
        subject      TEXT    NOT NULL, -- what it is about: bin:<id>, device:<id>, slot:<key>
        category     TEXT,
        point_id     TEXT,
        bin_id       TEXT,
        device_id    TEXT,
        state        TEXT    NOT NULL CHECK (state IN ('open', 'escalated', 'acked', 'resolved')),
        severity     TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        detail       TEXT    NOT NULL, -- JSON
        raised_at    INTEGER NOT NULL,
        acked_at     INTEGER,
        acked_by     TEXT,
        escalated_at INTEGER,
        resolved_at  INTEGER,
        resolution   TEXT,
        last_sent_at INTEGER
      );
      CREATE INDEX alerts_state ON alerts (state);
      CREATE INDEX alerts_subject_kind ON alerts (subject, kind, raised_at);
      CREATE TABLE alert_routes (
        alert_id TEXT NOT NULL REFERENCES alerts (id),
        crew_id  TEXT NOT NULL,
        reason   TEXT NOT NULL CHECK (reason IN ('responsible', 'escalation')),
        PRIMARY KEY (alert_id, crew_id)
      );
      CREATE TABLE alert_history (
        alert_id TEXT    NOT NULL REFERENCES alerts (id),
        at       INTEGER NOT NULL,
        event    TEXT    NOT NULL,
        actor    TEXT,
        detail   TEXT
      );
      CREATE INDEX alert_history_alert ON alert_history (alert_id, at);
      CREATE TABLE outbox (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        topic      TEXT    NOT NULL,
        payload    TEXT    NOT NULL,
        qos        INTEGER NOT NULL,
        retain     INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        sent_at    INTEGER
      );
      CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
    `,
  },
  {
    version: 3,
    name: 'waste: bin state, pickups, checked pickup slots, drop-offs',
    sql: `
      CREATE TABLE bin_state (
        bin_id     TEXT PRIMARY KEY,
        state      TEXT    NOT NULL, -- JSON: fill state and alert episodes
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE pickups (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        bin_id      TEXT    NOT NULL,
        point_id    TEXT    NOT NULL,
        category    TEXT    NOT NULL,
        at          INTEGER NOT NULL,
        fill_before REAL,
        fill_after  REAL,
        slot_key    TEXT
      );
      CREATE INDEX pickups_bin_at ON pickups (bin_id, at);
      CREATE INDEX pickups_point_category_at ON pickups (point_id, category, at);
      CREATE TABLE pickup_slot_checks (
        slot_key   TEXT PRIMARY KEY,
        outcome    TEXT    NOT NULL CHECK (outcome IN ('collected', 'missed', 'nothing-to-collect', 'clock-untrusted')),
        checked_at INTEGER NOT NULL
      );
      CREATE TABLE dropoffs (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        bin_id    TEXT    NOT NULL,
        at        INTEGER NOT NULL,
        in_window INTEGER NOT NULL
      );
      CREATE INDEX dropoffs_bin_at ON dropoffs (bin_id, at);
    `,
  },
];
