import { useState } from 'preact/hooks';
import { defineStrings, useLang } from '../../app/i18n.js';
import { useSession } from '../context.js';
import { monthOf } from '../time.js';

const useStrings = defineStrings({
  zh: {
    heading: '报表',
    month: '月份',
    monthly: '月度报表（网页，可打印）',
    monthlyCsv: '月度报表 CSV',
    lounge: '客厅访客与活动（最近 7 天）',
    hint: '报表在新标签页中打开，使用与本页相同的登录。',
  },
  en: {
    heading: 'Reports',
    month: 'Month',
    monthly: 'Monthly report (page, printable)',
    monthlyCsv: 'Monthly report as CSV',
    lounge: 'Lounge visitors and events (last 7 days)',
    hint: 'Reports open in a new tab and use the same login as this page.',
  },
});

/** Links to the server's own report pages (src/report, src/lounge/lounge-page.ts). */
export function ReportsPage() {
  const t = useStrings();
  const lang = useLang();
  const { tz } = useSession();
  const [month, setMonth] = useState(monthOf(Date.now(), tz));
  const valid = /^\d{4}-\d{2}$/.test(month);
  const q = `month=${encodeURIComponent(month)}&lang=${lang}`;
  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <p class="note">{t.hint}</p>
      <div class="toolbar">
        <label class="inline-field">
          <span>{t.month}</span>
          <input type="month" value={month} onInput={(e) => setMonth(e.currentTarget.value)} data-testid="report-month" />
        </label>
      </div>
      <ul class="links">
        <li>
          <a href={valid ? `/reports/monthly?${q}` : undefined} target="_blank" rel="noopener" data-testid="report-monthly">
            {t.monthly}
          </a>
        </li>
        <li>
          <a href={valid ? `/api/reports/monthly.csv?${q}` : undefined} download data-testid="report-monthly-csv">
            {t.monthlyCsv}
          </a>
        </li>
        <li>
          <a href={`/reports/lounge?days=7&lang=${lang}`} target="_blank" rel="noopener" data-testid="report-lounge">
            {t.lounge}
          </a>
        </li>
      </ul>
    </section>
  );
}
