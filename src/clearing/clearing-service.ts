// Clearing as the venue process runs it: enqueues trades from the execution record (trade-enqueuer.ts),
// schedules the end-of-day reports, runs workers in-process unless configured not to, and answers the
// admin API: reports, positions, compliance, failed jobs and retries.

import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ClearingSettings } from '../config/clearing-section.js';
import type { ExecutionRecord } from '../records/execution-record.js';
import type { RecordFilter } from '../records/record-entries.js';
import { isTradeDate } from '../records/trade-date.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { ClearingKeys } from './clearing-keys.js';
import { END_OF_DAY_SCHEDULER, JOB_END_OF_DAY, JOB_REPORT, jobOptions, type ReportJobData } from './clearing-jobs.js';
import { ClearingMetrics } from './clearing-metrics.js';
import type { ClearingObserver } from './clearing-observer.js';
import type { ReportSummary } from './clearing-processor.js';
import type { ClearingReport } from './clearing-report.js';
import { safeSegment } from './clearing-report-files.js';
import { ClearingStore, type DayStatus, type PositionRow, type ReportListing } from './clearing-store.js';
import { ClearingWorkers } from './clearing-workers.js';
import { complianceEvents, runComplianceReport, type ComplianceReport, type ComplianceRow } from './compliance-report.js';
import type { EnqueueFaults } from './enqueue-faults.js';
import { TradeEnqueuer } from './trade-enqueuer.js';
import { settledWithin } from './deadline.js';
import { closeRedis, openRedis } from './redis-client.js';

export interface ClearingServiceOptions {
  settings: ClearingSettings;
  redisUrl: string;
  /** The venue's execution record, open, with the journal replayed into it. */
  record: ExecutionRecord;
  instruments: readonly InstrumentSpec[];
  /** Configured firm ids (the end-of-day run reports on each). */
  firms: readonly string[];
  /** The venue's CompID, named as counterparty in settlement instructions. */
  counterparty: string;
  registry: Registry;
  /** Told about enqueue errors, worker errors and jobs that failed for good (log them). */
  onError?: (error: Error) => void;
  /** Told when Redis came back without clearing's state and trades are enqueued again (default: onError). */
  onWarning?: (message: string) => void;
  /** Soak-test crash points in the enqueuer (enqueue-faults.ts); null or absent in production. */
  enqueueFaults?: EnqueueFaults | null;
  /** Told about committed enqueues and in-process job attempts after their metrics are counted (tests wait on it). */
  observer?: ClearingObserver;
}

export interface FailedJob {
  id: string;
  name: string;
  failedReason: string;
  attemptsMade: number;
  /** Epoch ms the job was created and last failed. */
  createdAt: number;
  failedAt: number | null;
  /** The job's data (a settle job's range and date, a report's date and firm). */
  summary: Record<string, unknown>;
}

export class ClearingService {
  private readonly opts: ClearingServiceOptions;
  private readonly keys: ClearingKeys;
  private redis: Redis | null = null;
  private queue: Queue | null = null;
  private events: QueueEvents | null = null;
  private enqueuer: TradeEnqueuer | null = null;
  private readonly workers: ClearingWorkers | null = null;
  private readonly metrics: ClearingMetrics;
  private enqueuedSoFar = 0;
  private store: ClearingStore | null = null;
  private reportCounter = 0;

  /** Registers its metrics (shared by everything clearing on the registry) and builds the in-process workers if configured. */
  constructor(opts: ClearingServiceOptions) {
    this.opts = opts;
    this.keys = new ClearingKeys(opts.settings.queue);
    const { settings, registry, record } = opts;
    this.metrics = ClearingMetrics.of(registry);
    this.metrics.addQueue(settings.queue, {
      queue: () => this.queue,
      lagTrades: () => record.countTradesBetween(this.lastEnqueued, record.durableSeq),
      lastEnqueued: () => this.lastEnqueued,
    });
    if (settings.workers.inProcess) {
      this.workers = new ClearingWorkers({
        settings, redisUrl: opts.redisUrl, instruments: opts.instruments, firms: opts.firms, counterparty: opts.counterparty, registry,
        onError: (err) => this.opts.onError?.(err), observer: opts.observer,
      });
    }
  }

  /** Seq of the newest trade on the queue (0 before the first start). */
  get lastEnqueued(): number {
    if (this.enqueuer !== null) this.enqueuedSoFar = this.enqueuer.lastEnqueued;
    return this.enqueuedSoFar;
  }

  /** The BullMQ queue (for tests and tools). */
  get jobQueue(): Queue {
    if (this.queue === null) throw new Error('ClearingService: call start() first');
    return this.queue;
  }

  /**
   * Connects, re-enqueues every trade the record holds past the last enqueued one (finishing an enqueue a
   * crash interrupted), schedules the end-of-day run, and starts in-process workers if configured.
   */
  async start(): Promise<void> {
    if (this.queue !== null || this.redis !== null) throw new Error('ClearingService: already started');
    try {
      await this.open();
    } catch (err) {
      await this.stop().catch(() => undefined); // leave no connection behind
      throw err;
    }
  }

  private async open(): Promise<void> {
    const { settings, redisUrl } = this.opts;
    const onError = (err: Error): void => this.opts.onError?.(err);
    const redis = await openRedis(redisUrl, onError);
    this.redis = redis;
    this.store = new ClearingStore(redis, this.keys);
    const queue = new Queue(settings.queue, { connection: { url: redisUrl } });
    queue.on('error', onError);
    this.queue = queue;
    this.enqueuer = new TradeEnqueuer({
      record: this.opts.record, queue, redis, keys: this.keys, settings, metrics: this.metrics, onError, onWarning: this.opts.onWarning,
      faults: this.opts.enqueueFaults, observer: this.opts.observer,
    });
    await this.enqueuer.start();
    await this.scheduleEndOfDay(queue);
    // The schedule lives in Redis: a Redis that comes back empty has none. Upserting it again is harmless.
    redis.on('ready', () => void this.scheduleEndOfDay(queue).catch(onError));
    await this.workers?.start();
  }

  private async scheduleEndOfDay(queue: Queue): Promise<void> {
    const { settings } = this.opts;
    const { hour, minute } = settings.endOfDay;
    await queue.upsertJobScheduler(
      END_OF_DAY_SCHEDULER,
      { pattern: `${minute} ${hour} * * *`, tz: 'UTC' },
      { name: JOB_END_OF_DAY, data: {}, opts: jobOptions(settings) },
    );
  }

  /**
   * Enqueues what the record has on disk (when Redis answers), stops the workers, disconnects. Bounded:
   * a Redis that does not answer delays it by about timeoutMs, not forever.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.enqueuer?.stop(true, timeoutMs / 2);
    if (this.enqueuer !== null) this.enqueuedSoFar = this.enqueuer.lastEnqueued;
    this.enqueuer = null;
    await this.workers?.stop(false, timeoutMs / 2);
    await settledWithin(this.events?.close(), 2_000);
    this.events = null;
    await settledWithin(this.queue?.close(), 2_000);
    this.queue = null;
    const r = this.redis;
    this.redis = null;
    r?.removeAllListeners('ready');
    if (r !== null) await closeRedis(r);
  }

  // ---------------------------------------------------------------------------------- clearing reports

  /**
   * Builds a firm's clearing report for a trade date now, through the queue (any worker runs it), and
   * resolves with its summary when written. Reports what is settled so far (`complete` says whether
   * settlement had caught up).
   */
  async runClearingReport(tradeDate: string, firm: string): Promise<ReportSummary> {
    if (!isTradeDate(tradeDate)) throw new RangeError(`not a trade date (YYYY-MM-DD): ${tradeDate}`);
    if (firm === '') throw new RangeError('a firm is required');
    const queue = this.jobQueue;
    const events = await this.queueEvents();
    const data: ReportJobData = { tradeDate, firm, requireComplete: false };
    const jobId = `report-${tradeDate}-${safeSegment(firm)}-${Date.now()}-${++this.reportCounter}`;
    const job = await queue.add(JOB_REPORT, data, { ...jobOptions(this.opts.settings), jobId });
    const timeout = this.opts.settings.reportTimeoutMs;
    try {
      return (await job.waitUntilFinished(events, timeout)) as ReportSummary;
    } catch (err) {
      const state = await job.getState();
      if (state === 'failed' || state === 'completed') throw err;
      throw new Error(
        `clearing report ${tradeDate} ${firm} not done within ${timeout} ms (job ${jobId} is ${state}): are clearing workers running? ` +
          '(clearing.workers.inProcess, or `npm run worker`)',
      );
    }
  }

  /** The stored report (Redis copy, kept for clearing.retentionDays), or null. */
  clearingReport(tradeDate: string, firm: string): Promise<ClearingReport | null> {
    return this.mustStore().report(tradeDate, firm);
  }

  clearingReports(limit = 100): Promise<ReportListing[]> {
    return this.mustStore().reports(limit);
  }

  /** Running settlement positions of a trade date, in units of each asset's settlement scale. */
  positions(tradeDate: string, firm?: string): Promise<PositionRow[]> {
    return this.mustStore().positions(tradeDate, firm);
  }

  /** Trades of a date enqueued and settled so far. */
  dayStatus(tradeDate: string): Promise<DayStatus> {
    return this.mustStore().dayStatus(tradeDate);
  }

  // ---------------------------------------------------------------------------------- compliance

  /** Writes the compliance report of [from, to] (epoch ms, inclusive) as CSV and JSON files. */
  runComplianceReport(from: number, to: number, filter: RecordFilter = {}): Promise<ComplianceReport> {
    return runComplianceReport(this.opts.record, this.opts.settings.reportsDir, { from, to, filter });
  }

  /** The compliance rows of [from, to], at most limit, for the admin API. */
  complianceEvents(from: number, to: number, filter: RecordFilter = {}, limit = 10_000): Promise<ComplianceRow[]> {
    return complianceEvents(this.opts.record, { from, to, filter }, limit);
  }

  // ---------------------------------------------------------------------------------- failed jobs

  /** Jobs in the failed set (retries exhausted), newest first. */
  async failedJobs(start = 0, end = 99): Promise<FailedJob[]> {
    const jobs = await this.jobQueue.getFailed(start, end);
    return jobs.filter((j): j is Job => j !== undefined && j !== null).map((j) => ({
      id: j.id ?? '',
      name: j.name,
      failedReason: j.failedReason,
      attemptsMade: j.attemptsMade,
      createdAt: j.timestamp,
      failedAt: j.finishedOn ?? null,
      summary: summarize(j.data),
    }));
  }

  /** Puts a failed job back on the queue; false if there is no such failed job. */
  async retryJob(id: string): Promise<boolean> {
    const job = await this.jobQueue.getJob(id);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry('failed');
    return true;
  }

  /** Puts every failed job back on the queue. */
  async retryAllFailed(): Promise<void> {
    await this.jobQueue.retryJobs({ state: 'failed' });
  }

  /** Jobs per state. */
  async queueCounts(): Promise<Record<string, number>> {
    return this.jobQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
  }

  private mustStore(): ClearingStore {
    if (this.store === null) throw new Error('ClearingService: call start() first');
    return this.store;
  }

  private async queueEvents(): Promise<QueueEvents> {
    if (this.events === null) {
      const events = new QueueEvents(this.opts.settings.queue, { connection: { url: this.opts.redisUrl } });
      events.on('error', (err) => this.opts.onError?.(err));
      await events.waitUntilReady();
      this.events = events;
    }
    return this.events;
  }
}

function summarize(data: unknown): Record<string, unknown> {
  if (data === null || typeof data !== 'object') return {};
  return { ...(data as Record<string, unknown>) };
}
