import { fetchSignups, markAttendance, signupsCsvUrl, type StaffSignup } from '../../api/admin/health.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { ErrorNote, useAction, useLoad, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime } from '../time.js';
import { SearchTable } from '../ui/SearchTable.js';
import { SIGNUP_LABELS } from './labels.js';

const useStrings = defineStrings({
  zh: {
    heading: (title: string) => `报名名单：${title}`,
    csv: '导出 CSV（含完整手机号，仅供工作人员联系报名者）',
    summary: (c: number, w: number, i: number, cap: number) => `已确认 ${c} / ${cap} 人，候补 ${w} 人，已签到 ${i} 人`,
    id: '编号',
    status: '状态',
    position: '候补序号',
    people: '人数',
    phone: '手机（已隐藏部分）',
    code: '报名码',
    at: '报名时间',
    attended: '签到',
    notYet: '未签到',
    markAttended: '标记已到',
    markAbsent: '取消签到',
    deleted: '已删除',
  },
  en: {
    heading: (title: string) => `Sign-ups: ${title}`,
    csv: 'Export CSV (with full phone numbers, for staff to call people)',
    summary: (c: number, w: number, i: number, cap: number) => `${c} of ${cap} places confirmed, ${w} waiting, ${i} checked in`,
    id: 'No.',
    status: 'Status',
    position: 'Waitlist',
    people: 'People',
    phone: 'Phone (masked)',
    code: 'Code',
    at: 'Signed up',
    attended: 'Attendance',
    notYet: 'not yet',
    markAttended: 'Mark attended',
    markAbsent: 'Undo check-in',
    deleted: 'deleted',
  },
});

/** One event's sign-ups (phones masked by the service), attendance, and the CSV export. */
export function Signups(props: { eventId: number; onClose: () => void; onChanged: () => void }) {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const { data, error, reload } = useLoad((signal) => fetchSignups(props.eventId, signal), [props.eventId]);
  const action = useAction();

  const attend = async (s: StaffSignup, attended: boolean) => {
    if (await action.run(() => markAttendance(s.id, attended))) {
      reload();
      props.onChanged();
    }
  };

  return (
    <section class="panel" data-testid="signups" aria-live="polite">
      <div class="panel-head">
        <h3>{data ? t.heading(pick(data.event.title, lang)) : common.loading}</h3>
        <button type="button" onClick={props.onClose} data-testid="signups-close">
          {common.close}
        </button>
      </div>
      <ErrorNote error={error ?? action.error} />
      {data ? (
        <>
          <p class="summary">{t.summary(data.event.counts.confirmedPeople, data.event.counts.waitlistedPeople, data.event.counts.checkedInPeople, data.event.capacity)}</p>
          <p>
            {/* A plain same-origin download: the browser sends the session cookie with it. */}
            <a class="button" href={signupsCsvUrl(props.eventId)} download={`health-event-${props.eventId}-signups.csv`} data-testid="signups-csv">
              ⤓ {t.csv}
            </a>
          </p>
          <SearchTable
            testid="signups-table"
            rows={data.signups}
            rowKey={(s) => s.id}
            rowClass={(s) => (s.status === 'cancelled' ? 'row-muted' : undefined)}
            text={(s) => [s.id, s.status, SIGNUP_LABELS[s.status][lang], s.phone, s.code].join(' ')}
            columns={[
              { label: t.id, cell: (s) => s.id, class: 'num' },
              { label: t.status, cell: (s) => SIGNUP_LABELS[s.status][lang] },
              { label: t.position, cell: (s) => s.waitlistPosition ?? '—', class: 'num' },
              { label: t.people, cell: (s) => s.people, class: 'num' },
              { label: t.phone, cell: (s) => <span class="mono" data-testid="signup-phone">{s.phone ?? t.deleted}</span> },
              { label: t.code, cell: (s) => <span class="mono">{s.code}</span> },
              { label: t.at, cell: (s) => formatDateTime(s.createdAt, tz) },
              { label: t.attended, cell: (s) => (s.checkedInAt ? `✓ ${formatDateTime(s.checkedInAt, tz)}` : t.notYet) },
              {
                label: '',
                class: 'actions',
                cell: (s) =>
                  s.status === 'cancelled' ? null : (
                    <button type="button" disabled={action.busy} onClick={() => void attend(s, !s.checkedInAt)} data-testid="signup-attendance">
                      {s.checkedInAt ? t.markAbsent : t.markAttended}
                    </button>
                  ),
              },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}
