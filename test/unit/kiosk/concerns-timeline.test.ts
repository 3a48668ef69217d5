import { describe, expect, it } from 'vitest';
import type { ResidentConcern } from '../../../kiosk-ui/src/api/concerns.js';
import { timeline } from '../../../kiosk-ui/src/screens/concerns/timeline.js';

/** A concern's history as its holder sees it, from the public fields of the lookup. */
const T = Date.UTC(2026, 2, 2, 2, 0);
const base: ResidentConcern = {
  ref: 'ABC234',
  id: 1,
  state: 'raised',
  stateLabel: { zh: '已提交', en: 'raised' },
  category: { id: 'lighting', label: { zh: '照明', en: 'Lighting' } },
  place: { id: 'lounge', name: { zh: '客厅', en: 'Lounge' }, other: null },
  phrases: [],
  words: null,
  raisedAt: T,
  updatedAt: T,
  declineReason: null,
  consultation: null,
  decision: null,
  resolution: null,
  resolvedAt: null,
  rating: null,
};
const room = { zh: '会议室', en: 'Meeting room' };

describe('timeline', () => {
  it('has only the raising while raised', () => {
    expect(timeline(base)).toEqual([{ state: 'raised', at: T, notes: [] }]);
  });

  it('shows a decline with its reason and no acceptance', () => {
    const reason = { zh: '不属于本小区', en: 'Not ours' };
    expect(timeline({ ...base, state: 'declined', updatedAt: T + 5, declineReason: reason })).toEqual([
      { state: 'raised', at: T, notes: [] },
      { state: 'declined', at: T + 5, notes: [reason] },
    ]);
  });

  it('walks the whole loop in order, the acceptance without a time', () => {
    const decision = { zh: '换灯', en: 'Replace the lamp' };
    const resolution = { zh: '已换', en: 'Replaced' };
    const rated = timeline({ ...base, state: 'rated', consultation: { at: T + 10, place: room }, resolvedAt: T + 20, decision, resolution, rating: { stars: 4, comment: null, at: T + 30 } });
    expect(rated).toEqual([
      { state: 'raised', at: T, notes: [] },
      { state: 'accepted', at: null, notes: [] },
      { state: 'in-consultation', at: T + 10, notes: [room] },
      { state: 'resolved', at: T + 20, notes: [decision, resolution] },
      { state: 'rated', at: T + 30, notes: [], stars: 4 },
    ]);
  });

  it('shows an accepted concern as accepted, with nothing later yet', () => {
    expect(timeline({ ...base, state: 'accepted' }).map((e) => e.state)).toEqual(['raised', 'accepted']);
  });
});
