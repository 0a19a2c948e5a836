// The settlement job: parse the batch's record lines, net the obligations (settlement.ts), and apply them
// to the day's running positions with the batch's result and trades, atomically and once
// (settle-script.ts).

import type { Redis } from 'ioredis';
import { parseSettlementTrade, type SettlementTrade } from '../records/record-parser.js';
import type { ClearingKeys } from './clearing-keys.js';
import type { SettleJobData } from './clearing-jobs.js';
import { applySettlement } from './settle-script.js';
import { instructionsOf, settleTrades, type Instruction, type SettlementContext } from './settlement.js';

/** What Redis keeps per batch (besides its lines): enough to rebuild every report row and instruction. */
export interface BatchResult {
  from: number;
  to: number;
  count: number;
  scales: Record<string, number>;
  /**
   * Buy-side and sell-side fee of each trade, in order, as integers in units of the trade's quote asset
   * (10^-scales[quote]); the report prints them as decimals.
   */
  fees: string[];
  /** The batch's own net instruction per account and asset. */
  instructions: Instruction[];
}

export interface SettleOutcome {
  batchId: string;
  trades: number;
  /** False when the batch had been applied before (a retry or a duplicate): nothing changed. */
  applied: boolean;
}

const INT64_SAFE = 2n ** 62n;

/** Field of the positions hash: unambiguous whatever the ids contain. */
export function positionField(firm: string, account: string, asset: string, component: 'received' | 'delivered' | 'fees'): string {
  return JSON.stringify([firm, account, asset, component]);
}

export function parseBatchLines(data: SettleJobData, text: string): SettlementTrade[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const trades = lines.map((l, i) => {
    try {
      return parseSettlementTrade(l);
    } catch (err) {
      throw new Error(`batch ${data.from}-${data.to}, line ${i + 1}: ${(err as Error).message}`);
    }
  });
  if (trades.length !== data.count) throw new Error(`batch ${data.from}-${data.to} holds ${trades.length} trades, its job says ${data.count}`);
  if (trades.length > 0 && (trades[0]!.seq !== data.from || trades[trades.length - 1]!.seq !== data.to)) {
    throw new Error(`batch ${data.from}-${data.to} holds trades ${trades[0]!.seq}-${trades[trades.length - 1]!.seq}`);
  }
  return trades;
}

export async function settleBatch(
  redis: Redis,
  keys: ClearingKeys,
  ctx: SettlementContext,
  batchId: string,
  data: SettleJobData,
  retentionSeconds: number,
): Promise<SettleOutcome> {
  const text = await redis.hget(keys.batchTrades(data.tradeDate), batchId);
  if (text === null) {
    throw new Error(`batch ${batchId}: its trades are not in Redis (${keys.batchTrades(data.tradeDate)}); was the clearing state removed?`);
  }
  const trades = parseBatchLines(data, text);
  const s = settleTrades(trades, ctx);
  const fees = s.fees.map(String);
  const result: BatchResult = { from: data.from, to: data.to, count: s.count, scales: s.scales, fees, instructions: instructionsOf(s.obligations, s.scales) };
  const deltas: Array<[string, string]> = [];
  for (const o of s.obligations) {
    for (const component of ['received', 'delivered', 'fees'] as const) {
      const v = o[component];
      if (v === 0n) continue;
      if (v >= INT64_SAFE || v <= -INT64_SAFE) throw new Error(`batch ${batchId}: ${component} of ${o.account} in ${o.asset} is too large for a 64-bit position`);
      deltas.push([positionField(o.firm, o.account, o.asset, component), v.toString()]);
    }
  }
  const applied = await applySettlement(redis, keys, {
    date: data.tradeDate, batchId, result: JSON.stringify(result), count: s.count, scales: s.scales,
    firms: s.firms, deltas, retentionSeconds,
  });
  return { batchId, trades: s.count, applied };
}
