import { useState } from 'preact/hooks';
import { acceptConcern, declineConcern, resolveConcern, scheduleConsultation, type Concern, type PartialText } from '../../api/admin/concerns.js';
import type { Bilingual } from '../../api/admin/http.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useAction, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime, fromLocalInput, toLocalInput } from '../time.js';
import { BilingualField, EMPTY_TEXT, Form, TextField, blank, type Errors } from '../ui/fields.js';

const useStrings = defineStrings({
  zh: {
    heading: (ref: string) => `处理议题 ${ref}`,
    raisedAt: '提交时间',
    category: '类别',
    place: '地点',
    said: '内容',
    phone: '回电号码',
    none: '无',
    accept: '受理',
    decline: '不予受理',
    reason: '不予受理的理由（中文或英文，至少一种）',
    schedule: '安排协商',
    reschedule: '改期协商',
    at: '协商时间（上海时间）',
    meetPlace: '协商地点（中文或英文，至少一种）',
    resolve: '标记为已解决',
    decision: '决定（中文或英文，至少一种）',
    resolution: '已做的事（中文或英文，至少一种）',
    oneLanguage: '至少用一种语言填写。',
    badTime: '请填写日期和时间。',
    consultation: '已安排的协商',
    closed: '这条议题已经结束，无需处理。',
    waitRating: '已解决，等待居民评价。',
  },
  en: {
    heading: (ref: string) => `Handle concern ${ref}`,
    raisedAt: 'Raised',
    category: 'Category',
    place: 'Place',
    said: 'What was said',
    phone: 'Call-back number',
    none: 'none',
    accept: 'Accept',
    decline: 'Decline',
    reason: 'Reason for declining (Chinese or English, at least one)',
    schedule: 'Schedule a consultation',
    reschedule: 'Move the consultation',
    at: 'When (Shanghai time)',
    meetPlace: 'Where (Chinese or English, at least one)',
    resolve: 'Mark resolved',
    decision: 'Decision (Chinese or English, at least one)',
    resolution: 'What was done (Chinese or English, at least one)',
    oneLanguage: 'Fill in at least one language.',
    badTime: 'Enter a date and a time.',
    consultation: 'Consultation',
    closed: 'This concern is closed; nothing to do.',
    waitRating: 'Resolved; waiting for the resident to rate it.',
  },
});

const partial = (t: Bilingual): PartialText | undefined => {
  const zh = t.zh.trim();
  const en = t.en.trim();
  return zh || en ? { ...(zh ? { zh } : {}), ...(en ? { en } : {}) } : undefined;
};

/** One concern's details and the next steps its state allows, each with the fields it needs. */
export function ConcernActions(props: { concern: Concern; onDone: () => void; onClose: () => void }) {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const c = props.concern;
  const action = useAction();
  const [reason, setReason] = useState(EMPTY_TEXT);
  const [at, setAt] = useState(c.consultation ? toLocalInput(c.consultation.at, tz) : '');
  const [meetPlace, setMeetPlace] = useState<Bilingual>(c.consultation?.place ?? EMPTY_TEXT);
  const [decision, setDecision] = useState(EMPTY_TEXT);
  const [resolution, setResolution] = useState(EMPTY_TEXT);
  const [errors, setErrors] = useState<Errors>({});

  const go = async (step: () => Promise<unknown>) => {
    if (await action.run(step)) props.onDone();
  };
  const check = (next: Errors) => {
    setErrors(next);
    return Object.keys(next).length === 0;
  };
  const decline = () => {
    const r = partial(reason);
    if (check(r ? {} : { reason: t.oneLanguage }) && r) void go(() => declineConcern(c.id, r));
  };
  const schedule = () => {
    const when = fromLocalInput(at, tz);
    const where = partial(meetPlace);
    if (check({ ...(when === undefined ? { at: t.badTime } : {}), ...(where ? {} : { meetPlace: t.oneLanguage }) }) && when !== undefined && where) {
      void go(() => scheduleConsultation(c.id, when, where));
    }
  };
  const resolve = () => {
    const d = partial(decision);
    const r = partial(resolution);
    if (check({ ...(d ? {} : { decision: t.oneLanguage }), ...(r ? {} : { resolution: t.oneLanguage }) }) && d && r) void go(() => resolveConcern(c.id, d, r));
  };

  const said = [...c.phrases.map((p) => pick(p, lang)), c.words].filter((x): x is string => Boolean(x && !blank(x)));
  return (
    <section class="panel" data-testid="concern-actions">
      <div class="panel-head">
        <h3>{t.heading(c.ref)}</h3>
        <button type="button" onClick={props.onClose}>
          {common.close}
        </button>
      </div>
      <dl class="facts">
        <dt>{t.raisedAt}</dt>
        <dd>{formatDateTime(c.raisedAt, tz)}</dd>
        <dt>{t.category}</dt>
        <dd>{pick(c.category.label, lang)}</dd>
        <dt>{t.place}</dt>
        <dd>
          {pick(c.place.name, lang)}
          {c.place.other ? ` · ${c.place.other}` : ''}
        </dd>
        <dt>{t.said}</dt>
        <dd>{said.length > 0 ? said.join(' · ') : t.none}</dd>
        <dt>{t.phone}</dt>
        <dd class="mono">{c.phone ?? t.none}</dd>
        {c.consultation ? (
          <>
            <dt>{t.consultation}</dt>
            <dd>
              {formatDateTime(c.consultation.at, tz)}
              {c.consultation.place ? ` · ${pick(c.consultation.place, lang)}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <ErrorNote error={action.error} testid="concern-error" />
      {c.state === 'raised' ? (
        <>
          <div class="toolbar">
            <button type="button" class="primary" disabled={action.busy} onClick={() => void go(() => acceptConcern(c.id))} data-testid="concern-accept">
              {t.accept}
            </button>
          </div>
          <Form title={t.decline} danger onSubmit={decline} busy={action.busy} submitLabel={t.decline} testid="concern-decline">
            <BilingualField name="reason" label={t.reason} value={reason} onInput={setReason} errors={errors} multiline maxLength={500} />
          </Form>
        </>
      ) : null}
      {c.state === 'accepted' || c.state === 'in-consultation' ? (
        <Form title={c.state === 'accepted' ? t.schedule : t.reschedule} onSubmit={schedule} busy={action.busy} submitLabel={c.state === 'accepted' ? t.schedule : t.reschedule} testid="concern-schedule">
          <TextField name="at" label={t.at} type="datetime-local" value={at} onInput={setAt} errors={errors} />
          <BilingualField name="meetPlace" label={t.meetPlace} value={meetPlace} onInput={setMeetPlace} errors={errors} maxLength={200} />
        </Form>
      ) : null}
      {c.state === 'in-consultation' ? (
        <Form title={t.resolve} onSubmit={resolve} busy={action.busy} submitLabel={t.resolve} testid="concern-resolve">
          <BilingualField name="decision" label={t.decision} value={decision} onInput={setDecision} errors={errors} multiline maxLength={500} />
          <BilingualField name="resolution" label={t.resolution} value={resolution} onInput={setResolution} errors={errors} multiline maxLength={500} />
        </Form>
      ) : null}
      {c.state === 'resolved' ? <p class="note">{t.waitRating}</p> : null}
      {c.state === 'declined' || c.state === 'rated' ? <p class="note">{t.closed}</p> : null}
    </section>
  );
}
