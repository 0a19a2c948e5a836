// Applies one batch's settlement to Redis atomically, once. The script runs as a whole or not at all, and
// the batch id is the idempotency key: a job run twice, or retried after a worker died anywhere before or
// after the script, finds its batch already applied and changes nothing.
//
// It also wants the batch's lines still in Redis (the job read them just before): a Redis that lost its data
// between the two (restarted empty) gets nothing from a batch it no longer knows, which the enqueuer then
// enqueues again into it (trade-enqueuer.ts), so the batch is not settled there twice.
//
// Before writing anything it checks that each asset settles at the same scale as earlier batches of the
// date (a config change of decimals within a trade date would otherwise add incompatible integers).
// Amounts are passed as decimal integer strings (HINCRBY is 64-bit); settleBatch refuses any that does not
// fit, so the increments cannot overflow in practice.

import type { Redis } from 'ioredis';
import type { ClearingKeys } from './clearing-keys.js';

const SETTLE_LUA = `
-- KEYS: 1 batches, 2 batch trades, 3 positions, 4 firms, 5 settled count, 6 scales
-- ARGV: 1 batch id, 2 result JSON, 3 (unused), 4 trade count, 5 retention seconds,
--       6 n, then n pairs (asset, decimals), then m, then m firms, then pairs (position field, delta) to the end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then
  return redis.error_reply('CLEARING batch ' .. ARGV[1] .. ': its trades are no longer in Redis (Redis lost its data?); not applied')
end
local i = 6
local n = tonumber(ARGV[i])
i = i + 1
for j = 0, n - 1 do
  local have = redis.call('HGET', KEYS[6], ARGV[i + 2 * j])
  if have and have ~= ARGV[i + 2 * j + 1] then
    return redis.error_reply('CLEARING asset ' .. ARGV[i + 2 * j] .. ' settles at ' .. have ..
      ' decimals on this trade date; this batch uses ' .. ARGV[i + 2 * j + 1])
  end
end
for j = 0, n - 1 do redis.call('HSETNX', KEYS[6], ARGV[i + 2 * j], ARGV[i + 2 * j + 1]) end
i = i + 2 * n
local m = tonumber(ARGV[i])
i = i + 1
for j = 0, m - 1 do redis.call('SADD', KEYS[4], ARGV[i + j]) end
i = i + m
while i < #ARGV do
  redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('INCRBY', KEYS[5], ARGV[4])
local ttl = tonumber(ARGV[5])
if ttl > 0 then
  for k = 1, 6 do redis.call('EXPIRE', KEYS[k], ttl) end
end
return 1
`;

interface SettleCommand {
  clearingSettle(...args: Array<string | number>): Promise<number>;
}

export interface SettlementWrite {
  date: string;
  batchId: string;
  /** The batch's result (fees, instructions, scales) as stored JSON. */
  result: string;
  count: number;
  scales: Record<string, number>;
  firms: string[];
  /** Position field → increment (a decimal integer string). */
  deltas: Array<[string, string]>;
  retentionSeconds: number;
}

const defined = new WeakSet<Redis>();

/** Runs the settlement script; true if the batch was applied now, false if it had been already. */
export async function applySettlement(redis: Redis, keys: ClearingKeys, w: SettlementWrite): Promise<boolean> {
  if (!defined.has(redis)) {
    redis.defineCommand('clearingSettle', { numberOfKeys: 6, lua: SETTLE_LUA });
    defined.add(redis);
  }
  const args: Array<string | number> = [
    keys.batches(w.date), keys.batchTrades(w.date), keys.positions(w.date), keys.firms(w.date), keys.settled(w.date), keys.scales(w.date),
    w.batchId, w.result, '', w.count, w.retentionSeconds,
  ];
  const scales = Object.entries(w.scales);
  args.push(scales.length);
  for (const [asset, d] of scales) args.push(asset, d);
  args.push(w.firms.length, ...w.firms);
  for (const [field, delta] of w.deltas) args.push(field, delta);
  const applied = await (redis as unknown as SettleCommand).clearingSettle(...args);
  return applied === 1;
}
