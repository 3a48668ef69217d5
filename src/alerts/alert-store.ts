import type { AlertKind } from '../contract/payloads.js';
import type { Db } from '../store/db.js';

/** Alert rows, their routes to crews and their history, in SQLite. */
export type AlertState = 'open' | 'escalated' | 'acked' | 'resolved';
export type Severity = 'info' | 'warning' | 'critical';

export interface AlertRow {
  id: string;
  kind: AlertKind;
  subject: string;
  category: string | null;
  pointId: string | null;
  binId: string | null;
  deviceId: string | null;
  state: AlertState;
  severity: Severity;
  detail: Record<string, unknown>;
  raisedAt: number;
  ackedAt: number | null;
  ackedBy: string | null;
  escalatedAt: number | null;
  resolvedAt: number | null;
  resolution: string | null;
  lastSentAt: number | null;
  crews: string[];
}

const COLUMNS = `id, kind, subject, category, point_id AS pointId, bin_id AS binId, device_id AS deviceId, state, severity,
  detail, raised_at AS raisedAt, acked_at AS ackedAt, acked_by AS ackedBy, escalated_at AS escalatedAt,
  resolved_at AS resolvedAt, resolution, last_sent_at AS lastSentAt`;

type Raw = Omit<AlertRow, 'detail' | 'crews'> & { detail: string };

export function createAlertStore(db: Db) {
  const q = {
    insert: db.prepare(`INSERT INTO alerts (id, kind, subject, category, point_id, bin_id, device_id, state, severity, detail, raised_at)
      VALUES (@id, @kind, @subject, @category, @pointId, @binId, @deviceId, 'open', @severity, @detail, @raisedAt)`),
    route: db.prepare('INSERT OR IGNORE INTO alert_routes (alert_id, crew_id, reason) VALUES (?, ?, ?)'),
    history: db.prepare('INSERT INTO alert_history (alert_id, at, event, actor, detail) VALUES (?, ?, ?, ?, ?)'),
    get: db.prepare<[string], Raw>(`SELECT ${COLUMNS} FROM alerts WHERE id = ?`),
    crews: db.prepare<[string], { crewId: string }>('SELECT crew_id AS crewId FROM alert_routes WHERE alert_id = ? ORDER BY rowid'),
    unresolved: db.prepare<[string, string], Raw>(`SELECT ${COLUMNS} FROM alerts WHERE subject = ? AND kind = ? AND state != 'resolved'`),
    lastResolved: db.prepare<[string, string], { resolvedAt: number }>(
      `SELECT resolved_at AS resolvedAt FROM alerts WHERE subject = ? AND kind = ? AND state = 'resolved' ORDER BY resolved_at DESC LIMIT 1`,
    ),
    bySubject: db.prepare<[string], Raw>(`SELECT ${COLUMNS} FROM alerts WHERE subject = ? AND state != 'resolved'`),
    byState: db.prepare<[string, number], Raw>(`SELECT ${COLUMNS} FROM alerts WHERE state = ? ORDER BY raised_at DESC LIMIT ?`),
    active: db.prepare<[number], Raw>(`SELECT ${COLUMNS} FROM alerts WHERE state != 'resolved' ORDER BY raised_at DESC LIMIT ?`),
    recent: db.prepare<[number], Raw>(`SELECT ${COLUMNS} FROM alerts ORDER BY raised_at DESC LIMIT ?`),
    ack: db.prepare("UPDATE alerts SET state = 'acked', acked_at = ?, acked_by = ? WHERE id = ? AND state IN ('open', 'escalated')"),
    escalate: db.prepare("UPDATE alerts SET state = 'escalated', escalated_at = ? WHERE id = ? AND state = 'open'"),
    resolve: db.prepare("UPDATE alerts SET state = 'resolved', resolved_at = ?, resolution = ? WHERE id = ? AND state != 'resolved'"),
    sent: db.prepare('UPDATE alerts SET last_sent_at = ? WHERE id = ?'),
    dueEscalation: db.prepare<[number], { id: string }>("SELECT id FROM alerts WHERE state = 'open' AND raised_at <= ?"),
    dueResend: db.prepare<[number], { id: string }>(
      "SELECT id FROM alerts WHERE state IN ('open', 'escalated') AND (last_sent_at IS NULL OR last_sent_at <= ?)",
    ),
    historyOf: db.prepare<[string], { at: number; event: string; actor: string | null; detail: string | null }>(
      'SELECT at, event, actor, detail FROM alert_history WHERE alert_id = ? ORDER BY at, rowid',
    ),
  };
  const hydrate = (r: Raw | undefined): AlertRow | undefined =>
    r && { ...r, detail: JSON.parse(r.detail) as Record<string, unknown>, crews: q.crews.all(r.id).map((c) => c.crewId) };

  return {
    insert(a: Omit<AlertRow, 'state' | 'ackedAt' | 'ackedBy' | 'escalatedAt' | 'resolvedAt' | 'resolution' | 'lastSentAt' | 'crews' | 'detail'> & { detail: Record<string, unknown> }) {
      q.insert.run({ ...a, detail: JSON.stringify(a.detail) });
    },
    addRoute: (id: string, crewId: string, reason: 'responsible' | 'escalation') => q.route.run(id, crewId, reason),
    addHistory: (id: string, at: number, event: string, actor: string | null = null, detail: unknown = null) =>
      q.history.run(id, at, event, actor, detail === null ? null : JSON.stringify(detail)),
    get: (id: string) => hydrate(q.get.get(id)),
    unresolved: (subject: string, kind: string) => hydrate(q.unresolved.get(subject, kind)),
    lastResolvedAt: (subject: string, kind: string) => q.lastResolved.get(subject, kind)?.resolvedAt,
    unresolvedFor: (subject: string) => q.bySubject.all(subject).map((r) => hydrate(r) as AlertRow),
    list: (state: AlertState | 'active' | 'all', limit: number) =>
      (state === 'active' ? q.active.all(limit) : state === 'all' ? q.recent.all(limit) : q.byState.all(state, limit)).map((r) => hydrate(r) as AlertRow),
    ack: (id: string, at: number, by: string) => q.ack.run(at, by, id).changes === 1,
    escalate: (id: string, at: number) => q.escalate.run(at, id).changes === 1,
    resolve: (id: string, at: number, resolution: string) => q.resolve.run(at, resolution, id).changes === 1,
    markSent: (id: string, at: number) => q.sent.run(at, id),
    dueForEscalation: (raisedBefore: number) => q.dueEscalation.all(raisedBefore).map((r) => r.id),
    dueForResend: (sentBefore: number) => q.dueResend.all(sentBefore).map((r) => r.id),
    history: (id: string) => q.historyOf.all(id).map((h) => ({ ...h, detail: h.detail === null ? null : (JSON.parse(h.detail) as unknown) })),
  };
}
export type AlertStore = ReturnType<typeof createAlertStore>;
