import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { Db } from '../store/db.js';
import type { StaffAuth } from '../staff/auth.js';
import { buildMonthlyReport } from './build-report.js';
import { reportCsv } from './csv.js';
import { reportHtml, REPORT_CSS_PATH } from './html.js';
import type { Lang } from './labels.js';
import { isFutureMonth, MONTH_PATTERN, reportMonth } from './month.js';
import { createReportQueries, siteFacts } from './queries.js';
import { REPORT_CSS } from './report-css.js';
import type { MonthlyReport } from './types.js';

/**
 * The monthly report for staff and the street committee: JSON, a CSV download and a printable page.
 * A malformed month fails the schema (400); a month that has not begun is refused (400) rather than
 * answered with a page of zeros that could be mistaken for a real month.
 */
const Query = Type.Object({
  month: Type.String({ pattern: MONTH_PATTERN, description: 'the local calendar month, YYYY-MM' }),
  lang: Type.Optional(Type.Union([Type.Literal('zh'), Type.Literal('en')], { default: 'zh', description: 'language of the CSV headings and the page' })),
});
type Query = Static<typeof Query>;
const tags = ['reports'];

export function reportRoutes(d: { db: Db; config: SiteConfig; clock: Clock; auth: StaffAuth }): FastifyPluginAsync {
  const tz = d.config.site.timezone;
  const queries = createReportQueries(d.db);
  const site = siteFacts(d.config);
  const onRequest = d.auth.requireRole('admin', 'staff', 'committee');

  const build = (month: string): MonthlyReport => {
    const now = d.clock.now();
    if (isFutureMonth(month, now, tz)) {
      throw errors.badRequest(`${month} has not begun yet: there is nothing to report`, { zh: `${month} 还没有开始，暂无可报告的数据。`, en: `${month} has not begun yet: there is nothing to report.` });
    }
    const m = reportMonth(month, tz);
    return buildMonthlyReport({ ...site, month: m, now, ...queries.gather(m) });
  };

  return async (app) => {
    app.get('/api/reports/monthly', { onRequest, schema: { tags, summary: 'the monthly report (JSON): visitors, health hours, windows kept, alerts, concerns', querystring: Query } }, async (req) => ({
      report: build((req.query as Query).month),
    }));

    app.get('/api/reports/monthly.csv', { onRequest, schema: { tags, summary: 'the monthly report as a CSV download (UTF-8 with BOM)', querystring: Query } }, async (req, reply) => {
      const { month, lang = 'zh' } = req.query as Query;
      const csv = reportCsv(build(month), lang as Lang);
      d.auth.audit(req, 'report.monthly.export', `report:${month}`, { lang });
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename=tongxin-${d.config.site.id}-${month}.csv`)
        .header('Cache-Control', 'no-store')
        .send(csv);
    });

    app.get('/reports/monthly', { onRequest, schema: { hide: true, querystring: Query } }, async (req, reply) => {
      const { month, lang = 'zh' } = req.query as Query;
      return reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(reportHtml(build(month), lang as Lang));
    });

    // The stylesheet holds no data, so it needs no login (a printed page keeps its looks).
    app.get(REPORT_CSS_PATH, { schema: { hide: true } }, async (_req, reply) => reply.type('text/css; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(REPORT_CSS));
  };
}
