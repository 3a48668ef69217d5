import type { Db } from '../store/db.js';

/**
 * The day's figures for the summary, read-only and straight from the other domains' tables (as the
 * monthly report does: src/report/queries.ts), and the record of summaries sent. No statement reads
 * a phone or a resident's words.
 */
export interface DayFigures {
  visitors: number;
  signups: number;
  binsEmptied: number;
  openConcerns: number;
}

export function createSummaryStore(db: Db) {
  const n = (sql: string) => db.prepare<[number, number], { n: number }>(sql);
  const q = {
    // Entries per door and local hour (lounge, migration 9): people who came in.
    visitors: n('SELECT coalesce(sum(entries), 0) AS n FROM lounge_visits_hourly WHERE hour_start >= ? AND hour_start < ?'),
    signups: n('SELECT count(*) AS n FROM health_signups WHERE created_at >= ? AND created_at < ?'),
    binsEmptied: n('SELECT count(*) AS n FROM pickups WHERE at >= ? AND at < ?'),
    openConcerns: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM concerns WHERE state IN ('raised', 'accepted', 'in-consultation')"),
    last: db.prepare<[], { date: string }>('SELECT date FROM daily_summaries ORDER BY date DESC LIMIT 1'),
    insert: db.prepare('INSERT OR IGNORE INTO daily_summaries (date, figures, sent_at) VALUES (?, ?, ?)'),
  };
  return {
    figures(from: number, to: number): DayFigures {
      return {
        visitors: q.visitors.get(from, to)?.n ?? 0,
        signups: q.signups.get(from, to)?.n ?? 0,
        binsEmptied: q.binsEmptied.get(from, to)?.n ?? 0,
        openConcerns: q.openConcerns.get()?.n ?? 0,
      };
    },
    lastSent: (): string | undefined => q.last.get()?.date,
    /** false when that date was already sent. Call inside the transaction that queues the message. */
    markSent: (date: string, figures: DayFigures, at: number): boolean => q.insert.run(date, JSON.stringify(figures), at).changes === 1,
  };
}
export type SummaryStore = ReturnType<typeof createSummaryStore>;
