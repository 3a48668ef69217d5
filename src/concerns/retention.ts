import type { ConcernState } from './transitions.js';

/**
 * When a concern's phone number must be gone (DESIGN.md: kept `phoneRetentionDays` after the concern
 * closed). A concern closes when it is declined or rated; a resolved concern nobody rates counts as
 * closed `UNRATED_CLOSES_AFTER_DAYS` after its resolution, so an unrated one does not keep a number
 * for ever. A concern still open keeps its number: the committee may need to call back.
 */
export const DAY_MS = 86_400_000;
export const UNRATED_CLOSES_AFTER_DAYS = 30;

export interface RetentionFacts {
  state: ConcernState;
  closedAt: number | null;
  resolvedAt: number | null;
}

/** When the concern counts as closed for privacy, or undefined while it is open. */
export function closedForPrivacyAt(c: RetentionFacts): number | undefined {
  if ((c.state === 'declined' || c.state === 'rated') && c.closedAt !== null) return c.closedAt;
  if (c.state === 'resolved' && c.resolvedAt !== null) return c.resolvedAt + UNRATED_CLOSES_AFTER_DAYS * DAY_MS;
  return undefined;
}

/** When the phone number is to be deleted, or undefined while that is not yet known. */
export function phoneDeleteAt(c: RetentionFacts, retentionDays: number): number | undefined {
  const closed = closedForPrivacyAt(c);
  return closed === undefined ? undefined : closed + retentionDays * DAY_MS;
}

export function phoneExpired(c: RetentionFacts, retentionDays: number, now: number): boolean {
  const at = phoneDeleteAt(c, retentionDays);
  return at !== undefined && now >= at;
}
