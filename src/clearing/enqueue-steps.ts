// The pieces of one enqueue (trade-enqueuer.ts says how they make "exactly once"): cutting the record's trades
// into batches, and the three steps against Redis and BullMQ — the intent with the batches' lines, the jobs, the
// commit of the cursor. Steps 1 and 3 are Lua scripts that write only on the cursor the caller expects.

import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClearingSettings } from '../config/clearing-section.js';
import type { TradeLine } from '../records/recent-trades.js';
import type { ClearingKeys } from './clearing-keys.js';
import { JOB_SETTLE, jobOptions, settleJobId, type SettleJobData } from './clearing-jobs.js';

export interface Batch {
  tradeDate: string;
  from: number;
  to: number;
  count: number;
  lines: string;
}

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

/** A step found Redis' cursor not where this enqueuer's memory has it (Redis lost it, or a reply was lost). */
export class CursorMovedError extends Error {
  constructor(
    readonly expected: number,
    readonly found: number,
    what: string,
  ) {
    super(`clearing ${what}: the enqueue cursor in Redis is ${found}, this enqueuer expected ${expected}`);
    this.name = 'CursorMovedError';
  }
}

// Step 1. KEYS: cursor, intent, then one batch-trades hash per batch. ARGV: expected cursor ('' = do not
// check), intent JSON, ttl seconds, then (batch id, lines) per batch.
const INTENT_LUA = `
local have = redis.call('GET', KEYS[1]) or '0'
if ARGV[1] ~= '' and have ~= ARGV[1] then return {0, have} end
redis.call('SET', KEYS[2], ARGV[2])
local ttl = tonumber(ARGV[3])
for k = 3, #KEYS do
  redis.call('HSET', KEYS[k], ARGV[2 * k - 2], ARGV[2 * k - 1])
  if ttl > 0 then redis.call('EXPIRE', KEYS[k], ttl) end
end
return {1, have}
`;

// Step 3. KEYS: cursor, intent, then one enqueued counter per date. ARGV: expected cursor, intent JSON,
// new cursor, ttl seconds, then the count per date.
const COMMIT_LUA = `
local have = redis.call('GET', KEYS[1]) or '0'
if have ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[2] then return {0, have} end
redis.call('SET', KEYS[1], ARGV[3])
local ttl = tonumber(ARGV[4])
for k = 3, #KEYS do
  redis.call('INCRBY', KEYS[k], ARGV[k + 2])
  if ttl > 0 then redis.call('EXPIRE', KEYS[k], ttl) end
end
redis.call('DEL', KEYS[2])
return {1, have}
`;

interface EnqueueCommands {
  clearingEnqueueIntent(...args: Array<string | number>): Promise<[number, string]>;
  clearingEnqueueCommit(...args: Array<string | number>): Promise<[number, string]>;
}

const defined = new WeakSet<Redis>();

function commands(redis: Redis): EnqueueCommands {
  if (!defined.has(redis)) {
    redis.defineCommand('clearingEnqueueIntent', { lua: INTENT_LUA });
    redis.defineCommand('clearingEnqueueCommit', { lua: COMMIT_LUA });
    defined.add(redis);
  }
  return redis as unknown as EnqueueCommands;
}

function intentOf(batches: readonly Batch[]): string {
  return JSON.stringify(batches.map((b) => [b.tradeDate, b.from, b.to, b.count]));
}

/**
 * Step 1 of an enqueue: the intent (the batches' ranges) and the batches' lines, which the jobs do not
 * carry (they go to Redis once; the settle job and the reports read them by batch id). Idempotent. With
 * `after` (the cursor the batches were cut from), writes nothing and throws CursorMovedError unless Redis'
 * cursor is that (a missing cursor counts as 0).
 */
export async function writeIntent(redis: Redis, keys: ClearingKeys, settings: ClearingSettings, batches: readonly Batch[], after?: number): Promise<void> {
  const ttl = settings.retentionDays * 86_400;
  const ks = [keys.lastEnqueued, keys.enqueueIntent, ...batches.map((b) => keys.batchTrades(b.tradeDate))];
  const args: Array<string | number> = [after === undefined ? '' : String(after), intentOf(batches), ttl];
  for (const b of batches) args.push(settleJobId(b.from, b.to), b.lines);
  const [ok, have] = await commands(redis).clearingEnqueueIntent(ks.length, ...ks, ...args);
  if (ok !== 1) throw new CursorMovedError(after ?? 0, Number(have), 'enqueue intent');
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

/**
 * Step 3: advance the cursor, count the trades per date, drop the intent, in one script that does it only
 * if the cursor is still `after` and the intent is still these batches' (else CursorMovedError).
 */
export async function commitBatches(redis: Redis, keys: ClearingKeys, settings: ClearingSettings, batches: readonly Batch[], after: number): Promise<void> {
  const perDate = new Map<string, number>();
  for (const b of batches) perDate.set(b.tradeDate, (perDate.get(b.tradeDate) ?? 0) + b.count);
  const ttl = settings.retentionDays * 86_400;
  const ks = [keys.lastEnqueued, keys.enqueueIntent, ...[...perDate.keys()].map((d) => keys.enqueued(d))];
  const args = [String(after), intentOf(batches), String(batches[batches.length - 1]!.to), ttl, ...perDate.values()];
  const [ok, have] = await commands(redis).clearingEnqueueCommit(ks.length, ...ks, ...args);
  if (ok !== 1) throw new CursorMovedError(after, Number(have), 'enqueue commit');
}
