import { describe, expect, it } from 'vitest';
import { buildMonthlyReport } from '../../../src/report/build-report.js';
import { reportCsv, reportLines } from '../../../src/report/csv.js';
import { esc, reportHtml } from '../../../src/report/html.js';
import { reportMonth } from '../../../src/report/month.js';
import type { MonthFigures } from '../../../src/report/types.js';

/** The CSV and the page made from one report: both languages, empty cells for missing figures, nothing unescaped. */
const NOV = reportMonth('2026-11', 'Asia/Shanghai');
const NOW = Date.UTC(2026, 11, 2, 1);

const figures = (over: Partial<MonthFigures> = {}): MonthFigures => ({
  site: { id: 'demo', name: { zh: '示例<客厅>', en: 'Sample "lounge" & garden' } },
  month: NOV,
  now: NOW,
  footfall: [{ doorId: 'door-main', hourStart: NOV.from + 15 * 3_600_000, entries: 7 }],
  doors: [{ id: 'door-main', name: { zh: '正门', en: 'Main door' } }],
  events: [{ id: 1, kind: 'lecture', host: 'Dr <b>Li</b>', startsAt: NOV.from + 86_400_000, endsAt: NOV.from + 86_400_000 + 3_600_000, cancelled: false }],
  signups: [],
  slots: [{ pointId: 'p1', category: 'wet', outcome: 'collected' }],
  dropoffs: [],
  points: [{ id: 'p1', name: { zh: '一号定点', en: 'Point 1' }, bins: [{ id: 'p1-wet', category: 'wet' }] }],
  alerts: [],
  concerns: [],
  ...over,
});

describe('the CSV', () => {
  it('is one four-column table with zh or en headings, a BOM for Excel, and empty cells for figures that do not exist', () => {
    const r = buildMonthlyReport(figures());
    const zh = reportCsv(r, 'zh');
    expect(zh.startsWith('\uFEFF部分,项目,细分,数值\n')).toBe(true);
    expect(reportCsv(r, 'en').startsWith('\uFEFFsection,item,detail,value\n')).toBe(true);
    const lines = reportLines(r, 'en');
    expect(lines.every((l) => l.length === 4)).toBe(true);
    expect(lines).toContainEqual(['Lounge visitors', 'Entries in total', '', 7]);
    expect(lines).toContainEqual(['Lounge visitors', 'Busiest hour (whole month)', '15:00–16:00', 7]);
    expect(lines).toContainEqual(['Windows kept', 'Pickup slots: Kept %', 'Point 1 · wet', 100]);
    expect(lines).toContainEqual(['Health hours', 'Volunteer hours', 'Dr <b>Li</b>', 1]);
    expect(lines).toContainEqual(['Alerts and crew response', 'Minutes to ack', 'median', null]);
    expect(reportCsv(r, 'en')).toContain('Alerts and crew response,Minutes to ack,median,\n');
    // A comma or quote in a name is quoted, not a new column.
    expect(reportCsv(r, 'en')).toContain('"Sample ""lounge"" & garden"');
    expect(reportLines(r, 'zh')).toContainEqual(['定时定点：守时情况', '收运时段: 守时率 %', '一号定点 · 湿垃圾', 100]);
  });

  it('says when there is no footfall data at all', () => {
    const lines = reportLines(buildMonthlyReport(figures({ footfall: null })), 'zh');
    expect(lines).toContainEqual(['客厅访客', '暂无客流数据（未安装客流计数）', '', null]);
  });
});

describe('the page', () => {
  it('renders both languages with a stylesheet link, no script, no inline style, and escapes every name', () => {
    const r = buildMonthlyReport(figures());
    const zh = reportHtml(r, 'zh');
    const en = reportHtml(r, 'en');
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('社区共享客厅月报 · 2026-11');
    expect(zh).toContain('志愿服务时长');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('Shared lounge monthly report · 2026-11');
    expect(en).toContain('Windows kept');
    for (const page of [zh, en]) {
      expect(page).toContain('<link rel="stylesheet" href="/reports/monthly.css">');
      expect(page).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
      expect(page).not.toContain('<b>');
      expect(page).toContain('Dr &#60;b&#62;Li&#60;/b&#62;');
    }
    expect(zh).toContain('示例&#60;客厅&#62;');
    expect(en).toContain('href="/reports/monthly?month=2026-11&amp;lang=zh"');
    expect(zh).toContain('href="/api/reports/monthly.csv?month=2026-11&amp;lang=zh"');
  });

  it('marks a month that is not over yet, and prints a dash for a figure that does not exist', () => {
    const page = reportHtml(buildMonthlyReport(figures({ now: NOV.from + 10 * 86_400_000 })), 'en');
    expect(page).toContain('The month is not over');
    expect(esc(null)).toBe('—');
    expect(esc(`a&"'`)).toBe('a&#38;&#34;&#39;');
  });
});
