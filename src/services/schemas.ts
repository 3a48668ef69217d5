import { Type, type TSchema } from '@sinclair/typebox';
import { LIMITS } from './input.js';

/**
 * Request shapes of the services API. They bound types and sizes (so nothing huge reaches the
 * handlers); `input.ts` then checks meaning with readable messages (blank text, category, link).
 */
const TextOf = (max: number) =>
  Type.Object({ zh: Type.String({ minLength: 1, maxLength: max }), en: Type.String({ minLength: 1, maxLength: max }) }, { additionalProperties: false, description: 'text in zh-CN and en' });
// null clears an optional field in a PATCH. A union with null first: ajv's coercion would otherwise turn null into "".
const OrNull = <T extends TSchema>(s: T) => Type.Union([Type.Null(), s]);

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });
export const CategoryQuery = Type.Object({ category: Type.Optional(Type.String({ maxLength: 40, description: 'one category id, see /api/services/categories' })) });

const partnerProps = {
  name: TextOf(LIMITS.name),
  kind: Type.String({ minLength: 1, maxLength: LIMITS.kind, description: 'hospital, bank, social-organisation, …' }),
  hidden: Type.Boolean({ description: 'hidden partners and all their services are not shown on the kiosk' }),
};
export const PartnerCreate = Type.Object({ ...partnerProps, hidden: Type.Optional(partnerProps.hidden) }, { additionalProperties: false });
export const PartnerPatch = Type.Partial(Type.Object(partnerProps), { additionalProperties: false, minProperties: 1 });

const serviceProps = {
  partnerId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  name: TextOf(LIMITS.name),
  description: OrNull(TextOf(LIMITS.description)),
  category: Type.String({ minLength: 1, maxLength: 40, description: 'health, finance, digital, legal, elderly-care, youth or other' }),
  hours: OrNull(TextOf(LIMITS.hours)),
  place: OrNull(TextOf(LIMITS.place)),
  contact: OrNull(Type.String({ minLength: 1, maxLength: LIMITS.contact, description: "the unit's or a counter's public phone, never a person's" })),
  link: OrNull(Type.String({ minLength: 1, maxLength: LIMITS.link, description: 'http(s) address shown as a QR code' })),
  hidden: Type.Boolean(),
};
export const ServiceCreate = Type.Object(
  {
    partnerId: serviceProps.partnerId,
    name: serviceProps.name,
    category: serviceProps.category,
    description: Type.Optional(serviceProps.description),
    hours: Type.Optional(serviceProps.hours),
    place: Type.Optional(serviceProps.place),
    contact: Type.Optional(serviceProps.contact),
    link: Type.Optional(serviceProps.link),
    hidden: Type.Optional(serviceProps.hidden),
  },
  { additionalProperties: false },
);
export const ServicePatch = Type.Partial(Type.Object(serviceProps), { additionalProperties: false, minProperties: 1 });

export const Order = Type.Object(
  { ids: Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), { maxItems: 1000, description: 'every id of the list, in the new order' }) },
  { additionalProperties: false },
);
