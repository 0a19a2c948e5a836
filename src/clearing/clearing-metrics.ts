// Prometheus metrics of clearing. Labels are bounded: job is one of the three job names, state one of the
// BullMQ states below, final "true" or "false".
//
//   clearing_queue_jobs{state}                 jobs per state (queue depth), read from Redis at scrape time
//   clearing_job_latency_seconds{job}          from enqueue (or due time, for scheduled jobs) to done
//   clearing_job_duration_seconds{job}         processing time of the successful attempt
//   clearing_job_failures_total{job,final}     failed attempts; final="true" when the job went to the failed set
//   clearing_trades_settled_total              trades whose batch was applied
//   clearing_batches_already_settled_total     settle jobs that found their batch applied (retries, duplicates)
//   clearing_trades_enqueued_total             trades the venue put on the queue
//   clearing_enqueue_errors_total              failed enqueue attempts (Redis down...; retried)
//   clearing_enqueue_lag_trades                trades on disk in the record but not yet enqueued
//   clearing_last_enqueued_seq                 seq of the newest enqueued trade

import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { JOB_NAMES } from './clearing-jobs.js';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Queue depth per state, asked of Redis when Prometheus scrapes (never on the venue's hot path); nothing
 * while there is no queue (before start, after stop).
 */
export function registerQueueDepth(registry: Registry, queue: () => Queue | null): void {
  new Gauge({
    name: 'clearing_queue_jobs',
    help: 'Clearing queue jobs per state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const q = queue();
      if (q === null) return;
      const counts = await q.getJobCounts(...STATES);
      for (const s of STATES) this.set({ state: s }, counts[s] ?? 0);
    },
  });
}

export class WorkerMetrics {
  readonly latency: Histogram<'job'>;
  readonly duration: Histogram<'job'>;
  readonly failures: Counter<'job' | 'final'>;
  readonly settled: Counter;
  readonly alreadySettled: Counter;

  constructor(registry: Registry) {
    this.latency = new Histogram({
      name: 'clearing_job_latency_seconds', help: 'Time from enqueue (or due time) to completion of clearing jobs',
      labelNames: ['job'], buckets: LATENCY_BUCKETS, registers: [registry],
    });
    this.duration = new Histogram({
      name: 'clearing_job_duration_seconds', help: 'Processing time of clearing jobs',
      labelNames: ['job'], buckets: LATENCY_BUCKETS, registers: [registry],
    });
    this.failures = new Counter({
      name: 'clearing_job_failures_total', help: 'Failed attempts of clearing jobs; final="true" when the job went to the failed set',
      labelNames: ['job', 'final'], registers: [registry],
    });
    this.settled = new Counter({ name: 'clearing_trades_settled_total', help: 'Trades settled', registers: [registry] });
    this.alreadySettled = new Counter({
      name: 'clearing_batches_already_settled_total', help: 'Settle jobs whose batch had been applied before (retries, duplicates)', registers: [registry],
    });
    for (const job of JOB_NAMES) {
      this.failures.inc({ job, final: 'true' }, 0);
      this.failures.inc({ job, final: 'false' }, 0);
    }
  }

  /** Job names from Redis are not ours to trust: anything unknown is counted as "other". */
  static label(name: string): string {
    return (JOB_NAMES as readonly string[]).includes(name) ? name : 'other';
  }
}

export interface EnqueueStats {
  readonly lagTrades: number;
  readonly lastEnqueued: number;
}

export class EnqueueMetrics {
  readonly enqueued: Counter;
  readonly errors: Counter;

  constructor(registry: Registry, stats: EnqueueStats) {
    this.enqueued = new Counter({ name: 'clearing_trades_enqueued_total', help: 'Trades put on the clearing queue', registers: [registry] });
    this.errors = new Counter({ name: 'clearing_enqueue_errors_total', help: 'Failed attempts to enqueue settlement batches', registers: [registry] });
    new Gauge({
      name: 'clearing_enqueue_lag_trades', help: 'Trades on disk in the execution record not yet enqueued for settlement', registers: [registry],
      collect() {
        this.set(stats.lagTrades);
      },
    });
    new Gauge({
      name: 'clearing_last_enqueued_seq', help: 'Sequence number of the newest trade enqueued for settlement', registers: [registry],
      collect() {
        this.set(stats.lastEnqueued);
      },
    });
  }
}
