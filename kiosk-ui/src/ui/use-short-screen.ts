import { useEffect, useState } from 'preact/hooks';

/**
 * Whether the panel is a short one (800×480): lists then hold fewer rows per page (two where
 * 1280×800 has four), so that nothing needs scrolling (no flick is ever needed, KIOSK.md).
 */
const SHORT = '(max-height: 640px)';

export function useShortScreen(): boolean {
  const [short, setShort] = useState(() => window.matchMedia(SHORT).matches);
  useEffect(() => {
    const mq = window.matchMedia(SHORT);
    const changed = () => setShort(mq.matches);
    mq.addEventListener('change', changed);
    return () => mq.removeEventListener('change', changed);
  }, []);
  return short;
}
