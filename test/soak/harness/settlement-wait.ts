// Waits for clearing to settle what the venue traded: every trade enqueued and settled, no enqueue in flight.

import { Redis } from 'ioredis';

export interface SettlementProgress {
  enqueued: number;
  settled: number;
  intent: boolean;
}

export async function settlementProgress(redis: Redis, prefix: string): Promise<SettlementProgress> {
  let enqueued = 0;
  let settled = 0;
  for (const key of await redis.keys(`${prefix}:day:*:enqueued`)) enqueued += Number((await redis.get(key)) ?? 0);
  for (const key of await redis.keys(`${prefix}:day:*:settled`)) settled += Number((await redis.get(key)) ?? 0);
  return { enqueued, settled, intent: (await redis.exists(`${prefix}:enqueue:intent`)) === 1 };
}

/**
 * Resolves once clearing (in the venue process) has committed at least `trades` trades to the queue; throws
 * after timeoutMs. Another process's state in Redis: polled, there is no event to wait for from here.
 */
export async function waitForEnqueued(redisUrl: string, prefix: string, trades: number, timeoutMs: number): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await settlementProgress(redis, prefix);
      if (p.enqueued >= trades) return;
      if (Date.now() > deadline) throw new Error(`clearing enqueued ${p.enqueued} trades within ${timeoutMs} ms, not ${trades}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    redis.disconnect();
  }
}

/** Resolves once `trades` trades are enqueued and settled (or the deadline passes: the checks then say what is missing). */
export async function waitForSettlement(redisUrl: string, prefix: string, trades: number, timeoutMs: number): Promise<SettlementProgress> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const p = await settlementProgress(redis, prefix);
      if ((p.enqueued >= trades && p.settled >= p.enqueued && !p.intent) || Date.now() > deadline) return p;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    redis.disconnect();
  }
}
