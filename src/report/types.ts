import type { AlertKind } from '../contract/payloads.js';
import type { CategoryId } from '../concerns/categories.js';
import type { EventKind } from '../health/rules.js';
import type { Durations } from './stats.js';
import type { ReportMonth } from './month.js';

/**
 * The monthly report's input (the figures the queries gather, one month, no personal data: sign-ups
 * come without phones, concerns without words or phones) and its output (what the JSON, the CSV and
 * the page show). The builder between them is pure: build-report.ts.
 */
export interface Text {
  zh: string;
  en: string;
}

export interface MonthFigures {
  site: { id: string; name: Text };
  month: ReportMonth;
  /** when the figures were gathered: a month not over yet is reported up to here */
  now: number;
  /** null when the database has no footfall table (the lounge's migration 9) */
  footfall: { doorId: string; hourStart: number; entries: number }[] | null;
  doors: { id: string; name: Text }[];
  /** events starting in the month */
  events: { id: number; kind: EventKind; host: string; startsAt: number; endsAt: number; cancelled: boolean }[];
  /** every sign-up of those events, without the phone */
  signups: { eventId: number; people: number; status: 'confirmed' | 'waitlisted' | 'cancelled'; promoted: boolean; checkedIn: boolean }[];
  /** judged pickup slots scheduled on a date of the month */
  slots: { pointId: string; category: string; outcome: string }[];
  /** drop-offs in the month, counted per bin */
  dropoffs: { binId: string; inWindow: number; outOfWindow: number }[];
  points: { id: string; name: Text; bins: { id: string; category: string }[] }[];
  /** alerts raised in the month, with what happened to them since */
  alerts: { kind: AlertKind; raisedAt: number; ackedAt: number | null; escalatedAt: number | null; resolvedAt: number | null }[];
  /** concerns raised before the month ended and not closed before it began */
  concerns: { category: CategoryId; raisedAt: number; resolvedAt: number | null; declinedAt: number | null }[];
}

export interface PeopleCount {
  signups: number;
  people: number;
}

export interface WindowRow {
  pointId: string;
  point: Text;
  category: string;
}
export type PickupRow = WindowRow & { collected: number; missed: number; nothingToCollect: number; notJudged: number; keptPercent: number | null };
export type DropoffRow = WindowRow & { inWindow: number; outOfWindow: number; keptPercent: number | null };

export interface MonthlyReport {
  site: { id: string; name: Text };
  month: string;
  timezone: string;
  from: number;
  to: number;
  generatedAt: number;
  /** false while the month is still running: its figures go up to generatedAt */
  complete: boolean;
  visitors: {
    available: boolean;
    total: number;
    perDay: { date: string; entries: number }[];
    byDoor: { doorId: string; name: Text | null; entries: number }[];
    busiestDay: { date: string; entries: number } | null;
    /** the local hour of the day (0–23) with the most entries over the whole month */
    busiestHour: { hour: number; entries: number } | null;
  };
  healthHours: {
    events: { scheduled: number; held: number; cancelled: number; upcoming: number };
    byKind: { kind: EventKind; held: number }[];
    attendance: {
      signedUp: PeopleCount;
      cancelledByResident: PeopleCount;
      confirmed: PeopleCount;
      /** still on the waitlist when the event began (never got a place) */
      waitlisted: PeopleCount;
      promoted: PeopleCount;
      checkedIn: PeopleCount;
      /** confirmed for an event that took place, and not checked in */
      noShows: PeopleCount;
    };
    volunteerHours: { hosts: { host: string; events: number; minutes: number; hours: number }[]; totalHours: number };
  };
  windowsKept: {
    pickups: { rows: PickupRow[]; total: Omit<PickupRow, keyof WindowRow> };
    dropoffs: { rows: DropoffRow[]; total: Omit<DropoffRow, keyof WindowRow> };
  };
  alerts: {
    raised: number;
    acked: number;
    resolved: number;
    escalated: number;
    stillOpen: number;
    byKind: { kind: AlertKind; raised: number; acked: number; resolved: number }[];
    /** crew response times, in minutes */
    minutesToAck: Durations;
    minutesToResolve: Durations;
  };
  concerns: {
    raised: number;
    resolved: number;
    declined: number;
    byCategory: { category: CategoryId; raised: number; resolved: number; declined: number }[];
    openAtMonthEnd: number;
    /** for the concerns resolved in the month, from raising to resolution, in days */
    daysToResolve: Durations;
  };
}
