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
//
// Redis that comes back empty (restarted without persistence). Steps 1 and 3 are scripts that write only
// while Redis' cursor is the one this enqueuer's memory says (step 3 also wants its own intent there), so
// nothing is written on top of a Redis that lost what came before it, even by a command ioredis re-sends
// after reconnecting. After every reconnect, and whenever a step finds the cursor moved, the enqueuer
// re-reads the cursor: behind its memory (or missing), Redis lost trades it had enqueued and settled; it
// rewinds to Redis' cursor and enqueues the record's trades from there again up to where its memory was
// (cut afresh: none of the old batch ids is left in that Redis), then whatever it was retrying, exactly as
// cut, then carries on. The settlement script refuses a batch whose lines are not in Redis, so a settlement
// in flight during the loss cannot land in the empty Redis and be applied a second time by the replay.

import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClearingSettings } from '../config/clearing-section.js';
import type { ExecutionRecord } from '../records/execution-record.js';
import type { ClearingKeys } from './clearing-keys.js';
import type { ClearingMetrics } from './clearing-metrics.js';
import { addSettleJobs, commitBatches, CursorMovedError, cutBatches, writeIntent, type Batch } from './enqueue-steps.js';
import { settledWithin } from './deadline.js';
import type { ClearingObserver } from './clearing-observer.js';
import type { EnqueueFaults } from './enqueue-faults.js';

export interface TradeEnqueuerOptions {
  record: ExecutionRecord;
  queue: Queue;
  redis: Redis;
  keys: ClearingKeys;
  settings: ClearingSettings;
  metrics: ClearingMetrics;
  onError: (error: Error) => void;
  /** Told when Redis came back without what was enqueued (the trades are enqueued again); default: onError. */
  onWarning?: (message: string) => void;
  /** Soak-test crash points between the steps (enqueue-faults.ts); null or absent in production. */
  faults?: EnqueueFaults | null;
  /** Told after each committed enqueue (tests wait on it). */
  observer?: ClearingObserver;
}

/** Batches read per enqueue round; a backlog is worked off in rounds of this many. */
const BATCHES_PER_ROUND = 20;
const MAX_RETRY_DELAY_MS = 5_000;

export class TradeEnqueuer {
  private readonly opts: TradeEnqueuerOptions;
  private readonly metrics: ClearingMetrics;
  private readonly faults: EnqueueFaults | null;
  private last = 0;
  /** After Redis lost enqueued trades: the record's trades up to here are enqueued again first (0: none). */
  private replayTo = 0;
  /** Redis' cursor must be read again before the next enqueue (after a reconnect, or a step found it moved). */
  private resyncWanted = false;
  private retryBatches: Batch[] | null = null;
  /** The batches of the last enqueue that failed (their commit may have landed with its reply lost). */
  private unfinished: Batch[] | null = null;
  private retryDelay = 0;
  private cycle: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private readonly onReady = (): void => {
    // Every 'ready' after start() is a reconnect: this Redis may be a fresh one.
    if (this.stopped) return;
    this.resyncWanted = true;
    this.retryDelay = 0;
    this.clearTimer();
    this.schedule();
  };

  constructor(opts: TradeEnqueuerOptions) {
    this.opts = opts;
    this.metrics = opts.metrics;
    this.faults = opts.faults ?? null;
  }

  /** Seq of the newest trade on the queue. */
  get lastEnqueued(): number {
    return this.last;
  }

  /**
   * Reads the cursor, finishes an enqueue a crash interrupted, enqueues every trade on disk past the
   * cursor (the record must be open and the journal replayed into it), then follows the record, and
   * re-reads the cursor after every reconnect to Redis.
   */
  async start(): Promise<void> {
    const { redis, keys, record } = this.opts;
    await record.flush();
    this.last = Number((await redis.get(keys.lastEnqueued)) ?? 0);
    this.replayTo = 0;
    this.resyncWanted = false;
    const intent = await redis.get(keys.enqueueIntent);
    if (intent !== null) await this.enqueue(await this.rebuild(intent));
    this.stopped = false;
    redis.on('ready', this.onReady);
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
    this.opts.redis.off('ready', this.onReady);
    this.stopped = true;
    this.clearTimer();
    const deadline = Date.now() + timeoutMs;
    const finished = (await settledWithin(this.cycle, timeoutMs)) && (!drain || (await settledWithin(this.drain(), deadline - Date.now())));
    if (!finished) this.opts.onError(new Error('clearing: stopped with trades not yet enqueued (Redis not answering); the next start enqueues them'));
  }

  private async drain(): Promise<void> {
    await this.opts.record.flush().catch(() => undefined);
    try {
      await this.work(true, true);
    } catch (err) {
      this.opts.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.cycle !== null) return; // the running cycle looks again when it ends
    const pending = this.opts.record.countTradesBetween(this.last, this.opts.record.durableSeq);
    const retrying = this.retryBatches !== null || this.resyncWanted || this.replayTo > this.last;
    if (pending === 0 && !retrying) return;
    if (!retrying && (pending < 0 || pending >= this.opts.settings.batch.maxTrades)) {
      void this.run(false);
    } else if (this.timer === null) {
      const delay = retrying ? this.retryDelay : this.opts.settings.batch.maxDelayMs;
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
      await this.work(includePartial, false);
      this.retryDelay = 0;
    } catch (err) {
      this.metrics.enqueueErrors.inc();
      this.retryDelay = Math.min(MAX_RETRY_DELAY_MS, Math.max(50, this.retryDelay * 2));
      this.opts.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Rounds until nothing is left (or stopped, unless draining), re-reading Redis' cursor whenever wanted. */
  private async work(includePartial: boolean, draining: boolean): Promise<void> {
    let resyncs = 0;
    while (draining || !this.stopped) {
      if (this.resyncWanted) {
        if (++resyncs > 3) {
          throw new Error(`clearing: the enqueue cursor in Redis keeps moving under this venue: is another venue enqueuing on queue "${this.opts.settings.queue}"?`);
        }
        await this.resync();
      }
      try {
        if (!(await this.round(includePartial))) return;
      } catch (err) {
        if (!(err instanceof CursorMovedError)) throw err;
        this.resyncWanted = true; // nothing was written: read the cursor and go on from what Redis holds
      }
    }
  }

  /**
   * Compares Redis' cursor with memory. Behind (or gone): Redis lost trades this venue had enqueued (and
   * their settlement); rewind to it and enqueue them again. Ahead by exactly the enqueue whose reply was
   * lost: that commit landed; take it. Ahead otherwise: someone else enqueues on this queue; refuse.
   */
  private async resync(): Promise<void> {
    const { redis, keys } = this.opts;
    const cursor = await redis.get(keys.lastEnqueued);
    const durable = Number(cursor ?? 0);
    if (durable < this.last) {
      const replayTo = Math.max(this.replayTo, this.last);
      const count = await this.countTrades(durable, replayTo);
      this.warn(
        `clearing: Redis came back without the trades this venue had enqueued (enqueue cursor ${cursor === null ? 'gone' : durable}, ` +
          `expected ${this.last}); re-enqueuing ${count} trades (seq ${durable + 1} to ${replayTo}) from the execution record to settle them again`,
      );
      this.last = durable;
      this.replayTo = replayTo;
    } else if (durable > this.last) {
      const landed = this.unfinished;
      if (landed !== null && landed[landed.length - 1]!.to === durable && (await redis.get(keys.enqueueIntent)) === null) {
        this.committed(landed);
        if (this.retryBatches === landed) this.retryBatches = null;
      } else {
        throw new Error(
          `clearing: the enqueue cursor in Redis (${durable}) is ahead of this venue's (${this.last}): is another venue enqueuing on queue "${this.opts.settings.queue}"?`,
        );
      }
    }
    this.resyncWanted = false;
  }

  /** One round: returns true when it enqueued something and more may be waiting. */
  private async round(includePartial: boolean): Promise<boolean> {
    const maxTrades = this.opts.settings.batch.maxTrades;
    const max = maxTrades * BATCHES_PER_ROUND;
    if (this.replayTo > this.last) {
      // Enqueued once into a Redis that lost them: cut again up to where memory was (a fixed end, so a
      // failed round is cut the same way next time), before what was being retried.
      const batches = cutBatches(await this.opts.record.tradeLinesAfter(this.last, max, this.replayTo), maxTrades, true);
      if (batches.length > 0) {
        await this.enqueue(batches);
        return true;
      }
    }
    this.replayTo = 0;
    let batches = this.retryBatches;
    let full = false;
    if (batches === null) {
      const trades = await this.opts.record.tradeLinesAfter(this.last, max);
      full = trades.length === max;
      batches = cutBatches(trades, maxTrades, includePartial);
    }
    if (batches.length === 0) return false;
    try {
      await this.enqueue(batches);
      this.retryBatches = null;
    } catch (err) {
      this.retryBatches = batches; // retried exactly as cut: its intent (and jobs) may already be in Redis
      throw err;
    }
    return full;
  }

  private async enqueue(batches: Batch[]): Promise<void> {
    const { redis, keys, queue, settings } = this.opts;
    const after = this.last;
    this.unfinished = batches;
    await writeIntent(redis, keys, settings, batches, after);
    if (this.faults !== null) await this.faults.after('after-intent');
    await addSettleJobs(queue, settings, batches);
    if (this.faults !== null) await this.faults.after('after-add');
    await commitBatches(redis, keys, settings, batches, after);
    this.committed(batches);
  }

  private committed(batches: Batch[]): void {
    this.unfinished = null;
    this.last = batches[batches.length - 1]!.to;
    const trades = batches.reduce((n, b) => n + b.count, 0);
    this.metrics.enqueued.inc(trades);
    this.opts.observer?.onEnqueued?.(this.last, trades);
  }

  private async countTrades(afterSeq: number, uptoSeq: number): Promise<number> {
    const known = this.opts.record.countTradesBetween(afterSeq, uptoSeq);
    if (known >= 0) return known;
    let n = 0;
    for (let at = afterSeq; ; ) {
      const chunk = await this.opts.record.tradeLinesAfter(at, 10_000, uptoSeq);
      if (chunk.length === 0) return n;
      n += chunk.length;
      at = chunk[chunk.length - 1]!.seq;
    }
  }

  private warn(message: string): void {
    if (this.opts.onWarning !== undefined) this.opts.onWarning(message);
    else this.opts.onError(new Error(message));
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
