import { TongxinError, errors } from '../core/errors.js';
import { normalisePhone } from '../core/phone.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { OutboxService } from '../mqtt/outbox-service.js';
import type { Db } from '../store/db.js';
import { categoryById, type CategoryId, type Text } from './categories.js';
import { createConcernsStore, type ConcernRow, type TransitionPatch } from './concerns-store.js';
import { OTHER_PLACE, type Place } from './places.js';
import { newRefCode } from './ref-code.js';
import { phoneExpired } from './retention.js';
import { cleanBilingual, cleanText, looksLikePhone, type PartialText } from './text.js';
import { CREATED_EVENT, transition, type ConcernAction } from './transitions.js';

/**
 * The I/O around the pure rules: checks what a resident sent, writes each change, its history line
 * and its Node-RED event in one transaction (the event exists iff the change committed), and deletes
 * phone numbers that have been kept long enough. Events never carry the phone or the reference code.
 */
export interface RaiseInput {
  category: CategoryId;
  place: string;
  placeOther?: string;
  phrases?: string[];
  words?: string;
  phone?: string;
  consent?: boolean;
}

/** A 400 a kiosk can show: `details` carries the field and the message in both languages. */
const invalid = (field: string, message: Text) => errors.badRequest(message.en, { field, message });
export const conflict = (message: Text, details: Record<string, unknown>) => new TongxinError('TX_CONFLICT', message.en, 409, { ...details, message });
const notFound = () => errors.notFound('no such concern', { message: { zh: '没有找到这条议题。', en: 'No such concern.' } });

const NO_PHONE_IN_TEXT = (field: string) =>
  invalid(field, { zh: '文字里好像有手机号码。为保护隐私，请把号码填在“手机号”一栏。', en: 'The text seems to contain a phone number; to keep it private, put it in the phone field instead.' });

export function createConcernsService(d: { db: Db; clock: Clock; log: Logger; outbox: OutboxService; places: () => Place[]; retentionDays: number }) {
  const store = createConcernsStore(d.db);
  const eventBase = (r: ConcernRow) => ({ concernId: r.id, category: r.category, place: r.placeId });

  function raise(input: RaiseInput): { row: ConcernRow; phone: string | undefined } {
    const category = categoryById(input.category);
    if (!category) throw invalid('category', { zh: '没有这个类别。', en: `unknown category "${input.category}"` });
    const place = d.places().find((p) => p.id === input.place);
    if (!place) throw invalid('place', { zh: '没有这个地点，请从列表中选择。', en: `unknown place "${input.place}"; choose one from /api/concerns/places` });
    const placeOther = cleanText(input.placeOther);
    if (place.id === OTHER_PLACE && !placeOther) throw invalid('placeOther', { zh: '请写一下是在哪里。', en: 'say where it is (placeOther) when the place is "other"' });
    if (place.id !== OTHER_PLACE && placeOther) throw invalid('placeOther', { zh: '只有选择“其他地点”时才填写地点说明。', en: 'placeOther is only for the place "other"' });
    const phrases = [...new Set(input.phrases ?? [])];
    const unknown = phrases.filter((id) => !category.phrases.some((ph) => ph.id === id));
    if (unknown.length > 0) throw invalid('phrases', { zh: '有的常用语不属于这个类别。', en: `phrases not in category "${category.id}": ${unknown.join(', ')}` });
    const words = cleanText(input.words);
    if (words && looksLikePhone(words)) throw NO_PHONE_IN_TEXT('words');
    if (placeOther && looksLikePhone(placeOther)) throw NO_PHONE_IN_TEXT('placeOther');
    const typed = cleanText(input.phone);
    const phone = typed === undefined ? undefined : normalisePhone(typed);
    if (typed !== undefined && !phone) throw invalid('phone', { zh: '手机号应为11位中国大陆手机号码。', en: 'the phone must be an 11-digit mainland mobile number' });
    if (phone && input.consent !== true) throw invalid('consent', { zh: '留下手机号需要先勾选同意。', en: 'leaving a phone number needs consent: true' });

    const now = d.clock.now();
    const row = d.db.transaction(() => {
      let ref = newRefCode();
      for (let i = 0; store.refTaken(ref); i++) {
        if (i > 20) throw errors.unavailable('could not find a free reference code');
        ref = newRefCode();
      }
      const id = store.insert({
        ref, category: category.id, placeId: place.id, placeName: place.name, phrases, at: now,
        ...(placeOther ? { placeOther } : {}), ...(words ? { words } : {}), ...(phone ? { phone } : {}),
      });
      store.addHistory(id, now, 'resident', 'raise', null, 'raised', { withPhone: Boolean(phone) });
      const created = store.byId(id) as ConcernRow;
      d.outbox.publishEvent(CREATED_EVENT, { ...eventBase(created), state: 'raised', phrases, hasWords: Boolean(words) });
      return created;
    })();
    d.log.info({ concernId: row.id, category: row.category, place: row.placeId }, 'concern raised');
    return { row, phone };
  }

  /** One step of the loop; throws a 409 with a readable message when the rules do not allow it. */
  function act(find: () => ConcernRow | undefined, action: ConcernAction, actor: string, patch: TransitionPatch, eventExtra: Record<string, unknown>) {
    return d.db.transaction(() => {
      const row = find();
      if (!row) throw notFound();
      const t = transition(row.state, action);
      if (!t.ok) throw conflict(t.message, { state: row.state, action });
      const now = d.clock.now();
      store.setState(row.id, row.state, t.to, now, patch);
      store.addHistory(row.id, now, actor, action, row.state, t.to, eventExtra);
      d.outbox.publishEvent(t.event, { ...eventBase(row), state: t.to, ...eventExtra });
      return { before: row, after: store.byId(row.id) as ConcernRow };
    })();
  }

  /** A committee text for the public board: at least one language, and no mobile number in it. */
  function committeeText(field: string, t: PartialText): PartialText {
    const clean = cleanBilingual(t);
    if (!clean) throw invalid(field, { zh: '请至少用一种语言填写。', en: `${field} needs text in zh, en or both` });
    if (looksLikePhone(`${clean.zh ?? ''} ${clean.en ?? ''}`)) throw NO_PHONE_IN_TEXT(field);
    return clean;
  }
  const byId = (id: number) => () => store.byId(id);

  const accept = (id: number, actor: string) => act(byId(id), 'accept', actor, {}, {});
  function decline(id: number, actor: string, reason: PartialText) {
    const r = committeeText('reason', reason);
    return act(byId(id), 'decline', actor, { declineReason: r, closedAt: d.clock.now() }, { reason: r });
  }
  function schedule(id: number, actor: string, at: number, place: PartialText) {
    const p = committeeText('place', place);
    return act(byId(id), 'schedule', actor, { consultationAt: at, consultationPlace: p }, { consultationAt: at, consultationPlace: p });
  }
  function resolve(id: number, actor: string, decision: PartialText, resolution: PartialText) {
    const dec = committeeText('decision', decision);
    const res = committeeText('resolution', resolution);
    return act(byId(id), 'resolve', actor, { decision: dec, resolution: res, resolvedAt: d.clock.now() }, { decision: dec, resolution: res });
  }
  function rate(ref: string, stars: number, comment: string | undefined) {
    const c = cleanText(comment);
    if (c && looksLikePhone(c)) throw NO_PHONE_IN_TEXT('comment');
    const now = d.clock.now();
    return act(() => store.byRef(ref), 'rate', 'resident', { ratingStars: stars, ratingComment: c ?? null, ratedAt: now, closedAt: now }, { stars, comment: c ?? null });
  }

  /** Deletes every phone number kept past its time; returns how many. */
  function purgePhones(now = d.clock.now()): number {
    const deleted = d.db.transaction(() => {
      let n = 0;
      for (const r of store.closedWithPhone()) {
        if (!phoneExpired(r, d.retentionDays, now) || !store.deletePhone(r.id, now)) continue;
        store.addHistory(r.id, now, 'system', 'phone-deleted', r.state, r.state, { retentionDays: d.retentionDays });
        n++;
      }
      return n;
    })();
    if (deleted > 0) d.log.info({ deleted }, 'deleted phone numbers of closed concerns');
    return deleted;
  }

  return { store, raise, accept, decline, schedule, resolve, rate, purgePhones };
}
export type ConcernsService = ReturnType<typeof createConcernsService>;
