import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * How many list rows fit in the space the screen has, so a page never needs a scroll (a scroll takes
 * a flick, KIOSK.md). Measures the container and a rendered row, and follows a change of panel size,
 * language or large text (the top bar's height changes with them). `reserve` is the pager's own row.
 */
export function useFit<T extends HTMLElement>(rowSelector: string, fallback: number, reserve: number, gap: number): { ref: { current: T | null }; fits: number } {
  const ref = useRef<T | null>(null);
  const [fits, setFits] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const row = el.querySelector<HTMLElement>(rowSelector);
      if (!row) return;
      const top = row.getBoundingClientRect().top - el.getBoundingClientRect().top;
      const n = Math.floor((el.clientHeight - top - reserve + gap) / (row.offsetHeight + gap));
      setFits(Math.max(1, Math.min(6, n)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  });
  return { ref, fits };
}
