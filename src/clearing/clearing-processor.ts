// What a clearing worker does with each job, as a plain function of the job, so the same processor runs in
// the venue process, in `npm run worker`, and in tests that need to stop a worker at a known point.

import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { addDays, tradeDateOf } from '../records/trade-date.js';
import type { ClearingKeys } from './clearing-keys.js';
import { JOB_END_OF_DAY, JOB_REPORT, JOB_SETTLE, checkReportData, checkSettleData, settleJobId } from './clearing-jobs.js';
import { buildClearingReports, type ClearingReport, type ReportContext } from './clearing-report.js';
import { writeClearingReportFiles } from './clearing-report-files.js';
import { ClearingStore } from './clearing-store.js';
import { settleBatch, type SettleOutcome } from './settle-batch.js';
import type { SettlementContext } from './settlement.js';

/** Reports with more trades than this keep their trades only in the files, not in the Redis copy. */
export const REDIS_REPORT_MAX_TRADES = 100_000;

export interface ClearingProcessorDeps {
  redis: Redis;
  keys: ClearingKeys;
  settlement: SettlementContext;
  report: ReportContext;
  reportsDir: string;
  /** Configured firm ids: the end-of-day run reports on each, traded or not. */
  firms: readonly string[];
  retentionSeconds: number;
}

export interface ReportSummary {
  tradeDate: string;
  firm: string;
  tradeCount: number;
  complete: boolean;
  files: NonNullable<ClearingReport['files']>;
}

export type ClearingJobResult = SettleOutcome | ReportSummary | { tradeDate: string; reports: ReportSummary[] };

export function createClearingProcessor(deps: ClearingProcessorDeps): (job: Job) => Promise<ClearingJobResult> {
  const store = new ClearingStore(deps.redis, deps.keys);

  const publish = async (report: ClearingReport): Promise<ReportSummary> => {
    const files = await writeClearingReportFiles(report, deps.reportsDir);
    const big = (report.trades?.length ?? 0) > REDIS_REPORT_MAX_TRADES;
    const copy: ClearingReport = big ? { ...report, files, trades: undefined, tradesOmitted: true } : { ...report, files };
    await store.saveReport(copy, deps.retentionSeconds);
    return { tradeDate: report.tradeDate, firm: report.firm, tradeCount: report.tradeCount, complete: report.complete, files };
  };

  return async (job: Job): Promise<ClearingJobResult> => {
    switch (job.name) {
      case JOB_SETTLE: {
        const data = checkSettleData(job.data);
        return settleBatch(deps.redis, deps.keys, deps.settlement, settleJobId(data.from, data.to), data, deps.retentionSeconds);
      }
      case JOB_REPORT: {
        const data = checkReportData(job.data);
        const [report] = await buildClearingReports(store, deps.report, data.tradeDate, [data.firm], data.requireComplete);
        return publish(report!);
      }
      case JOB_END_OF_DAY: {
        // The run due at HH:MM on day D reports day D-1; a retry a day later still reports D-1.
        const due = job.opts.prevMillis ?? job.timestamp + (job.delay ?? 0);
        const tradeDate = addDays(tradeDateOf(due), -1);
        const firms = [...new Set([...deps.firms, ...(await store.firms(tradeDate))])].sort();
        const reports = await buildClearingReports(store, deps.report, tradeDate, firms, true);
        const out: ReportSummary[] = [];
        for (const r of reports) out.push(await publish(r));
        return { tradeDate, reports: out };
      }
      default:
        throw new Error(`unknown clearing job "${job.name}"`);
    }
  };
}
