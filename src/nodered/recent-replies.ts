import type { ReplyPayload } from '../contract/payloads.js';

/**
 * The last replies by request, so that a request delivered twice (QoS 1 is "at least once") is
 * answered again with the first answer instead of being carried out twice. Bounded: the oldest go.
 */
export function createRecentReplies(max = 500) {
  const replies = new Map<string, ReplyPayload>();
  return {
    get: (key: string) => replies.get(key),
    set(key: string, reply: ReplyPayload) {
      replies.delete(key);
      replies.set(key, reply);
      while (replies.size > max) replies.delete(replies.keys().next().value as string);
    },
    size: () => replies.size,
  };
}
