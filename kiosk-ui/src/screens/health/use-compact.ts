import { useEffect, useState } from 'preact/hooks';

/**
 * True on the small panel (800×480 and the like): lists then show fewer items a page rather than
 * needing a scroll, which would take a flick (KIOSK.md). Follows a change of size.
 */
const QUERY = '(max-height: 600px)';

export function useCompact(): boolean {
  const [compact, setCompact] = useState(() => window.matchMedia(QUERY).matches);
  useEffect(() => {
    const mq = window.matchMedia(QUERY);
    const changed = () => setCompact(mq.matches);
    mq.addEventListener('change', changed);
    changed();
    return () => mq.removeEventListener('change', changed);
  }, []);
  return compact;
}
