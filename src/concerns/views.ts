import { maskPhone } from '../core/phone.js';
import { categoryById, phraseTexts, type Text } from './categories.js';
import type { ConcernRow, HistoryRow } from './concerns-store.js';
import { phoneDeleteAt } from './retention.js';
import { bothLanguages, type PartialText } from './text.js';
import { STATE_LABELS } from './transitions.js';

/**
 * What each audience sees of a concern. The public view (board, lookup by code) is built field by
 * field from an allow-list and has no phone, masked or not, and no reference code: the board must not
 * let anyone follow or rate someone else's concern. The committee sees the code and the masked phone.
 */
const text = (json: string | null): Text | null => (json === null ? null : bothLanguages(JSON.parse(json) as PartialText));

export function publicView(r: ConcernRow) {
  const category = categoryById(r.category);
  return {
    id: r.id,
    state: r.state,
    stateLabel: STATE_LABELS[r.state],
    category: { id: r.category, label: category?.label ?? { zh: r.category, en: r.category } },
    place: { id: r.placeId, name: text(r.placeName) as Text, other: r.placeOther },
    phrases: phraseTexts(r.category, JSON.parse(r.phrases) as string[]),
    words: r.words,
    raisedAt: r.raisedAt,
    updatedAt: r.updatedAt,
    declineReason: text(r.declineReason),
    consultation: r.consultationAt === null ? null : { at: r.consultationAt, place: text(r.consultationPlace) },
    decision: text(r.decision),
    resolution: text(r.resolution),
    resolvedAt: r.resolvedAt,
    rating: r.ratingStars === null ? null : { stars: r.ratingStars, comment: r.ratingComment, at: r.ratedAt },
  };
}
export type PublicConcern = ReturnType<typeof publicView>;

/** What the resident who holds the code sees: the public view and the code itself. */
export const residentView = (r: ConcernRow) => ({ ref: r.ref, ...publicView(r) });

export function committeeView(r: ConcernRow, retentionDays: number) {
  return {
    ...publicView(r),
    ref: r.ref,
    phone: r.phone === null ? null : maskPhone(r.phone),
    phoneDeletedAt: r.phoneDeletedAt,
    /** When the privacy job will delete the number (null while the concern is open). */
    phoneDeletesAt: r.phone === null ? null : (phoneDeleteAt(r, retentionDays) ?? null),
  };
}

export const historyView = (h: HistoryRow) => ({ at: h.at, actor: h.actor, action: h.action, from: h.fromState, to: h.toState, detail: h.detail });
