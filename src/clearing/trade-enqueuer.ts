// Moves trades from the execution record to the clearing queue, in batches, off the venue's hot path.
//
// It keeps no trades of its own: a cursor (the last enqueued trade seq, kept in Redis) and the record,
// which holds every trade durably. After each record write it looks at how many trades are on disk past
// the cursor: a full batch (maxTrades) is enqueued at once, a partial one after maxDelayMs. Batches never
// span two trade dates; a batch's job id is "settle-<firstSeq>-<lastSeq>".
//
// Exactly once, across crashes. One enqueue is three steps:
//   1. MULTI: SET intent = the batches' ranges, HSET the batches' lines (the jobs carry only ranges)
//   2. add the jobs (BullMQ ignores a job id it already has)
//   3. MULTI: SET last = last seq, INCRBY the dates' enqueued counters, DEL intent
// A crash before 3 leaves the intent: the next start re-creates exactly those batches (same ranges, same
// ids) before anything else, so a batch is never cut two ways. After 3 the cursor says where to go on.
// And should a settled job have been trimmed from the queue and come again, the settlement script's
// batch-id check still applies it once.

import type { Queue } from 'bullmq';
import type { ChainableCommander, Redis } from 'ioredis';
import type { ClearingSettings } from '../config/clearing-section.js';
import type { ExecutionRecord } from '../records/execution-record.js';
import type { TradeLine } from '../records/recent-trades.js';
import type { ClearingKeys } from './clearing-keys.js';
import { JOB_SETTLE, jobOptions, settleJobId, type SettleJobData } from './clearing-jobs.js';
import type { ClearingMetrics } from './clearing-metrics.js';
import { settledWithin } from './deadline.js';
import { afterEnqueueStep, failpointAt } from '../app/failpoints.js';

/** Soak-test crash points (src/app/failpoints.ts); null unless VENUE_FAILPOINT names this site. */
const FAILPOINT = failpointAt('clearing-enqueue');

export interface TradeEnqueuerOptions {
  record: ExecutionRecord;
  queue: Queue;
  redis: Redis;
  keys: ClearingKeys;
  settings: ClearingSettings;
  metrics: ClearingMetrics;
  onError: (error: Error) => void;
}

export interface Batch {
  tradeDate: string;
  from: number;
  to: number;
  count: number;
  lines: string;
}

/** Batches read per enqueue round; a backlog is worked off in rounds of this many. */
const BATCHES_PER_ROUND = 20;
const MAX_RETRY_DELAY_MS = 5_000;

/**
 * Cuts trades (seq order) into batches of at most maxTrades that never span two dates. Without
 * includePartial, a short last batch of the newest date is left for later (more trades may join it).
 */
export function cutBatches(trades: readonly TradeLine[], maxTrades: number, includePartial: boolean): Batch[] {
  const out: Batch[] = [];
  let i = 0;
  while (i < trades.length) {
    const date = trades[i]!.tradeDate;
    let j = i;
    while (j < trades.length && j - i < maxTrades && trades[j]!.tradeDate === date) j++;
    const lastOfData = j === trades.length;
    if (!includePartial && lastOfData && j - i < maxTrades) break;
    const chunk = trades.slice(i, j);
    out.push({ tradeDate: date, from: chunk[0]!.seq, to: chunk[chunk.length - 1]!.seq, count: chunk.length, lines: chunk.map((t) => t.line).join('') });
    i = j;
  }
  return out;
}

async function exec(m: ChainableCommander, what: string): Promise<void> {
  const res = await m.exec();
  const failed = res?.find(([err]) => err !== null);
  if (res === null || failed !== undefined) throw failed?.[0] ?? new Error(`clearing ${what}: MULTI was discarded`);
}

/**
 * Step 1 of an enqueue: the intent (the batches' ranges) and the batches' lines, which the jobs do not
 * carry (they go to Redis once; the settle job and the reports read them by batch id). Idempotent.
 */
export async function writeIntent(redis: Redis, keys: ClearingKeys, settings: ClearingSettings, batches: readonly Batch[]): Promise<void> {
  const m = redis.multi().set(keys.enqueueIntent, JSON.stringify(batches.map((b) => [b.tradeDate, b.from, b.to, b.count])));
  const ttl = settings.retentionDays * 86_400;
  for (const b of batches) {
    m.hset(keys.batchTrades(b.tradeDate), settleJobId(b.from, b.to), b.lines);
    if (ttl > 0) m.expire(keys.batchTrades(b.tradeDate), ttl);
  }
  await exec(m, 'enqueue intent');
}

/** Step 2: the jobs, by batch id (a job id BullMQ already has is not added again). */
export async function addSettleJobs(queue: Queue, settings: ClearingSettings, batches: readonly Batch[]): Promise<void> {
  const opts = jobOptions(settings);
  await queue.addBulk(
    batches.map((b) => {
      const data: SettleJobData = { tradeDate: b.tradeDate, from: b.from, to: b.to, count: b.count };
      return { name: JOB_SETTLE, data, opts: { ...opts, jobId: settleJobId(b.from, b.to) } };
    }),
  );
}

/** Step 3: advance the cursor, count the trades per date, drop the intent, in one MULTI. */
export async function commitBatches(redis: Redis, keys: ClearingKeys, settings: ClearingSettings, batches: readonly Batch[]): Promise<void> {
  const perDate = new Map<string, number>();
  for (const b of batches) perDate.set(b.tradeDate, (perDate.get(b.tradeDate) ?? 0) + b.count);
  const m = redis.multi().set(keys.lastEnqueued, String(batches[batches.length - 1]!.to));
  const ttl = settings.retentionDays * 86_400;
  for (const [date, n] of perDate) {
    m.incrby(keys.enqueued(date), n);
    if (ttl > 0) m.expire(keys.enqueued(date), ttl);
  }
  m.del(keys.enqueueIntent);
  await exec(m, 'enqueue commit');
}

export class TradeEnqueuer {
  private readonly opts: TradeEnqueuerOptions;
  private readonly metrics: ClearingMetrics;
  private last = 0;
  private retryBatches: Batch[] | null = null;
  private retryDelay = 0;
  private cycle: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(opts: TradeEnqueuerOptions) {
    this.opts = opts;
    this.metrics = opts.metrics;
  }

  /** Seq of the newest trade on the queue. */
  get lastEnqueued(): number {
    return this.last;
  }

  /**
   * Reads the cursor, finishes an enqueue a crash interrupted, enqueues every trade on disk past the
   * cursor (the record must be open and the journal replayed into it), then follows the record.
   */
  async start(): Promise<void> {
    const { redis, keys, record } = this.opts;
    await record.flush();
    this.last = Number((await redis.get(keys.lastEnqueued)) ?? 0);
    const intent = await redis.get(keys.enqueueIntent);
    if (intent !== null) await this.enqueue(await this.rebuild(intent));
    this.stopped = false;
    this.unsubscribe = record.onDurable(() => this.schedule());
    await this.run(true);
  }

  /**
   * Stops following the record; with drain, first enqueues everything on disk. Gives up after timeoutMs
   * when Redis does not answer (the next start resumes from the cursor, finishing an interrupted enqueue).
   */
  async stop(drain = true, timeoutMs = 5_000): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stopped = true;
    this.clearTimer();
    const deadline = Date.now() + timeoutMs;
    const finished = (await settledWithin(this.cycle, timeoutMs)) && (!drain || (await settledWithin(this.drain(), deadline - Date.now())));
    if (!finished) this.opts.onError(new Error('clearing: stopped with trades not yet enqueued (Redis not answering); the next start enqueues them'));
  }

  private async drain(): Promise<void> {
    await this.opts.record.flush().catch(() => undefined);
    try {
      while (await this.round(true)) {
        // a backlog larger than one round
      }
    } catch (err) {
      this.opts.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.cycle !== null) return; // the running cycle looks again when it ends
    const pending = this.opts.record.countTradesBetween(this.last, this.opts.record.durableSeq);
    if (pending === 0 && this.retryBatches === null) return;
    if (this.retryBatches === null && (pending < 0 || pending >= this.opts.settings.batch.maxTrades)) {
      void this.run(false);
    } else if (this.timer === null) {
      const delay = this.retryBatches !== null ? this.retryDelay : this.opts.settings.batch.maxDelayMs;
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.run(true);
      }, delay);
    }
  }

  private run(includePartial: boolean): Promise<void> {
    this.clearTimer();
    const c = this.rounds(includePartial).finally(() => {
      this.cycle = null;
      this.schedule(); // a short remainder gets its timer; new trades their batch
    });
    this.cycle = c;
    return c;
  }

  /** Enqueues until nothing (or only a partial batch, when not includePartial) is left; retries later on error. */
  private async rounds(includePartial: boolean): Promise<void> {
    try {
      while (!this.stopped && (await this.round(includePartial))) {
        // keep going through a backlog
      }
      this.retryDelay = 0;
    } catch (err) {
      this.metrics.enqueueErrors.inc();
      this.retryDelay = Math.min(MAX_RETRY_DELAY_MS, Math.max(50, this.retryDelay * 2));
      this.opts.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** One round: returns true when it enqueued something and more may be waiting. */
  private async round(includePartial: boolean): Promise<boolean> {
    let batches = this.retryBatches;
    let full = false;
    if (batches === null) {
      const max = this.opts.settings.batch.maxTrades * BATCHES_PER_ROUND;
      const trades = await this.opts.record.tradeLinesAfter(this.last, max);
      full = trades.length === max;
      batches = cutBatches(trades, this.opts.settings.batch.maxTrades, includePartial);
    }
    if (batches.length === 0) return false;
    try {
      await this.enqueue(batches);
      this.retryBatches = null;
    } catch (err) {
      this.retryBatches = batches; // retried exactly as cut: its intent may already be in Redis
      throw err;
    }
    return full;
  }

  private async enqueue(batches: Batch[]): Promise<void> {
    const { redis, keys, queue, settings } = this.opts;
    await writeIntent(redis, keys, settings, batches);
    if (FAILPOINT !== null) await afterEnqueueStep(FAILPOINT, 'after-intent');
    await addSettleJobs(queue, settings, batches);
    if (FAILPOINT !== null) await afterEnqueueStep(FAILPOINT, 'after-add');
    await commitBatches(redis, keys, settings, batches);
    this.last = batches[batches.length - 1]!.to;
    this.metrics.enqueued.inc(batches.reduce((n, b) => n + b.count, 0));
  }

  /** The batches of an interrupted enqueue, cut again from the record exactly as they were. */
  private async rebuild(intent: string): Promise<Batch[]> {
    const ranges = JSON.parse(intent) as Array<[string, number, number, number]>;
    const out: Batch[] = [];
    for (const [tradeDate, from, to, count] of ranges) {
      const trades = await this.opts.record.tradeLinesAfter(from - 1, count, this.opts.record.lastSeq);
      const got = trades.filter((t) => t.seq <= to);
      if (got.length !== count || got[0]?.seq !== from || got[got.length - 1]?.seq !== to) {
        throw new Error(
          `clearing: an interrupted enqueue of trades ${from}-${to} (${count}) cannot be rebuilt: the execution record holds ` +
            `${got.length} of them. Was the record folder replaced, or the journal not replayed into it before start()?`,
        );
      }
      out.push({ tradeDate, from, to, count, lines: got.map((t) => t.line).join('') });
    }
    return out;
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
