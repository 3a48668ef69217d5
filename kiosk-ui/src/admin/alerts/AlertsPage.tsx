import { useEffect, useState } from 'preact/hooks';
import { ackAlert, fetchActiveAlerts, resolveAlert, type Alert } from '../../api/admin/alerts.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useAction, useLoad, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime, formatTime } from '../time.js';
import { Form, TextField, blank, type Errors } from '../ui/fields.js';
import { SearchTable } from '../ui/SearchTable.js';

/** The list refreshes itself this often, so a new alert shows without a reload. */
export const ALERTS_REFRESH_MS = 10_000;

const useStrings = defineStrings({
  zh: {
    heading: '告警（未解决）',
    updated: (hhmm: string) => `每 10 秒自动刷新 · 上次 ${hhmm}`,
    raised: '发生时间',
    what: '内容',
    severity: '级别',
    state: '状态',
    crews: '通知班组',
    ackedBy: '确认人',
    severities: { info: 'ℹ 提示', warning: '⚠ 警告', critical: '‼ 严重' },
    states: { open: '待确认', escalated: '已升级', acked: '已确认', resolved: '已解决' },
    ack: '确认',
    resolve: '解决',
    ackTitle: (what: string) => `确认告警：${what}`,
    resolveTitle: (what: string) => `解决告警：${what}`,
    ackNote: '备注（可选，班组会看到）',
    resolveNote: '处理说明（必填，班组会看到）',
    acked: '已确认告警。',
    resolved: '已解决告警。',
    none: '目前没有未解决的告警。',
  },
  en: {
    heading: 'Alerts (unresolved)',
    updated: (hhmm: string) => `Refreshes every 10 s · last at ${hhmm}`,
    raised: 'Raised',
    what: 'What',
    severity: 'Severity',
    state: 'State',
    crews: 'Crews told',
    ackedBy: 'Acked by',
    severities: { info: 'ℹ info', warning: '⚠ warning', critical: '‼ critical' },
    states: { open: 'open', escalated: 'escalated', acked: 'acked', resolved: 'resolved' },
    ack: 'Ack',
    resolve: 'Resolve',
    ackTitle: (what: string) => `Ack alert: ${what}`,
    resolveTitle: (what: string) => `Resolve alert: ${what}`,
    ackNote: 'Note (optional; the crews see it)',
    resolveNote: 'What was done (required; the crews see it)',
    acked: 'Alert acked.',
    resolved: 'Alert resolved.',
    none: 'No unresolved alerts right now.',
  },
});

type Step = { alert: Alert; step: 'ack' | 'resolve' };

/** Active alerts, refreshed every 10 s; staff ack them and resolve them with a note. */
export function AlertsPage() {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const [loadedAt, setLoadedAt] = useState<number | undefined>(undefined);
  const { data, error, reload } = useLoad(async (signal) => {
    const alerts = await fetchActiveAlerts(signal);
    setLoadedAt(Date.now());
    return alerts;
  }, []);
  const [step, setStep] = useState<Step | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);

  useEffect(() => {
    const timer = setInterval(reload, ALERTS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <div class="toolbar">
        <button type="button" onClick={reload} data-testid="alerts-refresh">
          {common.refresh}
        </button>
        {loadedAt ? (
          <span class="table-count" data-testid="alerts-updated">
            {t.updated(formatTime(loadedAt, tz))}
          </span>
        ) : null}
      </div>
      {done ? (
        <p class="note note-ok" role="status" data-testid="alerts-done">
          {done}
        </p>
      ) : null}
      <ErrorNote error={error} />
      {step ? (
        <AlertStep
          key={`${step.alert.alertId}-${step.step}`}
          {...step}
          onCancel={() => setStep(undefined)}
          onDone={() => {
            setDone(step.step === 'ack' ? t.acked : t.resolved);
            setStep(undefined);
            reload();
          }}
        />
      ) : null}
      {data ? (
        data.length === 0 ? (
          <p class="note" data-testid="alerts-none">
            {t.none}
          </p>
        ) : (
          <SearchTable
            testid="alerts-table"
            rows={data}
            rowKey={(a) => a.alertId}
            rowClass={(a) => `sev-${a.severity}`}
            text={(a) => [a.kind, a.message.zh, a.message.en, a.state, t.states[a.state], a.crews.join(' '), a.ackedBy, a.binId, a.deviceId, a.pointId].join(' ')}
            columns={[
              { label: t.raised, cell: (a) => formatDateTime(Date.parse(a.raisedAt), tz) },
              { label: t.what, cell: (a) => pick(a.message, lang) },
              { label: t.severity, cell: (a) => <span class={`tag sev sev-${a.severity}`}>{t.severities[a.severity]}</span> },
              { label: t.state, cell: (a) => <span data-testid="alert-state">{t.states[a.state]}</span> },
              { label: t.crews, cell: (a) => a.crews.join(', ') || '—' },
              { label: t.ackedBy, cell: (a) => a.ackedBy ?? '—' },
              {
                label: '',
                class: 'actions',
                cell: (a) => (
                  <>
                    {a.state === 'open' || a.state === 'escalated' ? (
                      <button type="button" onClick={() => (setDone(undefined), setStep({ alert: a, step: 'ack' }))} data-testid="alert-ack">
                        {t.ack}
                      </button>
                    ) : null}
                    <button type="button" onClick={() => (setDone(undefined), setStep({ alert: a, step: 'resolve' }))} data-testid="alert-resolve">
                      {t.resolve}
                    </button>
                  </>
                ),
              },
            ]}
          />
        )
      ) : (
        <p class="note">{common.loading}</p>
      )}
    </section>
  );
}

function AlertStep(props: Step & { onCancel: () => void; onDone: () => void }) {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const action = useAction();
  const what = pick(props.alert.message, lang);
  const submit = async () => {
    // A resolution is what the next person reads about this problem: it must say what was done.
    const next: Errors = props.step === 'resolve' && blank(note) ? { note: common.required } : {};
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const send = props.step === 'ack' ? ackAlert : resolveAlert;
    if (await action.run(() => send(props.alert.alertId, note.trim()))) props.onDone();
  };
  return (
    <Form
      title={props.step === 'ack' ? t.ackTitle(what) : t.resolveTitle(what)}
      onSubmit={() => void submit()}
      onCancel={props.onCancel}
      busy={action.busy}
      submitLabel={props.step === 'ack' ? t.ack : t.resolve}
      testid={`alert-${props.step}-form`}
    >
      <TextField name="note" label={props.step === 'ack' ? t.ackNote : t.resolveNote} value={note} onInput={setNote} errors={errors} maxLength={500} />
      <ErrorNote error={action.error} testid="alert-step-error" />
    </Form>
  );
}
