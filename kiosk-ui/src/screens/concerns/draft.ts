import { OTHER_PLACE, PLACE_OTHER_MAX, WORDS_MAX, type RaiseInput } from '../../api/concerns.js';
import { checkPhone, isMobile } from '../../ui/phone.js';

/**
 * A concern being raised at the kiosk, step by step, and what is sent when it is done. Pure, so the
 * order of the steps and the rules for sending are tested without a browser. The draft lives in the
 * screen's state only: the idle reset remounts the screen and it is gone.
 */
export interface Draft {
  category: string | null;
  phrases: string[];
  place: string | null;
  /** where, in a few words: only with the place "other" */
  placeOther: string;
  words: string;
  /** digits as typed on the keypad */
  phone: string;
  consent: boolean;
}

export const EMPTY_DRAFT: Draft = { category: null, phrases: [], place: null, placeOther: '', words: '', phone: '', consent: false };

export type Step = 'category' | 'phrases' | 'place' | 'where' | 'words' | 'phone' | 'review';

/** The server takes at most this many phrases. */
export const PHRASES_MAX = 8;

/** The steps of this draft, in order: "where" only for the place "other". */
export function stepsFor(draft: Draft): Step[] {
  return ['category', 'phrases', 'place', ...(draft.place === OTHER_PLACE ? (['where'] as const) : []), 'words', 'phone', 'review'];
}

export function nextStep(draft: Draft, step: Step): Step | null {
  const steps = stepsFor(draft);
  return steps[steps.indexOf(step) + 1] ?? null;
}

export function previousStep(draft: Draft, step: Step): Step | null {
  const steps = stepsFor(draft);
  const i = steps.indexOf(step);
  return i > 0 ? (steps[i - 1] as Step) : null;
}

/** Another category keeps nothing of the phrases picked for the first: they belong to it. */
export function chooseCategory(draft: Draft, category: string): Draft {
  return category === draft.category ? draft : { ...draft, category, phrases: [] };
}

export function togglePhrase(draft: Draft, id: string): Draft {
  if (draft.phrases.includes(id)) return { ...draft, phrases: draft.phrases.filter((p) => p !== id) };
  if (draft.phrases.length >= PHRASES_MAX) return draft;
  return { ...draft, phrases: [...draft.phrases, id] };
}

export function choosePlace(draft: Draft, place: string): Draft {
  return { ...draft, place, placeOther: place === OTHER_PLACE ? draft.placeOther : '' };
}

/** A phone is the only personal datum: it needs the tick, and the tick means nothing without it. */
export function setPhone(draft: Draft, phone: string): Draft {
  return { ...draft, phone, consent: phone === '' ? false : draft.consent };
}

export const needsConsent = (draft: Draft): boolean => draft.phone !== '';

/** Empty, or a whole mainland mobile number; a half-typed one stops the resident at the keypad. */
export const phoneReady = (draft: Draft): boolean => draft.phone === '' || isMobile(draft.phone);
export const phoneCheck = (draft: Draft) => checkPhone(draft.phone);

// As the server's check (src/concerns/text.ts): an 11-digit mobile, or one already masked, in free text.
const PHONE_LIKE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9](?:[\s-]?\d){9}(?!\d)|\d{3}\s?\*{4}\s?\d{4}/;

/** Free text that would show a phone number on the public board: the server refuses it, so say so first. */
export const looksLikePhone = (text: string): boolean => PHONE_LIKE.test(text);

export type Problem = 'category' | 'place' | 'where' | 'where-phone' | 'words-phone' | 'phone' | 'consent' | 'too-long';

/** What still stops the draft from being sent, first problem first; null when it can go. */
export function problem(draft: Draft): Problem | null {
  if (!draft.category) return 'category';
  if (!draft.place) return 'place';
  const where = draft.placeOther.trim();
  if (draft.place === OTHER_PLACE && !where) return 'where';
  if (looksLikePhone(where)) return 'where-phone';
  if (looksLikePhone(draft.words)) return 'words-phone';
  if (Array.from(where).length > PLACE_OTHER_MAX || Array.from(draft.words.trim()).length > WORDS_MAX) return 'too-long';
  if (!phoneReady(draft)) return 'phone';
  if (needsConsent(draft) && !draft.consent) return 'consent';
  return null;
}

/** The request body: only what was given; the phone (in the body, never a URL) only with consent. */
export function raiseBody(draft: Draft): RaiseInput {
  if (!draft.category || !draft.place) throw new Error('a concern needs a category and a place');
  const where = draft.placeOther.trim();
  const words = draft.words.trim();
  return {
    category: draft.category,
    place: draft.place,
    ...(draft.place === OTHER_PLACE && where ? { placeOther: where } : {}),
    ...(draft.phrases.length > 0 ? { phrases: [...draft.phrases] } : {}),
    ...(words ? { words } : {}),
    ...(draft.phone ? { phone: draft.phone, consent: draft.consent } : {}),
  };
}
