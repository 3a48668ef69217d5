import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.js';
import type { CategoryId } from './categories.js';
import type { PartialText } from './text.js';
import type { ConcernState } from './transitions.js';

/** The concerns tables. Every write here runs inside the caller's transaction. */
export interface ConcernRow {
  id: number;
  ref: string;
  state: ConcernState;
  category: CategoryId;
  placeId: string;
  placeName: string;
  placeOther: string | null;
  phrases: string;
  words: string | null;
  phone: string | null;
  phoneDeletedAt: number | null;
  raisedAt: number;
  updatedAt: number;
  declineReason: string | null;
  consultationAt: number | null;
  consultationPlace: string | null;
  decision: string | null;
  resolution: string | null;
  resolvedAt: number | null;
  ratingStars: number | null;
  ratingComment: string | null;
  ratedAt: number | null;
  closedAt: number | null;
}

export interface HistoryRow {
  id: number;
  at: number;
  actor: string;
  action: string;
  fromState: ConcernState | null;
  toState: ConcernState;
  detail: unknown;
}

export interface NewConcern {
  ref: string;
  category: CategoryId;
  placeId: string;
  placeName: { zh: string; en: string };
  placeOther?: string;
  phrases: string[];
  words?: string;
  phone?: string;
  at: number;
}

/** What a transition may write besides the state; column names are fixed here, never from input. */
export interface TransitionPatch {
  declineReason?: PartialText;
  consultationAt?: number;
  consultationPlace?: PartialText;
  decision?: PartialText;
  resolution?: PartialText;
  resolvedAt?: number;
  ratingStars?: number;
  ratingComment?: string | null;
  ratedAt?: number;
  closedAt?: number;
}
const PATCH_COLUMNS: Record<keyof TransitionPatch, string> = {
  declineReason: 'decline_reason',
  consultationAt: 'consultation_at',
  consultationPlace: 'consultation_place',
  decision: 'decision',
  resolution: 'resolution',
  resolvedAt: 'resolved_at',
  ratingStars: 'rating_stars',
  ratingComment: 'rating_comment',
  ratedAt: 'rated_at',
  closedAt: 'closed_at',
};

const COLUMNS = `id, ref, state, category, place_id AS placeId, place_name AS placeName, place_other AS placeOther, phrases, words, phone,
  phone_deleted_at AS phoneDeletedAt, raised_at AS raisedAt, updated_at AS updatedAt, decline_reason AS declineReason,
  consultation_at AS consultationAt, consultation_place AS consultationPlace, decision, resolution, resolved_at AS resolvedAt,
  rating_stars AS ratingStars, rating_comment AS ratingComment, rated_at AS ratedAt, closed_at AS closedAt`;

export function createConcernsStore(db: Db) {
  const q = {
    insert: db.prepare(
      `INSERT INTO concerns (ref, category, place_id, place_name, place_other, phrases, words, phone, phone_consent_at, raised_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    refTaken: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM concerns WHERE ref = ?'),
    byId: db.prepare<[number], ConcernRow>(`SELECT ${COLUMNS} FROM concerns WHERE id = ?`),
    byRef: db.prepare<[string], ConcernRow>(`SELECT ${COLUMNS} FROM concerns WHERE ref = ?`),
    page: db.prepare<[{ state: string | null; limit: number; offset: number }], ConcernRow>(
      `SELECT ${COLUMNS} FROM concerns WHERE (@state IS NULL OR state = @state) ORDER BY raised_at DESC, id DESC LIMIT @limit OFFSET @offset`,
    ),
    count: db.prepare<[{ state: string | null }], { n: number }>('SELECT count(*) AS n FROM concerns WHERE (@state IS NULL OR state = @state)'),
    // The committee works oldest first.
    queue: db.prepare<[{ state: string | null; limit: number }], ConcernRow>(
      `SELECT ${COLUMNS} FROM concerns WHERE (@state IS NULL OR state = @state) ORDER BY raised_at, id LIMIT @limit`,
    ),
    history: db.prepare<[number], Omit<HistoryRow, 'detail'> & { detail: string | null }>(
      'SELECT id, at, actor, action, from_state AS fromState, to_state AS toState, detail FROM concern_history WHERE concern_id = ? ORDER BY id',
    ),
    addHistory: db.prepare('INSERT INTO concern_history (concern_id, at, actor, action, from_state, to_state, detail) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    withPhone: db.prepare<[], ConcernRow>(`SELECT ${COLUMNS} FROM concerns WHERE phone IS NOT NULL AND state IN ('declined', 'rated', 'resolved')`),
    deletePhone: db.prepare('UPDATE concerns SET phone = NULL, phone_consent_at = NULL, phone_deleted_at = ? WHERE id = ? AND phone IS NOT NULL'),
  };
  const patchStatements = new Map<string, Statement>();

  return {
    refTaken: (ref: string) => q.refTaken.get(ref) !== undefined,
    insert(c: NewConcern): number {
      const r = q.insert.run(
        c.ref,
        c.category,
        c.placeId,
        JSON.stringify(c.placeName),
        c.placeOther ?? null,
        JSON.stringify(c.phrases),
        c.words ?? null,
        c.phone ?? null,
        c.phone ? c.at : null,
        c.at,
        c.at,
      );
      return Number(r.lastInsertRowid);
    },
    byId: (id: number) => q.byId.get(id),
    byRef: (ref: string) => q.byRef.get(ref),
    page: (state: ConcernState | undefined, limit: number, offset: number) => q.page.all({ state: state ?? null, limit, offset }),
    count: (state: ConcernState | undefined) => q.count.get({ state: state ?? null })?.n ?? 0,
    queue: (state: ConcernState | undefined, limit: number) => q.queue.all({ state: state ?? null, limit }),
    history: (id: number): HistoryRow[] => q.history.all(id).map((h) => ({ ...h, detail: h.detail === null ? null : (JSON.parse(h.detail) as unknown) })),
    addHistory(id: number, at: number, actor: string, action: string, from: ConcernState | null, to: ConcernState, detail?: unknown) {
      q.addHistory.run(id, at, actor, action, from, to, detail === undefined ? null : JSON.stringify(detail));
    },
    /** Moves a concern from `from` to `to`; false when it was no longer in `from`. */
    setState(id: number, from: ConcernState, to: ConcernState, now: number, patch: TransitionPatch): boolean {
      const keys = (Object.keys(patch) as (keyof TransitionPatch)[]).filter((k) => patch[k] !== undefined).sort();
      const sig = keys.join(',');
      let stmt = patchStatements.get(sig);
      if (!stmt) {
        const sets = ['state = @to', 'updated_at = @now', ...keys.map((k) => `${PATCH_COLUMNS[k]} = @${k}`)];
        stmt = db.prepare(`UPDATE concerns SET ${sets.join(', ')} WHERE id = @id AND state = @from`);
        patchStatements.set(sig, stmt);
      }
      const values: Record<string, unknown> = { id, from, to, now };
      for (const k of keys) {
        const v = patch[k];
        values[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
      }
      return stmt.run(values).changes === 1;
    },
    /** Concerns that are (or count as) closed and still hold a phone number. */
    closedWithPhone: () => q.withPhone.all(),
    deletePhone: (id: number, now: number) => q.deletePhone.run(now, id).changes === 1,
  };
}
export type ConcernsStore = ReturnType<typeof createConcernsStore>;
