// Prometheus metrics of clearing. One set per registry, shared by every clearing service and worker that
// reports to it: a process normally has one queue; should it hold several, the series add up (the last
// enqueued seq is the highest). Labels are bounded: job is one of the three job names (or "other"), state
// one of the BullMQ states below, final "true" or "false".
//
//   clearing_queue_jobs{state}                 jobs per state (queue depth), read from Redis at scrape time
//   clearing_job_latency_seconds{job}          from enqueue (or due time, for scheduled jobs) to done
//   clearing_job_duration_seconds{job}         processing time of the successful attempt
//   clearing_job_failures_total{job,final}     failed attempts; final="true" when the job went to the failed set
//   clearing_trades_settled_total              trades whose batch was applied
//   clearing_batches_already_settled_total     settle jobs that found their batch applied (retries, duplicates)
//   clearing_trades_enqueued_total             trades the venue put on the queue
//   clearing_enqueue_errors_total              failed enqueue attempts (Redis down...; retried)
//   clearing_enqueue_lag_trades                trades on disk in the record but not yet enqueued (-1: unknown)
//   clearing_last_enqueued_seq                 seq of the newest enqueued trade

import type { Queue } from 'bullmq';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { JOB_NAMES } from './clearing-jobs.js';

const STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/** What the venue side of one queue reports: its queue (null when stopped) and its enqueue cursor. */
export interface QueueSource {
  queue(): Queue | null;
  lagTrades(): number;
  lastEnqueued(): number;
}

const hubs = new WeakMap<Registry, ClearingMetrics>();

export class ClearingMetrics {
  readonly latency: Histogram<'job'>;
  readonly duration: Histogram<'job'>;
  readonly failures: Counter<'job' | 'final'>;
  readonly settled: Counter;
  readonly alreadySettled: Counter;
  readonly enqueued: Counter;
  readonly enqueueErrors: Counter;
  private readonly sources = new Map<string, QueueSource>();

  /** The registry's clearing metrics, registered on first use. */
  static of(registry: Registry): ClearingMetrics {
    let m = hubs.get(registry);
    if (m === undefined) {
      m = new ClearingMetrics(registry);
      hubs.set(registry, m);
    }
    return m;
  }

  /** Job names from Redis are not ours to trust: anything unknown is counted as "other". */
  static job(name: string): string {
    return (JOB_NAMES as readonly string[]).includes(name) ? name : 'other';
  }

  private constructor(registry: Registry) {
    const sources = this.sources;
    const registers = [registry];
    new Gauge({
      name: 'clearing_queue_jobs', help: 'Clearing queue jobs per state', labelNames: ['state'], registers,
      async collect() {
        const total: Record<string, number> = {};
        for (const src of sources.values()) {
          const q = src.queue();
          if (q === null) continue;
          const counts = await q.getJobCounts(...STATES);
          for (const state of STATES) total[state] = (total[state] ?? 0) + (counts[state] ?? 0);
        }
        for (const state of STATES) this.set({ state }, total[state] ?? 0);
      },
    });
    new Gauge({
      name: 'clearing_enqueue_lag_trades', help: 'Trades on disk in the execution record not yet enqueued for settlement (-1: unknown)', registers,
      collect() {
        let lag = 0;
        for (const src of sources.values()) {
          const l = src.lagTrades();
          lag = lag < 0 || l < 0 ? -1 : lag + l;
        }
        this.set(lag);
      },
    });
    new Gauge({
      name: 'clearing_last_enqueued_seq', help: 'Sequence number of the newest trade enqueued for settlement', registers,
      collect() {
        this.set(Math.max(0, ...[...sources.values()].map((src) => src.lastEnqueued())));
      },
    });
    this.latency = new Histogram({
      name: 'clearing_job_latency_seconds', help: 'Time from enqueue (or due time) to completion of clearing jobs',
      labelNames: ['job'], buckets: LATENCY_BUCKETS, registers,
    });
    this.duration = new Histogram({
      name: 'clearing_job_duration_seconds', help: 'Processing time of clearing jobs', labelNames: ['job'], buckets: LATENCY_BUCKETS, registers,
    });
    this.failures = new Counter({
      name: 'clearing_job_failures_total', help: 'Failed attempts of clearing jobs; final="true" when the job went to the failed set',
      labelNames: ['job', 'final'], registers,
    });
    for (const job of JOB_NAMES) {
      this.failures.inc({ job, final: 'true' }, 0);
      this.failures.inc({ job, final: 'false' }, 0);
    }
    this.settled = new Counter({ name: 'clearing_trades_settled_total', help: 'Trades settled', registers });
    this.alreadySettled = new Counter({
      name: 'clearing_batches_already_settled_total', help: 'Settle jobs whose batch had been applied before (retries, duplicates)', registers,
    });
    this.enqueued = new Counter({ name: 'clearing_trades_enqueued_total', help: 'Trades put on the clearing queue', registers });
    this.enqueueErrors = new Counter({ name: 'clearing_enqueue_errors_total', help: 'Failed attempts to enqueue settlement batches', registers });
  }

  /** The venue side of a queue (a later source for the same queue replaces the earlier). */
  addQueue(name: string, source: QueueSource): void {
    this.sources.set(name, source);
  }
}
