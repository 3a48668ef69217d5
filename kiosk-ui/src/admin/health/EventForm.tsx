import { useState } from 'preact/hooks';
import { createEvent, EVENT_KINDS, updateEvent, type EventFields, type EventKind, type StaffEvent } from '../../api/admin/health.js';
import { defineStrings, useLang } from '../../app/i18n.js';
import { ErrorNote, useAction, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { fromLocalInput, toLocalInput } from '../time.js';
import { BilingualField, EMPTY_TEXT, Form, SelectField, TextField, blank, filled, trimText, type Errors } from '../ui/fields.js';
import { KIND_LABELS } from './labels.js';

const useStrings = defineStrings({
  zh: {
    newEvent: '新建健康活动',
    editEvent: '编辑健康活动',
    kind: '类型',
    title: '标题',
    description: '介绍（可选）',
    host: '主讲人或主办方',
    place: '地点',
    startsAt: '开始时间（上海时间）',
    endsAt: '结束时间（上海时间）',
    capacity: '名额',
    closesAt: '报名截止（可选，默认为开始时间）',
    badTime: '请填写日期和时间。',
    endBeforeStart: '结束时间要晚于开始时间。',
    closesAfterEnd: '报名截止不能晚于结束时间。',
    badCapacity: '名额是 1 到 10000 之间的整数。',
  },
  en: {
    newEvent: 'New health event',
    editEvent: 'Edit health event',
    kind: 'Kind',
    title: 'Title',
    description: 'Description (optional)',
    host: 'Host',
    place: 'Place',
    startsAt: 'Starts (Shanghai time)',
    endsAt: 'Ends (Shanghai time)',
    capacity: 'Places',
    closesAt: 'Sign-up closes (optional; the start by default)',
    badTime: 'Enter a date and a time.',
    endBeforeStart: 'The end must be after the start.',
    closesAfterEnd: 'Sign-up cannot close after the end.',
    badCapacity: 'Places: a whole number from 1 to 10000.',
  },
});

/** Create or edit an event; times are typed in the site's zone. */
export function EventForm(props: { event?: StaffEvent; onSaved: (e: StaffEvent) => void; onCancel: () => void }) {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const e = props.event;
  const [kind, setKind] = useState<string>(e?.kind ?? 'lecture');
  const [title, setTitle] = useState(e?.title ?? EMPTY_TEXT);
  const [description, setDescription] = useState(e?.description ?? EMPTY_TEXT);
  const [host, setHost] = useState(e?.host ?? '');
  const [place, setPlace] = useState(e?.place ?? EMPTY_TEXT);
  const [startsAt, setStartsAt] = useState(e ? toLocalInput(e.startsAt, tz) : '');
  const [endsAt, setEndsAt] = useState(e ? toLocalInput(e.endsAt, tz) : '');
  const [closesAt, setClosesAt] = useState(e && e.signup.closesAt !== e.startsAt ? toLocalInput(e.signup.closesAt, tz) : '');
  const [capacity, setCapacity] = useState(e ? String(e.capacity) : '');
  const [errors, setErrors] = useState<Errors>({});
  const action = useAction();

  const submit = async () => {
    const next: Errors = {};
    if (filled(title) !== 'both') next.title = common.bothLanguages;
    if (filled(place) !== 'both') next.place = common.bothLanguages;
    if (blank(host)) next.host = common.required;
    const starts = fromLocalInput(startsAt, tz);
    const ends = fromLocalInput(endsAt, tz);
    const closes = blank(closesAt) ? starts : fromLocalInput(closesAt, tz);
    if (starts === undefined) next.startsAt = t.badTime;
    if (ends === undefined) next.endsAt = t.badTime;
    else if (starts !== undefined && ends <= starts) next.endsAt = t.endBeforeStart;
    if (closes === undefined) next.closesAt = t.badTime;
    else if (ends !== undefined && closes > ends) next.closesAt = t.closesAfterEnd;
    const places = Number(capacity);
    if (!/^\d+$/.test(capacity.trim()) || places < 1 || places > 10_000) next.capacity = t.badCapacity;
    setErrors(next);
    if (Object.keys(next).length > 0 || starts === undefined || ends === undefined || closes === undefined) return;
    const fields: EventFields = {
      kind: kind as EventKind,
      title: trimText(title),
      description: trimText(description),
      host: host.trim(),
      place: trimText(place),
      startsAt: starts,
      endsAt: ends,
      capacity: places,
      signupClosesAt: closes,
    };
    let saved: StaffEvent | undefined;
    if (await action.run(async () => (saved = e ? await updateEvent(e.id, fields) : await createEvent(fields)))) props.onSaved(saved as StaffEvent);
  };

  return (
    <Form title={e ? t.editEvent : t.newEvent} onSubmit={() => void submit()} onCancel={props.onCancel} busy={action.busy} submitLabel={common.save} testid="event-form">
      <SelectField name="kind" label={t.kind} value={kind} onChange={setKind} errors={errors} options={EVENT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k][lang] }))} />
      <BilingualField name="title" label={t.title} value={title} onInput={setTitle} errors={errors} maxLength={120} />
      <BilingualField name="description" label={t.description} value={description} onInput={setDescription} errors={errors} multiline maxLength={2000} />
      <TextField name="host" label={t.host} value={host} onInput={setHost} errors={errors} maxLength={80} />
      <BilingualField name="place" label={t.place} value={place} onInput={setPlace} errors={errors} maxLength={120} />
      <div class="row">
        <TextField name="startsAt" label={t.startsAt} type="datetime-local" value={startsAt} onInput={setStartsAt} errors={errors} />
        <TextField name="endsAt" label={t.endsAt} type="datetime-local" value={endsAt} onInput={setEndsAt} errors={errors} />
        <TextField name="closesAt" label={t.closesAt} type="datetime-local" value={closesAt} onInput={setClosesAt} errors={errors} />
        <TextField name="capacity" label={t.capacity} type="number" value={capacity} onInput={setCapacity} errors={errors} />
      </div>
      <ErrorNote error={action.error} testid="event-form-error" />
    </Form>
  );
}
