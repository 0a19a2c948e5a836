// Clearing's own Redis keys (BullMQ keeps its queue under its own "bull:<queue>:" keys). Everything of one
// trade date shares a hash tag, {date}, so the settlement script's keys sit in one slot on a Redis Cluster
// too. Day keys expire after the retention period: the report files are the long-term archive.

export class ClearingKeys {
  constructor(readonly prefix: string) {}

  /** Highest trade seq the venue has enqueued (string integer). */
  get lastEnqueued(): string {
    return `${this.prefix}:enqueue:last`;
  }

  /** Batches being enqueued right now (JSON), so a restart re-creates exactly those batches. */
  get enqueueIntent(): string {
    return `${this.prefix}:enqueue:intent`;
  }

  /** Trades of the date enqueued / settled so far (integers): equal when settlement has caught up. */
  enqueued(date: string): string {
    return `${this.prefix}:day:{${date}}:enqueued`;
  }

  settled(date: string): string {
    return `${this.prefix}:day:{${date}}:settled`;
  }

  /** Hash batch id → settlement result JSON (fees per trade, instructions, scales). */
  batches(date: string): string {
    return `${this.prefix}:day:{${date}}:batches`;
  }

  /**
   * Hash batch id → the batch's record lines: written when the batch is enqueued (the job carries only the
   * range), read by the settle job and by the reports.
   */
  batchTrades(date: string): string {
    return `${this.prefix}:day:{${date}}:trades`;
  }

  /** Hash ["firm","account","asset","received|delivered|fees"] → integer at the asset's settlement scale. */
  positions(date: string): string {
    return `${this.prefix}:day:{${date}}:positions`;
  }

  /** Hash asset → settlement decimals used on that date (a change within a date is refused). */
  scales(date: string): string {
    return `${this.prefix}:day:{${date}}:scales`;
  }

  /** Set of firms with trades on the date. */
  firms(date: string): string {
    return `${this.prefix}:day:{${date}}:firms`;
  }

  /** The clearing report of a firm for a date (JSON), for the admin API. */
  report(date: string, firm: string): string {
    return `${this.prefix}:report:${date}:${firm}`;
  }

  /** Sorted set of "date firm" members scored by generation time: which reports exist. */
  get reportIndex(): string {
    return `${this.prefix}:reports`;
  }
}
