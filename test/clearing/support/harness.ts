// Shared set-up for clearing tests: settings with short timings, a temp folder, a private redis-server
// per suite, an execution record, and the hand-computed three-trade case used by several tests.

import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import type { ClearingObserver, JobAttempt } from '../../../src/clearing/clearing-observer.js';
import type { SettleOutcome } from '../../../src/clearing/settle-batch.js';
import type { ClearingSettings } from '../../../src/config/clearing-section.js';
import { ExecutionRecord, type ExecutionRecordOptions } from '../../../src/records/execution-record.js';
import { Side } from '../../../src/venue/model/enums.js';
import type { TradeEvent } from '../../../src/venue/model/events.js';
import { INSTRUMENTS, T0, trade } from '../../records/support/events.js';
import { startTestRedis, type TestRedis } from '../../support/redis-server.js';

export function clearingSettings(reportsDir: string, over: Partial<ClearingSettings> = {}): ClearingSettings {
  return {
    enabled: true,
    queue: 'clearing',
    batch: { maxTrades: 3, maxDelayMs: 20 },
    workers: { inProcess: true, concurrency: 2, lockDurationMs: 1000, stalledIntervalMs: 300 },
    retry: { attempts: 3, backoffMs: 20 },
    keepCompletedJobs: 1000,
    retentionDays: 1,
    reportsDir,
    endOfDay: { hour: 0, minute: 10 },
    reportTimeoutMs: 15_000,
    // 1 bp maker / 5 bp taker by default; F2 gets a 0.2 bp maker rebate and 4 bp taker.
    fees: { default: { maker: 10_000, taker: 50_000 }, firms: { F2: { maker: -2_000, taker: 40_000 } } },
    assetDecimals: {},
    ...over,
  };
}

export const FIRMS = ['F1', 'F2', 'F3'];

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(tmpdir(), prefix));
}

export async function openRecord(dir: string, over: Partial<ExecutionRecordOptions> = {}): Promise<ExecutionRecord> {
  const r = new ExecutionRecord({ dir, instruments: INSTRUMENTS, fsync: false, ...over });
  await r.open();
  return r;
}

/**
 * Polls a condition until it holds or the deadline passes (then throws, saying what was awaited): for state
 * that another process changes (a worker or venue child, Redis itself); an in-process service tells a
 * ClearingWatch instead. The deadline is a safety net, wide enough for a loaded 2-core machine.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * What a clearing service told its observer: enqueues committed and the attempts its in-process workers
 * finished (metrics counted by then). Tests wait on these events rather than poll Redis for their effects:
 * a trade counted settled in Redis is not yet counted in the worker's metrics, nor (the settle job can run
 * before the enqueue commits) in the enqueued counters.
 */
export class ClearingWatch implements ClearingObserver {
  lastEnqueued = 0;
  enqueuedTrades = 0;
  /** Trades settled by applied settle jobs (a repeated settlement counts nothing). */
  settledTrades = 0;
  readonly attempts: JobAttempt[] = [];
  private waiters: Array<() => void> = [];

  onEnqueued(lastSeq: number, trades: number): void {
    this.lastEnqueued = lastSeq;
    this.enqueuedTrades += trades;
    this.changed();
  }

  onJobAttempt(a: JobAttempt): void {
    this.attempts.push(a);
    if (a.name === 'settle' && a.outcome === 'completed' && (a.result as SettleOutcome).applied) this.settledTrades += (a.result as SettleOutcome).trades;
    this.changed();
  }

  /** n trades settled and every trade up to lastSeq enqueued (both counted in the metrics). */
  settledThrough(n: number, lastSeq: number): Promise<void> {
    return this.when(`${n} trades settled and seq ${lastSeq} enqueued`, () => this.settledTrades >= n && this.lastEnqueued >= lastSeq);
  }

  /** The attempt of job `id` that matches, once told. */
  async attempt(id: string, match: (a: JobAttempt) => boolean = () => true): Promise<JobAttempt> {
    const found = (): JobAttempt | undefined => this.attempts.find((a) => a.id === id && match(a));
    await this.when(`an attempt of job ${id}`, () => found() !== undefined);
    return found()!;
  }

  /** Resolves when cond holds, checked now and after each event; the deadline is a safety net for a hang. */
  when(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`timed out waiting for ${what} (settled ${this.settledTrades}, enqueued through ${this.lastEnqueued}, ${this.attempts.length} attempts)`));
      }, timeoutMs);
      const check = (): void => {
        if (!cond()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      this.waiters.push(check);
    });
  }

  private changed(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Every key clearing keeps for a date, dumped as plain data (to compare two runs). */
export async function dumpDay(redisUrl: string, prefix: string, date: string): Promise<Record<string, unknown>> {
  const redis = new Redis(redisUrl);
  try {
    const out: Record<string, unknown> = {};
    for (const key of (await redis.keys(`${prefix}:day:{${date}}:*`)).sort()) {
      const type = await redis.type(key);
      out[key] = type === 'hash' ? await redis.hgetall(key) : type === 'set' ? (await redis.smembers(key)).sort() : await redis.get(key);
    }
    return out;
  } finally {
    redis.disconnect();
  }
}

/**
 * The hand-computed case (trade date 2025-03-04; BTC settles at 5 decimals, ETH at 4, USDT at 7):
 *   seq 10  BTCUSDT 60000.00 × 0.50000  maker buy  F1/A1 (order 1)  taker sell F2/B1 (order 2)
 *   seq 20  BTCUSDT 60001.23 × 0.00007  maker sell F1/A2 (order 3)  taker buy  F1/A1 (order 4)
 *   seq 30  ETHUSDT  3000.50 × 2.0001   maker sell F2/B1 (order 5)  taker buy  F1/A2 (order 6)
 */
export function handCase(): TradeEvent[] {
  return [
    trade({ seq: 10, time: T0, price: 6_000_000, qty: 50_000, makerSide: Side.Buy, maker: { firm: 'F1', account: 'A1', orderId: 1 }, taker: { firm: 'F2', account: 'B1', orderId: 2 } }),
    trade({ seq: 20, time: T0 + 1000, price: 6_000_123, qty: 7, makerSide: Side.Sell, maker: { firm: 'F1', account: 'A2', orderId: 3 }, taker: { firm: 'F1', account: 'A1', orderId: 4 } }),
    trade({ seq: 30, time: T0 + 2000, symbol: 'ETHUSDT', price: 300_050, qty: 20_001, makerSide: Side.Sell, maker: { firm: 'F2', account: 'B1', orderId: 5 }, taker: { firm: 'F1', account: 'A2', orderId: 6 } }),
  ];
}

/**
 * Fees, by the rule ⌈notional × rate / 10^8⌉ in USDT units of 10^-7:
 *   seq 10: notional 30000.0000000 → F1 maker 1 bp = 3.0000000; F2 taker 4 bp = 12.0000000
 *   seq 20: notional 4.2000861 → F1 taker 5 bp: 21000.4305 → 0.0021001; F1 maker 1 bp: 4200.0861 → 0.0004201
 *   seq 30: notional 6001.3000500 → F1 taker 5 bp: 30006500.25 → 3.0006501; F2 maker -0.2 bp: -1200260.01 → -0.1200260
 */
export const HAND_FEES = ['3.0000000', '12.0000000', '0.0021001', '0.0004201', '3.0006501', '-0.1200260'];

/** Net obligations of the hand case, per account and asset. */
export const HAND_INSTRUCTIONS = [
  { firm: 'F1', account: 'A1', asset: 'BTC', direction: 'receive', amount: '0.50007' },
  { firm: 'F1', account: 'A1', asset: 'USDT', direction: 'deliver', amount: '30007.2021862' },
  { firm: 'F1', account: 'A2', asset: 'BTC', direction: 'deliver', amount: '0.00007' },
  { firm: 'F1', account: 'A2', asset: 'ETH', direction: 'receive', amount: '2.0001' },
  { firm: 'F1', account: 'A2', asset: 'USDT', direction: 'deliver', amount: '6000.1010341' },
  { firm: 'F2', account: 'B1', asset: 'BTC', direction: 'deliver', amount: '0.50000' },
  { firm: 'F2', account: 'B1', asset: 'ETH', direction: 'deliver', amount: '2.0001' },
  { firm: 'F2', account: 'B1', asset: 'USDT', direction: 'receive', amount: '35989.4200760' },
];

export interface ClearingSuite {
  redis: TestRedis;
  /** A plain client for assertions and set-up. */
  admin: Redis;
  /** A fresh temp folder per test. */
  dir: string;
  /** Clean-ups for the current test, run after it in reverse order. */
  stops: Array<() => Promise<void>>;
}

/**
 * Registers the usual hooks of a clearing suite: a private redis-server for the suite, emptied before each
 * test; a temp folder per test; the test's clean-ups run after it.
 */
export function useClearingSuite(prefix: string): ClearingSuite {
  const s = { stops: [] } as unknown as ClearingSuite;
  before(async () => {
    s.redis = await startTestRedis();
    s.admin = new Redis(s.redis.url);
    s.admin.on('error', () => {}); // tests that stop Redis: the admin client just reconnects
  });
  after(async () => {
    s.admin.disconnect();
    await s.redis.dispose();
  });
  beforeEach(async () => {
    await s.admin.flushall();
    s.dir = tempDir(prefix);
  });
  afterEach(async () => {
    for (const stop of s.stops.splice(0).reverse()) await stop();
    fs.rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}
