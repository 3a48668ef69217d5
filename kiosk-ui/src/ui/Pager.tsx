import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { defineStrings } from '../app/i18n.js';
import { Button } from './Button.js';

const useS = defineStrings({
  zh: { up: '上一页', down: '下一页', page: (n: number, of: number) => `第 ${n} / ${of} 页` },
  en: { up: 'Previous page', down: 'Next page', page: (n: number, of: number) => `Page ${n} of ${of}` },
});

/**
 * A list shown a page at a time with big ▲ ▼ buttons: no flick or swipe is ever needed (KIOSK.md
 * §Touching). The page is reset when the list shrinks below it.
 */
export function Pager<T>(props: { items: readonly T[]; pageSize: number; render: (item: T) => ComponentChildren; testid?: string }) {
  const s = useS();
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(props.items.length / props.pageSize));
  const current = Math.min(page, pages - 1);
  const shown = props.items.slice(current * props.pageSize, (current + 1) * props.pageSize);
  return (
    <div class="pager" data-testid={props.testid}>
      <ul class="pager-items">{shown.map((item) => props.render(item))}</ul>
      {pages > 1 && (
        <div class="pager-controls">
          <Button testid="page-up" label={s.up} disabled={current === 0} onClick={() => setPage(current - 1)}>
            ▲
          </Button>
          <span class="pager-position" aria-live="polite">
            {s.page(current + 1, pages)}
          </span>
          <Button testid="page-down" label={s.down} disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            ▼
          </Button>
        </div>
      )}
    </div>
  );
}
