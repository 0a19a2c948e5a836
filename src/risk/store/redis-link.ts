// The engine's Redis connection and its health. Commands are never queued inside the client (offline
// queue off, no per-command retries): a write attempted while Redis is away fails at once and stays in
// the write-behind queue, which owns the retry. The outage is logged once when it starts and once when it
// ends, never per write.
//
// Health: 'up' (connected), 'degraded' (connection lost after start: trading continues on memory, writes
// queue), 'down' (not started, or stopped).

import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';

export type RedisHealth = 'up' | 'degraded' | 'down';

export class RedisLink extends EventEmitter {
  readonly client: Redis;
  health: RedisHealth = 'down';
  reason = 'not started';
  /** Wall-clock ms the current outage started (0 when up). */
  private lostAt = 0;
  private closing = false;

  constructor(url: string, private readonly logger: Logger, private readonly clock: () => number = Date.now) {
    super();
    this.client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      retryStrategy: (attempt: number) => Math.min(50 * attempt, 500),
    });
    this.client.on('ready', () => this.onReady());
    this.client.on('error', (err: Error) => this.lost(err.message));
    this.client.on('close', () => this.lost('connection closed'));
  }

  get isUp(): boolean {
    return this.health === 'up';
  }

  /** Connects for the first time; rejects (and gives up) when Redis cannot be reached within timeoutMs. */
  async open(timeoutMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        this.client.connect(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      this.closing = true;
      this.client.disconnect();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** A write failed: treat the link as lost until the client reports ready again. */
  noteFailure(message: string): void {
    if (this.client.status !== 'ready') this.lost(message);
  }

  async close(): Promise<void> {
    this.closing = true;
    this.health = 'down';
    this.reason = 'stopped';
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private onReady(): void {
    if (this.closing) return;
    const wasDegraded = this.health === 'degraded';
    this.health = 'up';
    this.reason = '';
    if (wasDegraded) {
      this.logger.info('risk: redis reachable again; flushing queued writes', { outageMs: this.clock() - this.lostAt });
      this.lostAt = 0;
      this.emit('restored');
    }
  }

  private lost(message: string): void {
    if (this.closing || this.health === 'down') return;
    if (this.health === 'up') {
      this.health = 'degraded';
      this.lostAt = this.clock();
      this.reason = `redis unreachable since ${new Date(this.lostAt).toISOString()}: ${message}`;
      this.logger.warn('risk: redis unreachable; trading continues on in-memory state and writes are queued', { error: message });
      this.emit('lost');
    }
  }
}
