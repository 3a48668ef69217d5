import type { ConcernState } from '../../api/concerns.js';
import type { Text } from '../../api/site.js';

/**
 * The state names as the server words them (src/concerns/transitions.ts STATE_LABELS; a unit test
 * keeps the two equal), for the board's filter buttons and the history, where no concern carries them.
 */
export const STATE_NAMES: Record<ConcernState, Text> = {
  raised: { zh: '已提交', en: 'raised' },
  accepted: { zh: '已受理', en: 'accepted' },
  declined: { zh: '未受理', en: 'declined' },
  'in-consultation': { zh: '协商中', en: 'in consultation' },
  resolved: { zh: '已解决', en: 'resolved' },
  rated: { zh: '已评价', en: 'rated' },
};
