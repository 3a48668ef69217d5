import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * How many list rows fit in the space the screen has, so a page never needs a scroll (a scroll takes
 * a flick, KIOSK.md). Measures the container and a rendered row, and follows a change of panel size,
 * language or large text (the top bar's height changes with them). `reserve` is the pager's own row.
 *
 * Everything is counted in the element's own CSS pixels. Large text zooms the kiosk (app/shell.css):
 * there offsetHeight and clientHeight stay unzoomed while getBoundingClientRect is zoomed (Chromium
 * since CSS zoom was standardised), so everything is read from the rects and divided by the zoom.
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
      const box = el.getBoundingClientRect();
      const rowBox = row.getBoundingClientRect();
      // currentCSSZoom is absent before Chromium 128: then taken as 1.
      const zoom = el.currentCSSZoom || 1;
      // From the rects, fractions kept (offsetHeight rounds): a row that fits by a hair is still shown.
      const top = (rowBox.top - box.top) / zoom;
      const n = Math.floor((box.height / zoom - top - reserve + gap) / (rowBox.height / zoom + gap) + 0.001);
      setFits(Math.max(1, Math.min(6, n)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  });
  return { ref, fits };
}
