import { useEffect, useState } from 'preact/hooks';
import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { CONCERN_STATES, fetchBoard, type BoardPage, type ConcernState, type PublicConcern } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { Frame } from '../../ui/Frame.js';
import { dayOf } from './dates.js';
import { CategoryPicture, StateIcon } from './pictograms.js';
import { StateBadge } from './StateBadge.js';
import { STATE_NAMES } from './states.js';
import { useConcernsStrings } from './strings.js';
import { useShortScreen } from '../../ui/use-short-screen.js';

/** What was last fetched, and for which query (`key`): while it is not the current one, the board is busy. */
type Loaded = { state: 'loading'; key: string } | { state: 'failed'; key: string } | { state: 'ready'; key: string; page: BoardPage };

/**
 * The public board: every concern's category, place, phrases and state, newest first, without a
 * code or a phone. The server pages it; ▲ ▼ step through the pages, and the state buttons filter.
 */
export function Board(props: { onExit: () => void }) {
  const s = useConcernsStrings();
  const lang = useLang();
  const [filter, setFilter] = useState<ConcernState | 'all'>('all');
  const [page, setPage] = useState(1);
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading', key: '' });
  const [attempt, setAttempt] = useState(0);
  const pageSize = useShortScreen() ? 2 : 4;
  const key = `${filter}|${page}|${pageSize}|${attempt}`;
  // The last page stays on screen while the next is fetched; aria-busy says it is about to change.
  const busy = loaded.key !== key;

  useEffect(() => {
    const abort = new AbortController();
    fetchBoard({ ...(filter === 'all' ? {} : { state: filter }), page, pageSize }, abort.signal).then(
      (p) => setLoaded({ state: 'ready', key, page: p }),
      () => {
        if (!abort.signal.aborted) setLoaded({ state: 'failed', key });
      },
    );
    return () => abort.abort();
  }, [key]);

  const choose = (f: ConcernState | 'all') => {
    setFilter(f);
    setPage(1);
  };
  const data = loaded.state === 'ready' ? loaded.page : null;
  const pages = data?.pages ?? 1;

  return (
    <Frame title={s.board.title} testid="screen-concerns" onBack={props.onExit}>
      <div class="cn-board" data-testid="concerns-board" aria-busy={busy}>
        <div class="cn-board-filter" role="group" aria-label={s.board.filter}>
          <Button class="cn-filter" testid="board-filter-all" pressed={filter === 'all'} onClick={() => choose('all')}>
            <StateIcon state="all" />
            <span>{s.board.all}</span>
          </Button>
          {CONCERN_STATES.map((st) => (
            <Button key={st} class="cn-filter" testid={`board-filter-${st}`} pressed={filter === st} onClick={() => choose(st)}>
              <StateIcon state={st} />
              <span>{pick(STATE_NAMES[st], lang)}</span>
            </Button>
          ))}
        </div>
        {loaded.state === 'loading' && <p class="cn-status">{s.loading}</p>}
        {loaded.state === 'failed' && (
          <div class="cn-status" data-testid="board-failed">
            <p>{s.failed}</p>
            <Button kind="primary" testid="board-retry" onClick={() => setAttempt((n) => n + 1)}>
              {s.retry}
            </Button>
          </div>
        )}
        {data && data.items.length === 0 && (
          <p class="cn-status" data-testid="board-empty">
            {s.board.empty}
          </p>
        )}
        {data && data.items.length > 0 && (
          <ul class="cn-board-items" data-testid="board-items">
            {data.items.map((c) => (
              <BoardItem key={c.id} concern={c} />
            ))}
          </ul>
        )}
        {data && (
          <div class="pager-controls cn-board-pager">
            <Button testid="page-up" label={s.board.up} disabled={page <= 1} onClick={() => setPage(page - 1)}>
              ▲
            </Button>
            <span class="pager-position" aria-live="polite" data-testid="board-position">
              {s.board.page(Math.min(page, pages), pages)}
            </span>
            <Button testid="page-down" label={s.board.down} disabled={page >= pages} onClick={() => setPage(page + 1)}>
              ▼
            </Button>
            <span class="cn-board-total">{s.board.total(data.total)}</span>
          </div>
        )}
      </div>
    </Frame>
  );
}

function BoardItem(props: { concern: PublicConcern }) {
  const s = useConcernsStrings();
  const lang = useLang();
  const site = useSite();
  const c = props.concern;
  const sep = lang === 'zh' ? '；' : '; ';
  const what = [...c.phrases.map((p) => pick(p.text, lang)), ...(c.words ? [c.words] : [])].join(sep);
  const place = [pick(c.place.name, lang), c.place.other ?? ''].filter(Boolean).join(lang === 'zh' ? '：' : ': ');
  return (
    <li class="cn-board-item" data-testid={`board-item-${c.id}`} data-state={c.state}>
      <StateBadge state={c.state} label={c.stateLabel} />
      <div class="cn-board-main">
        <div class="cn-board-line">
          <CategoryPicture id={c.category.id} />
          <strong>{pick(c.category.label, lang)}</strong>
          <span class="cn-board-place">{place}</span>
          <span class="cn-board-date">{s.board.raised(dayOf(c.raisedAt, lang, site.timezone))}</span>
        </div>
        {what && <div class="cn-board-what">{what}</div>}
      </div>
    </li>
  );
}
