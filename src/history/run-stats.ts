import { performance } from 'node:perf_hooks';
import type { Db } from '../store/db.js';

/** What the roll-up job reports about its batches: the numbers the size test and the log show. */
export interface RetentionDays {
  rawDays: number;
  minuteDays: number;
  hourDays: number;
}

export type BatchKind = 'rollup' | 'late' | 'finalize' | 'prune-minute' | 'prune-hour';

export interface BatchReport {
  kind: BatchKind;
  from: number;
  to: number;
  /** Buckets written (rollup, late) or rows deleted (finalize: raw rows; prune: roll-up rows). */
  rows: number;
  ms: number;
}

export interface RunStats {
  batches: number;
  rows: Record<BatchKind, number>;
  longestTxMs: number;
  longestTx: BatchKind | null;
  ms: number;
  /** False when `maxBatches` stopped the run before the work due was done. */
  done: boolean;
}

export function emptyStats(): RunStats {
  return {
    batches: 0,
    rows: { rollup: 0, late: 0, finalize: 0, 'prune-minute': 0, 'prune-hour': 0 },
    longestTxMs: 0,
    longestTx: null,
    ms: 0,
    done: false,
  };
}

export function addBatch(stats: RunStats, b: BatchReport): void {
  stats.batches += 1;
  stats.rows[b.kind] += b.rows;
  if (b.ms > stats.longestTxMs) {
    stats.longestTxMs = b.ms;
    stats.longestTx = b.kind;
  }
}

/** Runs one batch in its own transaction and reports how long the transaction took. */
export function timedBatch(db: Db, kind: BatchKind, from: number, to: number, work: () => number): BatchReport {
  const t0 = performance.now();
  const rows = db.transaction(work)();
  return { kind, from, to, rows, ms: performance.now() - t0 };
}
