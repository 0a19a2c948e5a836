// Clearing workers: a BullMQ Worker on the clearing queue running the clearing processor, with its metrics.
// The venue starts one in its own process by default (clearing.workers.inProcess); `npm run worker` starts
// the same thing alone; any number of them share the queue through Redis. A worker that dies mid-job
// leaves the job locked; when the lock expires (lockDurationMs) another worker's stalled check puts it
// back on the queue, and the settlement script's idempotency makes the second run harmless.

import { Worker, type Job, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { ClearingSettings } from '../config/clearing-section.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { AssetScales } from './asset-scales.js';
import { ClearingKeys } from './clearing-keys.js';
import { ClearingMetrics } from './clearing-metrics.js';
import type { ClearingObserver } from './clearing-observer.js';
import { createClearingProcessor, type ClearingProcessorDeps } from './clearing-processor.js';
import { settledWithin } from './deadline.js';
import { closeRedis, openRedis } from './redis-client.js';
import { FeeSchedule } from './fees.js';
import type { SettleOutcome } from './settle-batch.js';

export interface ClearingWorkersOptions {
  settings: ClearingSettings;
  redisUrl: string;
  instruments: readonly InstrumentSpec[];
  /** Configured firm ids. */
  firms: readonly string[];
  /** The venue's CompID: the counterparty named in settlement instructions. */
  counterparty: string;
  registry: Registry;
  /** Told about worker errors (lost Redis connection...) and failed jobs. */
  onError?: (error: Error) => void;
  /** Told after each job attempt, once its metrics are counted (tests wait on it). */
  observer?: ClearingObserver;
}

/** Everything the processor needs, built from settings (shared with the benchmark and tests). */
export function processorDeps(opts: Omit<ClearingWorkersOptions, 'registry' | 'onError'>, redis: Redis): ClearingProcessorDeps {
  const s = opts.settings;
  const instruments = new Map(opts.instruments.map((i) => [i.symbol, i]));
  return {
    redis,
    keys: new ClearingKeys(s.queue),
    settlement: { instruments, scales: new AssetScales(opts.instruments, s.assetDecimals), fees: new FeeSchedule(s.fees) },
    report: { instruments, counterparty: opts.counterparty },
    reportsDir: s.reportsDir,
    firms: opts.firms,
    retentionSeconds: s.retentionDays * 86_400,
  };
}

/** BullMQ worker options from the settings (not started: call run()). */
export function workerOptions(s: ClearingSettings, redisUrl: string): WorkerOptions {
  return {
    connection: { url: redisUrl, maxRetriesPerRequest: null },
    concurrency: s.workers.concurrency,
    lockDuration: s.workers.lockDurationMs,
    stalledInterval: s.workers.stalledIntervalMs,
    autorun: false,
  };
}

export class ClearingWorkers {
  private readonly opts: ClearingWorkersOptions;
  private readonly metrics: ClearingMetrics;
  private redis: Redis | null = null;
  private worker: Worker | null = null;

  constructor(opts: ClearingWorkersOptions) {
    this.opts = opts;
    this.metrics = ClearingMetrics.of(opts.registry);
  }

  get running(): boolean {
    return this.worker?.isRunning() ?? false;
  }

  async start(): Promise<void> {
    if (this.worker !== null) throw new Error('ClearingWorkers: already started');
    const s = this.opts.settings;
    const redis = await openRedis(this.opts.redisUrl, (err) => this.opts.onError?.(err));
    this.redis = redis;
    const worker = new Worker(s.queue, createClearingProcessor(processorDeps(this.opts, redis)), workerOptions(s, this.opts.redisUrl));
    worker.on('error', (err) => this.opts.onError?.(err));
    worker.on('completed', (job, result) => this.completed(job, result));
    worker.on('failed', (job, err) => this.failed(job, err));
    this.worker = worker;
    void worker.run().catch((err: unknown) => this.opts.onError?.(err instanceof Error ? err : new Error(String(err))));
    await worker.waitUntilReady();
  }

  /**
   * Lets running jobs finish (force, or Redis not answering within timeoutMs: abandons them to another
   * worker's stalled check), then disconnects.
   */
  async stop(force = false, timeoutMs = 10_000): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w !== null && !(await settledWithin(w.close(force), timeoutMs))) {
      this.opts.onError?.(new Error('clearing worker: stopped without a clean close (Redis not answering); its jobs go back to the queue'));
    }
    const r = this.redis;
    this.redis = null;
    if (r !== null) await closeRedis(r);
  }

  private completed(job: Job, result: unknown): void {
    const labels = { job: ClearingMetrics.job(job.name) };
    const done = job.finishedOn ?? Date.now();
    this.metrics.latency.observe(labels, Math.max(0, done - job.timestamp - (job.delay ?? 0)) / 1000);
    if (job.processedOn !== undefined) this.metrics.duration.observe(labels, Math.max(0, done - job.processedOn) / 1000);
    if (labels.job === 'settle') {
      const r = result as SettleOutcome;
      if (r.applied) this.metrics.settled.inc(r.trades);
      else this.metrics.alreadySettled.inc();
    }
    this.opts.observer?.onJobAttempt?.({ id: job.id ?? '', name: job.name, outcome: 'completed', result, final: false });
  }

  private failed(job: Job | undefined, err: Error): void {
    if (job === undefined) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.metrics.failures.inc({ job: ClearingMetrics.job(job.name), final: final ? 'true' : 'false' });
    if (final) this.opts.onError?.(new Error(`clearing job ${job.id} (${job.name}) failed for good after ${job.attemptsMade} attempts: ${err.message}`));
    this.opts.observer?.onJobAttempt?.({ id: job.id ?? '', name: job.name, outcome: 'failed', result: err.message, final });
  }
}
