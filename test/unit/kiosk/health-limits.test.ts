import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PEOPLE, signupLimits } from '../../../kiosk-ui/src/api/health.js';
import type { Site } from '../../../kiosk-ui/src/api/site.js';

/** The family size and retention the sign-up screens offer, from /api/site when it says, else defaults. */
const site = { id: 's', name: { zh: '站', en: 'Site' }, timezone: 'Asia/Shanghai', sample: true, lounge: { hours: { open: '08:00', close: '20:00' }, doors: [] }, garden: { beds: [] }, points: [] } satisfies Site;

describe('signupLimits', () => {
  it('falls back to the config defaults when /api/site does not publish them', () => {
    expect(signupLimits(site)).toEqual({ maxPeople: DEFAULT_MAX_PEOPLE, retentionDays: null });
  });

  it('uses what /api/site publishes, and ignores nonsense', () => {
    expect(signupLimits({ ...site, health: { maxPeoplePerSignup: 4 }, privacy: { phoneRetentionDays: 30 } } as Site)).toEqual({ maxPeople: 4, retentionDays: 30 });
    expect(signupLimits({ ...site, health: { maxPeoplePerSignup: 0 }, privacy: { phoneRetentionDays: -1 } } as Site)).toEqual({ maxPeople: DEFAULT_MAX_PEOPLE, retentionDays: null });
    expect(signupLimits({ ...site, health: { maxPeoplePerSignup: '3' } } as unknown as Site).maxPeople).toBe(DEFAULT_MAX_PEOPLE);
  });
});
