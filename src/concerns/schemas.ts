import { Type } from '@sinclair/typebox';
import { StringEnum } from '../config/schema.js';
import { CATEGORY_IDS } from './categories.js';
import { PLACE_OTHER_MAX } from './places.js';
import { REF_PATTERN } from './ref-code.js';
import { STATES } from './transitions.js';

/** Request schemas of the concerns API; the global error handler turns a mismatch into a 400. */
export const WORDS_MAX = 500;
const strict = { additionalProperties: false } as const;

export const State = StringEnum([...STATES], 'raised, accepted, declined, in-consultation, resolved or rated');

export const RaiseBody = Type.Object(
  {
    category: StringEnum([...CATEGORY_IDS], 'one of GET /api/concerns/categories'),
    place: Type.String({ minLength: 1, maxLength: 80, description: 'an id from GET /api/concerns/places' }),
    placeOther: Type.Optional(Type.String({ maxLength: PLACE_OTHER_MAX, description: 'where, in a few words: required with place "other", refused otherwise' })),
    phrases: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 8, uniqueItems: true, description: 'preset phrase ids of the category' })),
    words: Type.Optional(Type.String({ maxLength: WORDS_MAX })),
    phone: Type.Optional(Type.String({ maxLength: 32, description: 'optional 11-digit mainland mobile, to be called back' })),
    consent: Type.Optional(Type.Boolean({ description: 'must be true when a phone is given' })),
  },
  strict,
);

export const BoardQuery = Type.Object({
  state: Type.Optional(State),
  page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 50, default: 6 }),
});

export const RefParams = Type.Object({ ref: Type.String({ pattern: REF_PATTERN, description: 'the 6-character reference code' }) });

export const RatingBody = Type.Object(
  { stars: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: WORDS_MAX })) },
  strict,
);

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export const QueueQuery = Type.Object({ state: Type.Optional(State), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }) });

/** Committee text: zh, en or both (at least one, checked after trimming). */
const Bilingual = (max: number) =>
  Type.Object({ zh: Type.Optional(Type.String({ maxLength: max })), en: Type.Optional(Type.String({ maxLength: max })) }, { ...strict, minProperties: 1 });

export const DeclineBody = Type.Object({ reason: Bilingual(WORDS_MAX) }, strict);
export const ConsultationBody = Type.Object(
  { at: Type.Integer({ minimum: 0, description: 'when the consultation meets, epoch ms' }), place: Bilingual(200) },
  strict,
);
export const ResolveBody = Type.Object({ decision: Bilingual(WORDS_MAX), resolution: Bilingual(WORDS_MAX) }, strict);
