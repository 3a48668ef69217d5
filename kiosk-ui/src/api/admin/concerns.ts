import { get, post, type Bilingual } from './http.js';

/** The committee's queue of concerns (src/concerns/committee-routes.ts). Phones come masked. */
export const CONCERN_STATES = ['raised', 'accepted', 'declined', 'in-consultation', 'resolved', 'rated'] as const;
export type ConcernState = (typeof CONCERN_STATES)[number];

/** Committee text: one language or both (the service fills the other for the public board). */
export type PartialText = { zh?: string; en?: string };

export interface Concern {
  id: number;
  ref: string;
  state: ConcernState;
  stateLabel: Bilingual;
  category: { id: string; label: Bilingual };
  place: { id: string; name: Bilingual; other: string | null };
  phrases: Bilingual[];
  words: string | null;
  raisedAt: number;
  updatedAt: number;
  declineReason: Bilingual | null;
  consultation: { at: number; place: Bilingual | null } | null;
  decision: Bilingual | null;
  resolution: Bilingual | null;
  resolvedAt: number | null;
  rating: { stars: number; comment: string | null; at: number } | null;
  phone: string | null;
}

export async function fetchQueue(state: ConcernState | undefined, signal?: AbortSignal): Promise<{ concerns: Concern[]; total: number }> {
  return get(`/api/admin/concerns${state ? `?state=${state}` : ''}`, signal);
}

const step = async (id: number, action: string, body: unknown) => (await post<{ concern: Concern }>(`/api/admin/concerns/${id}/${action}`, body)).concern;

export const acceptConcern = (id: number) => step(id, 'accept', {});
export const declineConcern = (id: number, reason: PartialText) => step(id, 'decline', { reason });
export const scheduleConsultation = (id: number, at: number, place: PartialText) => step(id, 'consultation', { at, place });
export const resolveConcern = (id: number, decision: PartialText, resolution: PartialText) => step(id, 'resolve', { decision, resolution });
