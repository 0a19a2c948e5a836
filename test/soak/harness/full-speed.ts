// Full-speed order flow for throughput measurements: a window of orders in flight per session, a new one for every
// first report; buys and sells alternate at one price, so they cross and the book stays small.

import { SOH, stamp } from '../../support/fix-test-client.js';
import type { SoakFixClient } from './soak-client.js';

export class FullSpeed {
  acked = 0;
  private readonly inFlight = new Set<string>();
  private n = 0;
  private running = false;

  constructor(private readonly client: SoakFixClient) {
    client.onApp.push((m) => {
      if (m.type !== '8') return;
      if (!this.inFlight.delete(m.get(11) ?? '')) return;
      this.acked++;
      if (this.running) this.sendOne();
    });
  }

  start(window: number): void {
    this.running = true;
    for (let i = this.inFlight.size; i < window; i++) this.sendOne();
  }

  stop(): void {
    this.running = false;
  }

  /** Waits for the orders still in flight (after stop). */
  async drain(timeoutMs: number): Promise<void> {
    await this.client.waitFor(() => this.inFlight.size === 0, timeoutMs).catch(() => undefined);
  }

  private sendOne(): void {
    const id = `${this.client.id}-${++this.n}`;
    this.inFlight.add(id);
    this.client.send('D', `11=${id}${SOH}55=BTCUSDT${SOH}54=${this.n % 2 === 0 ? 1 : 2}${SOH}38=0.001${SOH}40=2${SOH}44=100.00${SOH}59=1${SOH}60=${stamp()}${SOH}`);
  }
}
