import type { Logger } from './log.js';

/**
 * A typed in-process event bus (after zigbee2mqtt's lib/eventBus.ts). Listeners are registered under
 * an owner so a module's stop() can remove all of its listeners in one call, and every listener is
 * wrapped: one that throws is logged as "owner/event" and never breaks the emitter or the others.
 */
type Listener<T> = (payload: T) => void;

export interface Bus<Events extends object> {
  on<K extends keyof Events & string>(owner: string, event: K, listener: Listener<Events[K]>): void;
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void;
  removeOwner(owner: string): void;
  listenerCount(event: keyof Events & string): number;
}

export function createBus<Events extends object>(log: Logger): Bus<Events> {
  const listeners = new Map<string, { owner: string; fn: Listener<unknown> }[]>();
  return {
    on(owner, event, listener) {
      const list = listeners.get(event) ?? [];
      list.push({ owner, fn: listener as Listener<unknown> });
      listeners.set(event, list);
    },
    emit(event, payload) {
      const list = listeners.get(event);
      if (!list) return;
      for (const { owner, fn } of list) {
        try {
          fn(payload);
        } catch (err) {
          log.error({ err, listener: `${owner}/${event}` }, 'bus listener failed');
        }
      }
    },
    removeOwner(owner) {
      for (const [event, list] of listeners) {
        listeners.set(
          event,
          list.filter((l) => l.owner !== owner),
        );
      }
    },
    listenerCount(event) {
      return listeners.get(event)?.length ?? 0;
    },
  };
}
