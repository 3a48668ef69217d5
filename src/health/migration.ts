import type { Migration } from '../store/migrations.js';

/**
 * Health-hour events and their sign-ups. The code decides (src/health/rules.ts) inside one
 * IMMEDIATE transaction; the constraints and triggers below make the promises hold even if some
 * future code path forgets to: confirmed people never exceed the capacity, a phone holds at most one
 * active sign-up per event, a code is unique per event, and a cancelled sign-up stays cancelled.
 * `phone` is nullable because the privacy job deletes it `privacy.phoneRetentionDays` after the
 * event; the row stays for attendance statistics.
 */
export const healthMigration: Migration = {
  version: 6,
  name: 'health-hour events and sign-ups',
  sql: `
    CREATE TABLE health_events (
      id               INTEGER PRIMARY KEY AUTOINCREMENT,
      kind             TEXT    NOT NULL CHECK (kind IN ('lecture', 'doctor-consultation', 'health-talk-show', 'digital-skills', 'youth-counselling', 'music-therapy', 'other')),
      title_zh         TEXT    NOT NULL CHECK (length(title_zh) > 0),
      title_en         TEXT    NOT NULL CHECK (length(title_en) > 0),
      description_zh   TEXT    NOT NULL DEFAULT '',
      description_en   TEXT    NOT NULL DEFAULT '',
      host             TEXT    NOT NULL CHECK (length(host) > 0), -- a doctor's or volunteer's name: public
      place_zh         TEXT    NOT NULL CHECK (length(place_zh) > 0),
      place_en         TEXT    NOT NULL CHECK (length(place_en) > 0),
      starts_at        INTEGER NOT NULL, -- epoch ms
      ends_at          INTEGER NOT NULL,
      capacity         INTEGER NOT NULL CHECK (capacity >= 1), -- places (people)
      signup_opens_at  INTEGER NOT NULL,
      signup_closes_at INTEGER NOT NULL,
      cancelled        INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
      created_at       INTEGER NOT NULL,
      updated_at       INTEGER NOT NULL,
      CHECK (ends_at > starts_at),
      CHECK (signup_closes_at > signup_opens_at),
      CHECK (signup_closes_at <= ends_at)
    );
    CREATE INDEX health_events_starts ON health_events (starts_at);
    CREATE INDEX health_events_ends ON health_events (ends_at);

    CREATE TABLE health_signups (
      id             INTEGER PRIMARY KEY AUTOINCREMENT, -- also the order of acceptance (FIFO waitlist)
      event_id       INTEGER NOT NULL REFERENCES health_events (id),
      phone          TEXT CHECK (phone IS NULL OR (length(phone) = 11 AND phone NOT GLOB '*[^0-9]*')),
      people         INTEGER NOT NULL CHECK (people BETWEEN 1 AND 20),
      code           TEXT    NOT NULL CHECK (length(code) BETWEEN 4 AND 8 AND code NOT GLOB '*[^0-9]*'),
      status         TEXT    NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
      created_at     INTEGER NOT NULL,
      promoted_at    INTEGER,
      cancelled_at   INTEGER,
      checked_in_at  INTEGER,
      checked_in_via TEXT CHECK (checked_in_via IN ('kiosk', 'staff')),
      CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
      CHECK (promoted_at IS NULL OR status <> 'waitlisted'),
      CHECK ((checked_in_at IS NULL) = (checked_in_via IS NULL))
    );
    CREATE UNIQUE INDEX health_signups_code ON health_signups (event_id, code);
    CREATE UNIQUE INDEX health_signups_active_phone ON health_signups (event_id, phone) WHERE status IN ('confirmed', 'waitlisted');
    CREATE INDEX health_signups_event_status ON health_signups (event_id, status, people);
    CREATE INDEX health_signups_phone ON health_signups (phone) WHERE phone IS NOT NULL;

    CREATE TRIGGER health_signups_capacity_insert BEFORE INSERT ON health_signups
    WHEN NEW.status = 'confirmed' AND NEW.people + (SELECT coalesce(sum(people), 0) FROM health_signups WHERE event_id = NEW.event_id AND status = 'confirmed')
                                      > (SELECT capacity FROM health_events WHERE id = NEW.event_id)
    BEGIN SELECT RAISE(ABORT, 'health event capacity exceeded'); END;

    CREATE TRIGGER health_signups_capacity_update BEFORE UPDATE OF status, people, event_id ON health_signups
    WHEN NEW.status = 'confirmed' AND NEW.people + (SELECT coalesce(sum(people), 0) FROM health_signups WHERE event_id = NEW.event_id AND status = 'confirmed' AND id <> NEW.id)
                                      > (SELECT capacity FROM health_events WHERE id = NEW.event_id)
    BEGIN SELECT RAISE(ABORT, 'health event capacity exceeded'); END;

    CREATE TRIGGER health_signups_cancel_is_final BEFORE UPDATE OF status ON health_signups
    WHEN OLD.status = 'cancelled' AND NEW.status <> 'cancelled'
    BEGIN SELECT RAISE(ABORT, 'a cancelled sign-up stays cancelled'); END;

    CREATE TRIGGER health_events_capacity BEFORE UPDATE OF capacity ON health_events
    WHEN NEW.capacity < (SELECT coalesce(sum(people), 0) FROM health_signups WHERE event_id = NEW.id AND status = 'confirmed')
    BEGIN SELECT RAISE(ABORT, 'capacity below the people already confirmed'); END;
  `,
};
