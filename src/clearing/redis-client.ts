// Clearing's own Redis connections (BullMQ opens its own): connect with a clear error when Redis is not
// there, close without hanging when it has gone.

import { Redis } from 'ioredis';
import { settledWithin } from './deadline.js';

/** Connects; rejects naming the URL and the cause (ECONNREFUSED...) instead of ioredis' "Connection is closed". */
export async function openRedis(url: string, onError: (err: Error) => void): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true });
  let cause = '';
  redis.on('error', (err: Error) => {
    cause = err.message;
    onError(err);
  });
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect(); // stop its reconnect loop
    throw new Error(`clearing: cannot connect to Redis at ${url}: ${cause || (err as Error).message}`);
  }
  return redis;
}

/** Closes a client: QUIT when connected, else just drop the connection (no wait on an offline queue). */
export async function closeRedis(r: Redis): Promise<void> {
  if (r.status !== 'ready' || !(await settledWithin(r.quit(), 1000))) r.disconnect();
}
