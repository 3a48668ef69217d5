import type { Text } from './categories.js';

/**
 * The closed loop of a concern (DESIGN.md §Health hours, services, concerns), as data:
 *
 *   raised ─accept─▶ accepted ─schedule─▶ in-consultation ─resolve─▶ resolved ─rate─▶ rated
 *      └──decline──▶ declined                 └─schedule (moved)─┘
 *
 * A consultation may be scheduled again while it is pending (meetings move); everything else goes
 * one way. declined and rated are closed.
 */
export const STATES = ['raised', 'accepted', 'declined', 'in-consultation', 'resolved', 'rated'] as const;
export type ConcernState = (typeof STATES)[number];
export const ACTIONS = ['accept', 'decline', 'schedule', 'resolve', 'rate'] as const;
export type ConcernAction = (typeof ACTIONS)[number];

interface Rule {
  from: readonly ConcernState[];
  to: ConcernState;
  /** The event for Node-RED (`event/<name>`). */
  event: string;
}
export const RULES: Record<ConcernAction, Rule> = {
  accept: { from: ['raised'], to: 'accepted', event: 'concern.accepted' },
  decline: { from: ['raised'], to: 'declined', event: 'concern.declined' },
  schedule: { from: ['accepted', 'in-consultation'], to: 'in-consultation', event: 'concern.consultation-scheduled' },
  resolve: { from: ['in-consultation'], to: 'resolved', event: 'concern.resolved' },
  rate: { from: ['resolved'], to: 'rated', event: 'concern.rated' },
};
export const CREATED_EVENT = 'concern.created';

export const STATE_LABELS: Record<ConcernState, Text> = {
  raised: { zh: '已提交', en: 'raised' },
  accepted: { zh: '已受理', en: 'accepted' },
  declined: { zh: '未受理', en: 'declined' },
  'in-consultation': { zh: '协商中', en: 'in consultation' },
  resolved: { zh: '已解决', en: 'resolved' },
  rated: { zh: '已评价', en: 'rated' },
};

const ACTION_LABELS: Record<ConcernAction, Text> = {
  accept: { zh: '受理', en: 'accepted' },
  decline: { zh: '不予受理', en: 'declined' },
  schedule: { zh: '安排协商', en: 'scheduled for consultation' },
  resolve: { zh: '标记为已解决', en: 'resolved' },
  rate: { zh: '评价', en: 'rated' },
};

export type TransitionResult = { ok: true; to: ConcernState; event: string } | { ok: false; message: Text };

export function transition(state: ConcernState, action: ConcernAction): TransitionResult {
  const rule = RULES[action];
  if (rule.from.includes(state)) return { ok: true, to: rule.to, event: rule.event };
  if (action === 'rate' && state === 'rated') return { ok: false, message: { zh: '这条议题已经评价过了，每条只能评价一次。', en: 'This concern has already been rated; it can be rated once.' } };
  if (action === 'rate') return { ok: false, message: { zh: `这条议题${STATE_LABELS[state].zh}，解决后才能评价。`, en: `This concern is ${STATE_LABELS[state].en}; it can be rated once it is resolved.` } };
  const allowed = rule.from.map((s) => STATE_LABELS[s]);
  return {
    ok: false,
    message: {
      zh: `这条议题${STATE_LABELS[state].zh}，不能${ACTION_LABELS[action].zh}：只有${allowed.map((t) => t.zh).join('或')}的议题可以。`,
      en: `A concern that is ${STATE_LABELS[state].en} cannot be ${ACTION_LABELS[action].en}: only one that is ${allowed.map((t) => t.en).join(' or ')}.`,
    },
  };
}

/** Closed for good: nothing more will happen to it. */
export const isClosed = (state: ConcernState): boolean => state === 'declined' || state === 'rated';
