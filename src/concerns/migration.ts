import type { Migration } from '../store/migrations.js';

/**
 * Residents' concerns and their history. The state machine lives in transitions.ts; the CHECKs here
 * make sure that no row can claim a state without what that state needs (a declined concern has a
 * reason, a resolved one a resolution, …) and that a phone is only kept with consent. Committee
 * texts are JSON `{zh?, en?}`; `phrases` is a JSON array of phrase ids from categories.ts.
 */
export const concernsMigration: Migration = {
  version: 7,
  name: 'residents’ concerns',
  sql: `
    CREATE TABLE concerns (
      id                 INTEGER PRIMARY KEY,
      ref                TEXT    NOT NULL UNIQUE CHECK (length(ref) = 6),
      state              TEXT    NOT NULL DEFAULT 'raised'
                         CHECK (state IN ('raised', 'accepted', 'declined', 'in-consultation', 'resolved', 'rated')),
      category           TEXT    NOT NULL
                         CHECK (category IN ('tree-signal', 'street-stalls', 'bike-parking', 'waste', 'noise', 'lighting', 'accessibility', 'other')),
      place_id           TEXT    NOT NULL,
      place_name         TEXT    NOT NULL CHECK (json_valid(place_name)), -- {zh, en} as it was when raised
      place_other        TEXT    CHECK (place_other IS NULL OR length(place_other) BETWEEN 1 AND 100),
      phrases            TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(phrases) AND json_type(phrases) = 'array'),
      words              TEXT    CHECK (words IS NULL OR length(words) BETWEEN 1 AND 500),
      phone              TEXT    CHECK (phone IS NULL OR (length(phone) = 11 AND phone GLOB '1[3-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),
      phone_consent_at   INTEGER,
      phone_deleted_at   INTEGER,
      raised_at          INTEGER NOT NULL, -- epoch ms
      updated_at         INTEGER NOT NULL,
      decline_reason     TEXT    CHECK (decline_reason IS NULL OR json_valid(decline_reason)),
      consultation_at    INTEGER,
      consultation_place TEXT    CHECK (consultation_place IS NULL OR json_valid(consultation_place)),
      decision           TEXT    CHECK (decision IS NULL OR json_valid(decision)),
      resolution         TEXT    CHECK (resolution IS NULL OR json_valid(resolution)),
      resolved_at        INTEGER,
      rating_stars       INTEGER CHECK (rating_stars IS NULL OR rating_stars BETWEEN 1 AND 5),
      rating_comment     TEXT    CHECK (rating_comment IS NULL OR length(rating_comment) BETWEEN 1 AND 500),
      rated_at           INTEGER,
      closed_at          INTEGER, -- declined or rated
      CHECK ((place_id = 'other') = (place_other IS NOT NULL)),
      CHECK (phone IS NULL OR phone_consent_at IS NOT NULL),
      CHECK (phone IS NULL OR phone_deleted_at IS NULL),
      CHECK (state <> 'declined' OR decline_reason IS NOT NULL),
      CHECK (state NOT IN ('in-consultation', 'resolved', 'rated') OR (consultation_at IS NOT NULL AND consultation_place IS NOT NULL)),
      CHECK (state NOT IN ('resolved', 'rated') OR (decision IS NOT NULL AND resolution IS NOT NULL AND resolved_at IS NOT NULL)),
      CHECK ((state = 'rated') = (rating_stars IS NOT NULL AND rated_at IS NOT NULL)),
      CHECK ((state IN ('declined', 'rated')) = (closed_at IS NOT NULL))
    );
    -- The board (newest first, by state) and the committee's queue.
    CREATE INDEX concerns_raised ON concerns (raised_at DESC, id DESC);
    CREATE INDEX concerns_state_raised ON concerns (state, raised_at DESC, id DESC);
    -- The privacy job looks only at concerns that still hold a number.
    CREATE INDEX concerns_with_phone ON concerns (state) WHERE phone IS NOT NULL;

    CREATE TABLE concern_history (
      id          INTEGER PRIMARY KEY,
      concern_id  INTEGER NOT NULL REFERENCES concerns (id) ON DELETE CASCADE,
      at          INTEGER NOT NULL,
      actor       TEXT    NOT NULL, -- a staff user name, 'resident' or 'system'
      action      TEXT    NOT NULL CHECK (action IN ('raise', 'accept', 'decline', 'schedule', 'resolve', 'rate', 'phone-deleted')),
      from_state  TEXT,
      to_state    TEXT    NOT NULL,
      detail      TEXT    CHECK (detail IS NULL OR json_valid(detail))
    );
    CREATE INDEX concern_history_concern ON concern_history (concern_id, id);
  `,
};
