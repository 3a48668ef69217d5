/**
 * Limits guessing of sign-up codes. Cancelling or checking in takes the phone's last four digits and
 * a 4-digit code; at the kiosk's rate limit someone who knows a neighbour's last four could try every
 * code within hours. After `maxFailures` wrong codes for one event and last four within `windowMs`,
 * further attempts are refused until the window has passed, even with the right code.
 */
export interface CodeAttempts {
  blocked(eventId: number, lastFour: string, now: number): boolean;
  failed(eventId: number, lastFour: string, now: number): void;
  succeeded(eventId: number, lastFour: string): void;
}

export function createCodeAttempts(opts: { maxFailures?: number; windowMs?: number } = {}): CodeAttempts {
  const maxFailures = opts.maxFailures ?? 5;
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const failures = new Map<string, { since: number; count: number }>();
  const key = (eventId: number, lastFour: string) => `${eventId}:${lastFour}`;
  const current = (k: string, now: number) => {
    const f = failures.get(k);
    if (f && now - f.since >= windowMs) {
      failures.delete(k);
      return undefined;
    }
    return f;
  };
  return {
    blocked: (eventId, lastFour, now) => (current(key(eventId, lastFour), now)?.count ?? 0) >= maxFailures,
    failed(eventId, lastFour, now) {
      const k = key(eventId, lastFour);
      const f = current(k, now) ?? { since: now, count: 0 };
      f.count++;
      failures.set(k, f);
      // Keep the map small: forget windows that have passed.
      if (failures.size > 10_000) for (const [other, v] of failures) if (now - v.since >= windowMs) failures.delete(other);
    },
    succeeded: (eventId, lastFour) => void failures.delete(key(eventId, lastFour)),
  };
}
