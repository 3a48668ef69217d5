import type { ConcernState, ResidentConcern } from '../../api/concerns.js';
import type { Text } from '../../api/site.js';

/**
 * A concern's history as its holder sees it, from the fields the lookup answers with (the API gives
 * no event list to the public: when it was accepted is not kept apart, so that step has no time).
 */
export interface TimelineEntry {
  state: ConcernState;
  /** epoch ms, or null when the step happened but its time is not public */
  at: number | null;
  /** what the committee said (a reason, a place, a decision) */
  notes: Text[];
  stars?: number;
}

const REACHED_ACCEPTED: readonly ConcernState[] = ['accepted', 'in-consultation', 'resolved', 'rated'];

export function timeline(c: ResidentConcern): TimelineEntry[] {
  const out: TimelineEntry[] = [{ state: 'raised', at: c.raisedAt, notes: [] }];
  if (c.state === 'declined') out.push({ state: 'declined', at: c.updatedAt, notes: c.declineReason ? [c.declineReason] : [] });
  if (REACHED_ACCEPTED.includes(c.state)) out.push({ state: 'accepted', at: null, notes: [] });
  if (c.consultation) out.push({ state: 'in-consultation', at: c.consultation.at, notes: c.consultation.place ? [c.consultation.place] : [] });
  if (c.resolvedAt !== null) out.push({ state: 'resolved', at: c.resolvedAt, notes: [c.decision, c.resolution].filter((t): t is Text => t !== null) });
  if (c.rating) out.push({ state: 'rated', at: c.rating.at, notes: [], stars: c.rating.stars });
  return out;
}
