import type { Migration } from '../store/migrations.js';

/**
 * The services catalogue (共享阵地服务清单): partner units and the services each offers at the lounge.
 * Texts are stored as zh/en column pairs that are both set or both empty. Nothing here is personal:
 * `contact` is a unit's or a counter's public number. Rows are hidden, never deleted, so the audit
 * log's targets keep pointing at something. `position` is the staff's order (ties broken by id).
 */
export const servicesMigration: Migration = {
  version: 5,
  name: 'partner units and their services',
  sql: `
    CREATE TABLE service_partners (
      id         INTEGER PRIMARY KEY AUTOINCREMENT,
      name_zh    TEXT    NOT NULL CHECK (length(trim(name_zh)) > 0),
      name_en    TEXT    NOT NULL CHECK (length(trim(name_en)) > 0),
      kind       TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
      hidden     INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
      position   INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX service_partners_position ON service_partners (position, id);

    CREATE TABLE services (
      id             INTEGER PRIMARY KEY AUTOINCREMENT,
      partner_id     INTEGER NOT NULL REFERENCES service_partners (id),
      name_zh        TEXT    NOT NULL CHECK (length(trim(name_zh)) > 0),
      name_en        TEXT    NOT NULL CHECK (length(trim(name_en)) > 0),
      description_zh TEXT,
      description_en TEXT,
      category       TEXT    NOT NULL CHECK (category IN ('health', 'finance', 'digital', 'legal', 'elderly-care', 'youth', 'other')),
      hours_zh       TEXT,
      hours_en       TEXT,
      place_zh       TEXT,
      place_en       TEXT,
      contact        TEXT,
      link           TEXT    CHECK (link IS NULL OR link LIKE 'http://%' OR link LIKE 'https://%'),
      hidden         INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
      position       INTEGER NOT NULL,
      created_at     INTEGER NOT NULL,
      updated_at     INTEGER NOT NULL,
      CHECK ((description_zh IS NULL) = (description_en IS NULL)),
      CHECK ((hours_zh IS NULL) = (hours_en IS NULL)),
      CHECK ((place_zh IS NULL) = (place_en IS NULL))
    );
    CREATE INDEX services_partner_position ON services (partner_id, position, id);
    CREATE INDEX services_category ON services (category);
  `,
};
