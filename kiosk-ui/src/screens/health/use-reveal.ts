import { useEffect, useRef } from 'preact/hooks';

/**
 * Brings an element into view when it appears or changes: a refusal must be read where it is shown,
 * and in large text on the small panel a step may be taller than its room (the shell lets it scroll),
 * which would leave a message under the button just tapped. Where everything fits it does nothing.
 */
export function useReveal<T extends HTMLElement>(shown: unknown): { current: T | null } {
  const ref = useRef<T | null>(null);
  useEffect(() => {
    if (shown) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [shown]);
  return ref;
}
