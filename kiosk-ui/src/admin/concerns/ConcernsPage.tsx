import { useState } from 'preact/hooks';
import { CONCERN_STATES, fetchQueue, type Concern, type ConcernState } from '../../api/admin/concerns.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useLoad, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime } from '../time.js';
import { SearchTable } from '../ui/SearchTable.js';
import { ConcernActions } from './ConcernActions.js';

const useStrings = defineStrings({
  zh: {
    heading: '议题处理',
    state: '状态',
    all: '全部',
    states: { raised: '已提交', accepted: '已受理', declined: '未受理', 'in-consultation': '协商中', resolved: '已解决', rated: '已评价' },
    ref: '编号',
    raised: '提交时间',
    category: '类别',
    place: '地点',
    said: '内容',
    handle: '处理',
    total: (n: number) => `共 ${n} 条`,
  },
  en: {
    heading: 'Concerns queue',
    state: 'State',
    all: 'All',
    states: { raised: 'raised', accepted: 'accepted', declined: 'declined', 'in-consultation': 'in consultation', resolved: 'resolved', rated: 'rated' },
    ref: 'Ref',
    raised: 'Raised',
    category: 'Category',
    place: 'Place',
    said: 'What was said',
    handle: 'Handle',
    total: (n: number) => `${n} in all`,
  },
});

/** The committee's queue, oldest first, by state; each concern's next step opens below the filter. */
export function ConcernsPage() {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const [state, setState] = useState<ConcernState | 'all'>('raised');
  const { data, error, reload } = useLoad((signal) => fetchQueue(state === 'all' ? undefined : state, signal), [state]);
  const [selected, setSelected] = useState<Concern | undefined>(undefined);

  const said = (c: Concern) => [...c.phrases.map((p) => pick(p, lang)), c.words].filter(Boolean).join(' · ');
  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <div class="toolbar" role="group" aria-label={t.state}>
        {(['all', ...CONCERN_STATES] as const).map((s) => (
          <button type="button" aria-pressed={state === s} onClick={() => setState(s)} data-testid={`concerns-state-${s}`}>
            {s === 'all' ? t.all : t.states[s]}
          </button>
        ))}
        {data ? <span class="table-count">{t.total(data.total)}</span> : null}
      </div>
      <ErrorNote error={error} />
      {selected ? (
        <ConcernActions
          key={`${selected.id}-${selected.state}`}
          concern={selected}
          onClose={() => setSelected(undefined)}
          onDone={() => {
            setSelected(undefined);
            reload();
          }}
        />
      ) : null}
      {data ? (
        <SearchTable
          testid="concerns-table"
          rows={data.concerns}
          rowKey={(c) => c.id}
          text={(c) => [c.ref, c.category.label.zh, c.category.label.en, c.place.name.zh, c.place.name.en, c.place.other, said(c), c.stateLabel.zh, c.stateLabel.en].join(' ')}
          columns={[
            { label: t.ref, cell: (c) => <span class="mono">{c.ref}</span> },
            { label: t.raised, cell: (c) => formatDateTime(c.raisedAt, tz) },
            { label: t.category, cell: (c) => pick(c.category.label, lang) },
            { label: t.place, cell: (c) => pick(c.place.name, lang) + (c.place.other ? ` · ${c.place.other}` : '') },
            { label: t.said, cell: (c) => <span class="clip">{said(c) || '—'}</span> },
            { label: t.state, cell: (c) => pick(c.stateLabel, lang) },
            { label: '', class: 'actions', cell: (c) => <button type="button" onClick={() => setSelected(c)} data-testid="concern-handle">{t.handle}</button> },
          ]}
        />
      ) : (
        <p class="note">{common.loading}</p>
      )}
    </section>
  );
}
