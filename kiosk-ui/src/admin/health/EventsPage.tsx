import { useState } from 'preact/hooks';
import { cancelEvent, fetchEvents, type StaffEvent } from '../../api/admin/health.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useAction, useLoad, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime } from '../time.js';
import { SearchTable } from '../ui/SearchTable.js';
import { EventForm } from './EventForm.js';
import { KIND_LABELS, PHASE_LABELS } from './labels.js';
import { Signups } from './Signups.js';

const useStrings = defineStrings({
  zh: {
    heading: '健康活动',
    newEvent: '新建活动',
    title: '标题',
    kind: '类型',
    starts: '开始',
    place: '地点',
    places: '已确认 / 名额',
    waiting: '候补',
    state: '状态',
    signups: '报名名单',
    cancelEvent: '取消活动',
    confirmCancel: '确定取消这个活动',
    keep: '不取消',
    cancelled: '活动已取消。',
  },
  en: {
    heading: 'Health events',
    newEvent: 'New event',
    title: 'Title',
    kind: 'Kind',
    starts: 'Starts',
    place: 'Place',
    places: 'Confirmed / places',
    waiting: 'Waiting',
    state: 'State',
    signups: 'Sign-ups',
    cancelEvent: 'Cancel event',
    confirmCancel: 'Yes, cancel this event',
    keep: 'Keep it',
    cancelled: 'The event is cancelled.',
  },
});

/** Health-hour events: list, create, edit, cancel, and each one's sign-ups. */
export function EventsPage() {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const { data, error, reload } = useLoad((signal) => fetchEvents(signal), []);
  const [editing, setEditing] = useState<{ event?: StaffEvent } | undefined>(undefined);
  const [signupsOf, setSignupsOf] = useState<number | undefined>(undefined);
  const [confirming, setConfirming] = useState<number | undefined>(undefined);
  const [note, setNote] = useState<string | undefined>(undefined);
  const action = useAction();

  const cancel = async (id: number) => {
    if (await action.run(() => cancelEvent(id))) {
      setConfirming(undefined);
      setNote(t.cancelled);
      reload();
    }
  };
  // Newest first: the events being planned are the ones staff look for.
  const events = [...(data ?? [])].sort((a, b) => b.startsAt - a.startsAt);

  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <div class="toolbar">
        <button
          type="button"
          class="primary"
          onClick={() => {
            setNote(undefined);
            setEditing({});
          }}
          data-testid="new-event"
        >
          {t.newEvent}
        </button>
      </div>
      {note ? <p class="note note-ok" role="status">{note}</p> : null}
      <ErrorNote error={error ?? action.error} />
      {editing ? (
        <EventForm
          key={editing.event?.id ?? 'new'}
          event={editing.event}
          onCancel={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            setNote(common.saved);
            reload();
          }}
        />
      ) : null}
      {signupsOf !== undefined ? <Signups key={signupsOf} eventId={signupsOf} onClose={() => setSignupsOf(undefined)} onChanged={reload} /> : null}
      {data ? (
        <SearchTable
          testid="events-table"
          rows={events}
          rowKey={(e) => e.id}
          rowClass={(e) => (e.cancelled ? 'row-muted' : undefined)}
          text={(e) => [e.id, e.title.zh, e.title.en, e.host, e.place.zh, e.place.en, KIND_LABELS[e.kind].zh, KIND_LABELS[e.kind].en, formatDateTime(e.startsAt, tz)].join(' ')}
          columns={[
            { label: t.title, cell: (e) => pick(e.title, lang) },
            { label: t.kind, cell: (e) => KIND_LABELS[e.kind][lang] },
            { label: t.starts, cell: (e) => formatDateTime(e.startsAt, tz) },
            { label: t.place, cell: (e) => pick(e.place, lang) },
            { label: t.places, cell: (e) => `${e.counts.confirmedPeople} / ${e.capacity}`, class: 'num' },
            { label: t.waiting, cell: (e) => e.counts.waitlistedPeople, class: 'num' },
            { label: t.state, cell: (e) => (e.cancelled ? `⊘ ${PHASE_LABELS.cancelled[lang]}` : PHASE_LABELS[e.signup.phase][lang]) },
            {
              label: '',
              class: 'actions',
              cell: (e) => (
                <>
                  <button type="button" onClick={() => setSignupsOf(e.id)} data-testid="event-signups">
                    {t.signups}
                  </button>
                  {e.cancelled ? null : (
                    <button
                      type="button"
                      onClick={() => {
                        setNote(undefined);
                        setEditing({ event: e });
                      }}
                      data-testid="event-edit"
                    >
                      {common.edit}
                    </button>
                  )}
                  {e.cancelled ? null : confirming === e.id ? (
                    <>
                      <button type="button" class="danger" disabled={action.busy} onClick={() => void cancel(e.id)} data-testid="event-cancel-confirm">
                        {t.confirmCancel}
                      </button>
                      <button type="button" onClick={() => setConfirming(undefined)}>
                        {t.keep}
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setConfirming(e.id)} data-testid="event-cancel">
                      {t.cancelEvent}
                    </button>
                  )}
                </>
              ),
            },
          ]}
        />
      ) : null}
    </section>
  );
}
