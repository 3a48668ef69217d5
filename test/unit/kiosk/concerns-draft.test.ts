import { describe, expect, it } from 'vitest';
import { CONCERN_STATES, OTHER_PLACE as KIOSK_OTHER, PLACE_OTHER_MAX as KIOSK_PLACE_MAX, WORDS_MAX as KIOSK_WORDS_MAX } from '../../../kiosk-ui/src/api/concerns.js';
import {
  chooseCategory,
  choosePlace,
  EMPTY_DRAFT,
  looksLikePhone,
  needsConsent,
  nextStep,
  PHRASES_MAX,
  previousStep,
  problem,
  raiseBody,
  setPhone,
  stepsFor,
  togglePhrase,
  type Draft,
} from '../../../kiosk-ui/src/screens/concerns/draft.js';
import { STATE_NAMES } from '../../../kiosk-ui/src/screens/concerns/states.js';
import { OTHER_PLACE, PLACE_OTHER_MAX } from '../../../src/concerns/places.js';
import { RaiseBody, WORDS_MAX } from '../../../src/concerns/schemas.js';
import { looksLikePhone as serverLooksLikePhone } from '../../../src/concerns/text.js';
import { STATE_LABELS, STATES } from '../../../src/concerns/transitions.js';

/** Raising a concern at the kiosk: the steps, the rules before sending, and the body that is sent. */
const ready: Draft = { ...EMPTY_DRAFT, category: 'noise', phrases: ['at-night'], place: 'bed:bed-herbs' };

describe('steps', () => {
  it('go category → phrases → place → words → phone → review, with "where" only for somewhere else', () => {
    expect(stepsFor(ready)).toEqual(['category', 'phrases', 'place', 'words', 'phone', 'review']);
    expect(stepsFor({ ...ready, place: OTHER_PLACE })).toEqual(['category', 'phrases', 'place', 'where', 'words', 'phone', 'review']);
    expect(nextStep({ ...ready, place: OTHER_PLACE }, 'place')).toBe('where');
    expect(nextStep(ready, 'place')).toBe('words');
    expect(previousStep({ ...ready, place: OTHER_PLACE }, 'words')).toBe('where');
    expect(previousStep(ready, 'category')).toBeNull();
    expect(nextStep(ready, 'review')).toBeNull();
  });
});

describe('choices', () => {
  it('drops the phrases of another category', () => {
    expect(chooseCategory(ready, 'noise').phrases).toEqual(['at-night']);
    expect(chooseCategory(ready, 'waste')).toMatchObject({ category: 'waste', phrases: [] });
  });

  it('toggles phrases, up to the server’s limit', () => {
    let d = togglePhrase(ready, 'horns');
    expect(d.phrases).toEqual(['at-night', 'horns']);
    d = togglePhrase(d, 'at-night');
    expect(d.phrases).toEqual(['horns']);
    let many: Draft = { ...ready, phrases: [] };
    for (let i = 0; i < PHRASES_MAX + 2; i++) many = togglePhrase(many, `p${i}`);
    expect(many.phrases).toHaveLength(PHRASES_MAX);
    expect(RaiseBody.properties.phrases.maxItems).toBe(PHRASES_MAX);
  });

  it('keeps the words for "somewhere else" only with that place', () => {
    const other = choosePlace({ ...ready, placeOther: '5号楼' }, OTHER_PLACE);
    expect(other.placeOther).toBe('5号楼');
    expect(choosePlace(other, 'lounge').placeOther).toBe('');
  });

  it('asks for consent only with a phone, and forgets it when the phone is cleared', () => {
    expect(needsConsent(ready)).toBe(false);
    const withPhone = { ...setPhone(ready, '13912345678'), consent: true };
    expect(needsConsent(withPhone)).toBe(true);
    expect(setPhone(withPhone, '')).toMatchObject({ phone: '', consent: false });
  });
});

describe('problem', () => {
  it('names the first thing that stops sending', () => {
    expect(problem(EMPTY_DRAFT)).toBe('category');
    expect(problem({ ...ready, place: null })).toBe('place');
    expect(problem({ ...ready, place: OTHER_PLACE, placeOther: '  ' })).toBe('where');
    expect(problem({ ...ready, words: '请打 139 1234 5678' })).toBe('words-phone');
    expect(problem({ ...ready, place: OTHER_PLACE, placeOther: '13912345678' })).toBe('where-phone');
    expect(problem({ ...ready, words: '路'.repeat(WORDS_MAX + 1) })).toBe('too-long');
    expect(problem(setPhone(ready, '1391234'))).toBe('phone');
    expect(problem(setPhone(ready, '13912345678'))).toBe('consent');
    expect(problem({ ...setPhone(ready, '13912345678'), consent: true })).toBeNull();
    expect(problem(ready)).toBeNull();
  });

  it('sees a phone number in text as the server does', () => {
    for (const t of ['13912345678', '139-1234-5678', '+86 139 1234 5678', '139****5678', '3号楼', '2026年3月2日', '1234567890', '电话 021-62591234']) {
      expect(looksLikePhone(t), t).toBe(serverLooksLikePhone(t));
    }
  });
});

describe('raiseBody', () => {
  it('sends only what was given', () => {
    expect(raiseBody({ ...ready, words: '  晚上 ' })).toEqual({ category: 'noise', place: 'bed:bed-herbs', phrases: ['at-night'], words: '晚上' });
    expect(raiseBody({ ...ready, phrases: [] })).toEqual({ category: 'noise', place: 'bed:bed-herbs' });
  });

  it('sends the "somewhere else" words with that place, and the phone with its consent', () => {
    const body = raiseBody({ ...ready, place: OTHER_PLACE, placeOther: ' 5号楼北侧 ', phone: '13912345678', consent: true });
    expect(body).toEqual({ category: 'noise', place: 'other', placeOther: '5号楼北侧', phrases: ['at-night'], phone: '13912345678', consent: true });
  });

  it('refuses a draft without category or place', () => {
    expect(() => raiseBody(EMPTY_DRAFT)).toThrow();
  });
});

describe('the kiosk’s copy of the server’s rules', () => {
  it('has the same limits, place id and states', () => {
    expect(KIOSK_WORDS_MAX).toBe(WORDS_MAX);
    expect(KIOSK_PLACE_MAX).toBe(PLACE_OTHER_MAX);
    expect(KIOSK_OTHER).toBe(OTHER_PLACE);
    expect([...CONCERN_STATES]).toEqual([...STATES]);
    expect(STATE_NAMES).toEqual(STATE_LABELS);
  });
});
