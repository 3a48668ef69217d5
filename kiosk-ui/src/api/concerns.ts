import { getJson, postJson } from './http.js';
import type { Text } from './site.js';

/**
 * `/api/concerns…` (src/concerns/public-routes.ts, views.ts): categories with preset phrases, the
 * places to pick from, raising a concern, the public board, and following (and rating) one by its
 * reference code. The limits below mirror src/concerns/schemas.ts, places.ts and ref-code.ts so the
 * kiosk stops a resident before the server would refuse.
 */
export const CONCERN_STATES = ['raised', 'accepted', 'declined', 'in-consultation', 'resolved', 'rated'] as const;
export type ConcernState = (typeof CONCERN_STATES)[number];

export const WORDS_MAX = 500;
export const PLACE_OTHER_MAX = 100;
export const OTHER_PLACE = 'other';
export const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const REF_LENGTH = 6;

export interface Phrase {
  id: string;
  text: Text;
}

export interface ConcernCategory {
  id: string;
  label: Text;
  phrases: Phrase[];
}

export interface ConcernPlace {
  id: string;
  kind: 'lounge' | 'garden' | 'point' | 'other';
  name: Text;
  where?: Text;
}

/** What anyone may see of a concern: no phone, no reference code. */
export interface PublicConcern {
  id: number;
  state: ConcernState;
  stateLabel: Text;
  category: { id: string; label: Text };
  place: { id: string; name: Text; other: string | null };
  phrases: Phrase[];
  words: string | null;
  raisedAt: number;
  updatedAt: number;
  declineReason: Text | null;
  consultation: { at: number; place: Text | null } | null;
  decision: Text | null;
  resolution: Text | null;
  resolvedAt: number | null;
  rating: { stars: number; comment: string | null; at: number | null } | null;
}

/** What the holder of the code sees: the public view and the code. */
export interface ResidentConcern extends PublicConcern {
  ref: string;
}

export interface RaiseInput {
  category: string;
  place: string;
  placeOther?: string;
  phrases?: string[];
  words?: string;
  phone?: string;
  consent?: boolean;
}

export interface RaiseResult {
  ref: string;
  /** the phone as the server kept it, masked (138****5678), or null */
  phone: string | null;
  concern: ResidentConcern;
}

export interface BoardPage {
  items: PublicConcern[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export async function fetchConcernCategories(signal?: AbortSignal): Promise<ConcernCategory[]> {
  return (await getJson<{ categories: ConcernCategory[] }>('/api/concerns/categories', signal)).categories;
}

export async function fetchConcernPlaces(signal?: AbortSignal): Promise<ConcernPlace[]> {
  return (await getJson<{ places: ConcernPlace[] }>('/api/concerns/places', signal)).places;
}

/** The phone, if any, travels in the body only. */
export function raiseConcern(input: RaiseInput): Promise<RaiseResult> {
  return postJson<RaiseResult>('/api/concerns', input);
}

export function fetchBoard(q: { state?: ConcernState; page: number; pageSize: number }, signal?: AbortSignal): Promise<BoardPage> {
  const params = new URLSearchParams({ page: String(q.page), pageSize: String(q.pageSize) });
  if (q.state) params.set('state', q.state);
  return getJson<BoardPage>(`/api/concerns/board?${params.toString()}`, signal);
}

/** Rejects with an ApiError of status 404 when no concern has the code. */
export async function fetchByRef(ref: string, signal?: AbortSignal): Promise<ResidentConcern> {
  return (await getJson<{ concern: ResidentConcern }>(`/api/concerns/by-ref/${encodeURIComponent(ref)}`, signal)).concern;
}

/** Once, and only when resolved: the server answers 409 otherwise. */
export async function rateConcern(ref: string, stars: number, comment?: string): Promise<ResidentConcern> {
  const body = comment ? { stars, comment } : { stars };
  return (await postJson<{ concern: ResidentConcern }>(`/api/concerns/by-ref/${encodeURIComponent(ref)}/rating`, body)).concern;
}
