import { errors } from '../core/errors.js';
import { CATEGORIES, isCategory, type Category } from './categories.js';

/**
 * What staff may type into a partner or a service, cleaned and checked with messages a person can
 * act on. The route schemas already bound types and lengths; this adds what JSON Schema says badly:
 * blank-after-trim, one-line fields, the category list, and links that are safe to put in a QR code.
 */
export interface Text {
  zh: string;
  en: string;
}

export interface PartnerFields {
  name: Text;
  kind: string;
  hidden: boolean;
}

export interface ServiceFields {
  name: Text;
  description: Text | null;
  category: Category;
  hours: Text | null;
  place: Text | null;
  contact: string | null;
  link: string | null;
  hidden: boolean;
}

export const LIMITS = { name: 100, description: 1000, hours: 200, place: 200, contact: 64, link: 500, kind: 32 } as const;
export const KIND_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

// Control characters (tabs and line breaks among them) break a kiosk line and hide text in the admin table.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;

function cleanString(field: string, value: string, max: number, multiline: boolean): string {
  const v = multiline ? value.replace(/\r\n?/g, '\n').trim() : value.trim();
  if (v.length === 0) throw errors.badRequest(`${field} must not be blank`);
  if (v.length > max) throw errors.badRequest(`${field} is longer than ${max} characters`);
  if ((multiline ? CONTROL_EXCEPT_NEWLINE : CONTROL).test(v)) {
    throw errors.badRequest(multiline ? `${field} contains control characters` : `${field} must be one line without tabs or control characters`);
  }
  return v;
}

/** Both languages are required: the kiosk switches between them and must never show an empty line. */
export function cleanText(field: string, t: Text, max: number, multiline = false): Text {
  return { zh: cleanString(`${field}.zh`, t.zh, max, multiline), en: cleanString(`${field}.en`, t.en, max, multiline) };
}

export function cleanCategory(value: string): Category {
  if (!isCategory(value)) throw errors.badRequest(`unknown category "${value.slice(0, 40)}": use one of ${CATEGORIES.join(', ')}`);
  return value;
}

export function cleanKind(value: string): string {
  const v = value.trim();
  if (!KIND_PATTERN.test(v)) throw errors.badRequest('kind must be a short lowercase word such as hospital, bank or social-organisation');
  return v;
}

/** Only plain web addresses: a kiosk QR code must not lead to javascript:, file: or a login-in-URL. */
export function cleanLink(value: string): string {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw errors.badRequest('link must be a full web address starting with http:// or https://');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw errors.badRequest('link must be a full web address starting with http:// or https://');
  }
  if (url.username || url.password) throw errors.badRequest('link must not contain a user name or password');
  if (url.href.length > LIMITS.link) throw errors.badRequest(`link is longer than ${LIMITS.link} characters`);
  return url.href;
}

const optional = <T, R>(v: T | null | undefined, clean: (v: T) => R): R | null => (v === null || v === undefined ? null : clean(v));

export type PartnerInput = { name: Text; kind: string; hidden?: boolean };
export type ServiceInput = {
  name: Text;
  description?: Text | null;
  category: string;
  hours?: Text | null;
  place?: Text | null;
  contact?: string | null;
  link?: string | null;
  hidden?: boolean;
};

export function cleanPartner(p: PartnerInput): PartnerFields {
  return { name: cleanText('name', p.name, LIMITS.name), kind: cleanKind(p.kind), hidden: p.hidden ?? false };
}

export function cleanService(s: ServiceInput): ServiceFields {
  return {
    name: cleanText('name', s.name, LIMITS.name),
    description: optional(s.description, (t) => cleanText('description', t, LIMITS.description, true)),
    category: cleanCategory(s.category),
    hours: optional(s.hours, (t) => cleanText('hours', t, LIMITS.hours)),
    place: optional(s.place, (t) => cleanText('place', t, LIMITS.place)),
    contact: optional(s.contact, (c) => cleanString('contact', c, LIMITS.contact, false)),
    link: optional(s.link, cleanLink),
    hidden: s.hidden ?? false,
  };
}

/**
 * A PATCH: fields left out keep their value, `null` clears an optional one. Returns the whole new
 * record and what changed (before → after) for the audit log; an unchanged field is not listed.
 */
export function applyPatch<F extends object>(current: F, patch: Partial<Record<keyof F, unknown>>, clean: (merged: F) => F) {
  const merged = { ...current };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  const next = clean(merged);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(next) as (keyof F & string)[]) {
    if (JSON.stringify(current[k]) !== JSON.stringify(next[k])) changed[k] = { from: current[k], to: next[k] };
  }
  return { next, changed };
}
