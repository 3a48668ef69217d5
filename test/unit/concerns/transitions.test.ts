import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIONS, isClosed, RULES, STATES, transition, type ConcernAction, type ConcernState } from '../../../src/concerns/transitions.js';

/** The concern loop as a table: every (state, action) pair, allowed or refused. */
const ALLOWED: Record<ConcernState, Partial<Record<ConcernAction, ConcernState>>> = {
  raised: { accept: 'accepted', decline: 'declined' },
  accepted: { schedule: 'in-consultation' },
  declined: {},
  'in-consultation': { schedule: 'in-consultation', resolve: 'resolved' },
  resolved: { rate: 'rated' },
  rated: {},
};

describe('concern transitions', () => {
  const cases = STATES.flatMap((state) => ACTIONS.map((action) => ({ state, action, to: ALLOWED[state][action] ?? null })));

  it.each(cases)('$state + $action → $to', ({ state, action, to }) => {
    const r = transition(state, action);
    if (to === null) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message.en.length).toBeGreaterThan(10);
        expect(r.message.zh.length).toBeGreaterThan(5);
      }
    } else {
      expect(r).toEqual({ ok: true, to, event: RULES[action].event });
    }
  });

  it('names the events Node-RED expects', () => {
    expect(Object.values(RULES).map((r) => r.event)).toEqual(['concern.accepted', 'concern.declined', 'concern.consultation-scheduled', 'concern.resolved', 'concern.rated']);
  });

  it('explains a refusal in words: the state it is in and what it would need', () => {
    const r = transition('declined', 'accept');
    expect(r).toMatchObject({ ok: false, message: { en: 'A concern that is declined cannot be accepted: only one that is raised.' } });
    expect(transition('rated', 'rate')).toMatchObject({ ok: false, message: { en: expect.stringMatching(/already been rated/) } });
    expect(transition('accepted', 'rate')).toMatchObject({ ok: false, message: { en: expect.stringMatching(/once it is resolved/) } });
  });

  it('closed concerns go nowhere, and any walk of allowed steps ends closed or stays in the loop', () => {
    for (const s of STATES.filter(isClosed)) for (const a of ACTIONS) expect(transition(s, a).ok).toBe(false);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTIONS), { maxLength: 30 }), (actions) => {
        let state: ConcernState = 'raised';
        const seen: ConcernState[] = [state];
        for (const a of actions) {
          const r = transition(state, a);
          if (r.ok) seen.push((state = r.to));
        }
        // The order of the loop never goes backwards.
        const order = (s: ConcernState) => ['raised', 'accepted', 'in-consultation', 'resolved', 'rated'].indexOf(s);
        if (seen.includes('declined')) expect(seen).toEqual(['raised', 'declined']);
        else for (let i = 1; i < seen.length; i++) expect(order(seen[i] as ConcernState)).toBeGreaterThanOrEqual(order(seen[i - 1] as ConcernState));
      }),
    );
  });
});
