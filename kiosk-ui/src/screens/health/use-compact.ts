import { useEffect, useState } from 'preact/hooks';

/**
 * True on the small panel (800×480 and the like): lists then show fewer items a page rather than
 * needing a scroll, which would take a flick (KIOSK.md). Follows a change of size.
 *
 * Only a first guess: a media query sees the panel, not large text's zoom (app/shell.css), so it says
 * false for large text at 1280×800, whose room is that of a 960×600 screen. useFit measures the real
 * room and corrects the page size before the first paint.
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
