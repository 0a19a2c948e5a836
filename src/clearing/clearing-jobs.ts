// The jobs on the clearing queue, their ids and options. One queue carries all three kinds; the worker
// dispatches on the job name.
//
//   settle          one batch of trades (ids "settle-<firstSeq>-<lastSeq>": enqueueing a batch twice is one job)
//   clearing-report one firm's clearing report for a trade date (on demand)
//   end-of-day      the daily run (job scheduler): every firm's report for the trade date that just ended

import type { JobsOptions } from 'bullmq';
import type { ClearingSettings } from '../config/clearing-section.js';
import { isTradeDate } from '../records/trade-date.js';

export const JOB_SETTLE = 'settle';
export const JOB_REPORT = 'clearing-report';
export const JOB_END_OF_DAY = 'end-of-day';
export const JOB_NAMES = [JOB_SETTLE, JOB_REPORT, JOB_END_OF_DAY] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const END_OF_DAY_SCHEDULER = 'clearing-end-of-day';

/** A batch's range; its trades (record lines) wait in Redis under the batch id (ClearingKeys.batchTrades). */
export interface SettleJobData {
  tradeDate: string;
  /** Seqs of the first and last trade of the batch. */
  from: number;
  to: number;
  count: number;
}

export interface ReportJobData {
  tradeDate: string;
  firm: string;
  /** Fail (and be retried) while settlement of the date has not caught up, instead of reporting partially. */
  requireComplete: boolean;
}

export type EndOfDayJobData = Record<string, never>;

export function settleJobId(from: number, to: number): string {
  return `settle-${from}-${to}`;
}

/** Retries with exponential backoff, then the failed set (kept for ops); completed jobs trimmed. */
export function jobOptions(s: ClearingSettings): JobsOptions {
  return {
    attempts: s.retry.attempts,
    backoff: { type: 'exponential', delay: s.retry.backoffMs },
    removeOnComplete: { count: s.keepCompletedJobs },
    removeOnFail: false,
  };
}

/** Job data comes from Redis, which anything can write: check it before trusting it. */
export function checkSettleData(d: unknown): SettleJobData {
  const x = d as Partial<SettleJobData> | null;
  if (
    x === null || typeof x !== 'object' || typeof x.tradeDate !== 'string' || !isTradeDate(x.tradeDate) ||
    !Number.isSafeInteger(x.from) || !Number.isSafeInteger(x.to) || !Number.isSafeInteger(x.count)
  ) {
    throw new Error('settle job data is not { tradeDate, from, to, count }');
  }
  return { tradeDate: x.tradeDate, from: x.from!, to: x.to!, count: x.count! };
}

export function checkReportData(d: unknown): ReportJobData {
  const x = d as Partial<ReportJobData> | null;
  if (x === null || typeof x !== 'object' || typeof x.tradeDate !== 'string' || !isTradeDate(x.tradeDate) || typeof x.firm !== 'string' || x.firm === '') {
    throw new Error('clearing-report job data is not { tradeDate, firm }');
  }
  return { tradeDate: x.tradeDate, firm: x.firm, requireComplete: x.requireComplete === true };
}
