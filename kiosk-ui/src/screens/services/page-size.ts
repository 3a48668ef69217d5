import { useEffect, useState } from 'preact/hooks';

/**
 * How many services a page holds: the list must fit without scrolling (no flick is ever needed), and
 * the small 800×480 panel has room for two where 1280×800 has four.
 */
const SHORT = '(max-height: 640px)';

export function usePageSize(): number {
  const [short, setShort] = useState(() => window.matchMedia(SHORT).matches);
  useEffect(() => {
    const mq = window.matchMedia(SHORT);
    const changed = () => setShort(mq.matches);
    mq.addEventListener('change', changed);
    return () => mq.removeEventListener('change', changed);
  }, []);
  return short ? 2 : 4;
}
