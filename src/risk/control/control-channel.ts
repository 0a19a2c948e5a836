// Listens on the risk control channel with its own Redis connection (a subscribed connection can do
// nothing else) and hands each command to the engine. Resubscribes by itself after a reconnect. Bad
// messages are answered in the log, never by a crash.

import { Redis } from 'ioredis';
import type { Logger } from '../../shared/logger.js';
import { parseControlMessage, type ControlMessage } from './control-messages.js';

export class ControlChannel {
  private readonly sub: Redis;

  constructor(
    url: string,
    private readonly channel: string,
    private readonly apply: (msg: ControlMessage) => void,
    private readonly logger: Logger,
  ) {
    this.sub = new Redis(url, { lazyConnect: true, autoResubscribe: true, maxRetriesPerRequest: null, retryStrategy: (n: number) => Math.min(50 * n, 500) });
    this.sub.on('error', () => {}); // outages are reported by the main link
    this.sub.on('message', (ch: string, text: string) => {
      if (ch === this.channel) this.onMessage(text);
    });
  }

  async open(): Promise<void> {
    await this.sub.connect();
    await this.sub.subscribe(this.channel);
  }

  async close(): Promise<void> {
    try {
      await this.sub.quit();
    } catch {
      this.sub.disconnect();
    }
  }

  private onMessage(text: string): void {
    const msg = parseControlMessage(text);
    if (typeof msg === 'string') {
      this.logger.warn(`risk: control message refused: ${msg}`, { channel: this.channel, message: text.slice(0, 200) });
      return;
    }
    try {
      this.apply(msg);
    } catch (err) {
      this.logger.warn(`risk: control message refused: ${err instanceof Error ? err.message : String(err)}`, { channel: this.channel });
    }
  }
}
