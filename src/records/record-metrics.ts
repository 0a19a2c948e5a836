// Prometheus metrics of the execution record. Counts are kept as plain numbers by the record and read at
// scrape time (collect), so the event listener never calls into prom-client.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface RecordStats {
  readonly recordedEvents: number;
  readonly lastSeq: number;
  readonly durableSeq: number;
  readonly pendingLines: number;
  readonly failed: boolean;
}

const hubs = new WeakMap<Registry, RecordMetrics>();

/** One set per registry; the newest record on a registry reports (a process normally has one). */
export class RecordMetrics {
  private readonly flushSeconds: Histogram;
  private readonly errors: Counter;
  private stats: RecordStats;

  static of(registry: Registry, stats: RecordStats): RecordMetrics {
    const known = hubs.get(registry);
    if (known !== undefined) {
      known.stats = stats;
      return known;
    }
    const m = new RecordMetrics(registry, stats);
    hubs.set(registry, m);
    return m;
  }

  private constructor(registry: Registry, stats: RecordStats) {
    this.stats = stats;
    const self = this;
    new Counter({
      name: 'venue_record_events_total',
      help: 'Venue events written to the execution record',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(self.stats.recordedEvents);
      },
    });
    new Gauge({
      name: 'venue_record_last_seq',
      help: 'Sequence number of the newest event in the execution record',
      registers: [registry],
      collect() {
        this.set(self.stats.lastSeq);
      },
    });
    new Gauge({
      name: 'venue_record_durable_seq',
      help: 'Sequence number of the newest event on disk in the execution record',
      registers: [registry],
      collect() {
        this.set(self.stats.durableSeq);
      },
    });
    new Gauge({
      name: 'venue_record_pending_lines',
      help: 'Record lines waiting for the next write',
      registers: [registry],
      collect() {
        this.set(self.stats.pendingLines);
      },
    });
    new Gauge({
      name: 'venue_record_failed',
      help: '1 when the execution record has stopped after a write error (restart to recover)',
      registers: [registry],
      collect() {
        this.set(self.stats.failed ? 1 : 0);
      },
    });
    this.flushSeconds = new Histogram({
      name: 'venue_record_flush_duration_seconds',
      help: 'Time to write (and fdatasync) one batch of record lines',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.errors = new Counter({
      name: 'venue_record_errors_total',
      help: 'Write or encoding errors of the execution record',
      registers: [registry],
    });
  }

  flushed(ms: number): void {
    this.flushSeconds.observe(ms / 1000);
  }

  error(): void {
    this.errors.inc();
  }
}
