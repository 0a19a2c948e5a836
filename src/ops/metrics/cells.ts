// Counters and histograms for paths that run per message or per venue event. prom-client's own `inc` and
// `observe` hash their label object and allocate a closure on every call; these keep one plain cell per label
// combination, resolved once (at start, or the first time a bounded label value is seen), so counting is an
// increment and an observation a short bucket scan. prom-client reads them only when Prometheus scrapes,
// through the same `get()` shape its own metrics have, so they live in the venue's one Registry.

import type { Metric, Registry } from 'prom-client';

type Labels = Readonly<Record<string, string>>;

interface ExportedValue {
  value: number;
  labels: Labels;
  metricName?: string;
}

interface ExportedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  values: ExportedValue[];
  aggregator: 'sum';
}

/** A metric prom-client's Registry can print: it only ever calls `get()` and reads `name` and `type`. */
abstract class CellMetric {
  readonly aggregator = 'sum' as const;
  abstract readonly type: 'counter' | 'histogram';
  private refresh: (() => void) | null = null;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    // The Registry's types list only its own metric classes; structurally this is what it needs.
    registry.registerMetric(this as unknown as Metric);
  }

  protected labelsOf(values: readonly string[]): Labels {
    if (values.length !== this.labelNames.length) {
      throw new Error(`${this.name}: expected labels ${this.labelNames.join(', ')}, got ${values.length} values`);
    }
    const labels: Record<string, string> = {};
    this.labelNames.forEach((name, i) => (labels[name] = values[i]!));
    return labels;
  }

  /** Runs `fn` before every scrape: for values copied from counters kept elsewhere (set `cell.value`). */
  beforeScrape(fn: () => void): this {
    this.refresh = fn;
    return this;
  }

  get(): Promise<ExportedMetric> {
    this.refresh?.();
    return Promise.resolve(this.export());
  }

  protected abstract export(): ExportedMetric;
}

export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

/** A counter family: `cell(...labelValues)` once, then `cell.inc()` on the hot path. */
export class CounterFamily extends CellMetric {
  readonly type = 'counter' as const;
  private readonly cells = new Map<string, CounterCell>();

  constructor(registry: Registry, name: string, help: string, labelNames: readonly string[] = []) {
    super(name, help, labelNames, registry);
  }

  /** The cell of a label combination, created on first use (call this off the hot path, or cache it). */
  cell(...values: string[]): CounterCell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = new CounterCell(this.labelsOf(values));
      this.cells.set(key, cell);
    }
    return cell;
  }

  zeroAll(): void {
    for (const cell of this.cells.values()) cell.value = 0;
  }

  protected export(): ExportedMetric {
    const values: ExportedValue[] = [];
    for (const cell of this.cells.values()) values.push({ value: cell.value, labels: cell.labels });
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** A histogram family with fixed buckets (upper bounds, ascending, in the metric's unit). */
export class HistogramFamily extends CellMetric {
  readonly type = 'histogram' as const;
  private readonly bounds: Float64Array;
  private readonly cells = new Map<string, HistogramCell>();

  constructor(registry: Registry, name: string, help: string, buckets: readonly number[], labelNames: readonly string[] = []) {
    super(name, help, labelNames, registry);
    for (let i = 1; i < buckets.length; i++) {
      if (!(buckets[i]! > buckets[i - 1]!)) throw new Error(`${name}: buckets must ascend`);
    }
    this.bounds = Float64Array.from(buckets);
  }

  cell(...values: string[]): HistogramCell {
    const key = values.join('\u0000');
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = new HistogramCell(this.labelsOf(values), this.bounds);
      this.cells.set(key, cell);
    }
    return cell;
  }

  protected export(): ExportedMetric {
    const values: ExportedValue[] = [];
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        cumulative += cell.counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: String(this.bounds[i]) }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_bucket`, labels: { ...cell.labels, le: '+Inf' }, value: cell.count });
      values.push({ metricName: `${this.name}_sum`, labels: cell.labels, value: cell.sum });
      values.push({ metricName: `${this.name}_count`, labels: cell.labels, value: cell.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

/** Latency buckets in seconds, from 50 µs to 10 s: matching and journal writes are sub-millisecond at best. */
export const LATENCY_BUCKETS_SECONDS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10,
];
