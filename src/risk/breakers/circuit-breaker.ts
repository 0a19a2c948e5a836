// A circuit breaker for one instrument: trips when a trade's price is more than movePercent away from
// the lowest or highest trade price of the last windowSeconds (event times, so a replay sees the same
// moves). What happens next (halt, a timed resume) is the risk core's business.

import type { BreakerSettings } from '../../config/risk-section.js';
import { exceedsPercent, parsePercent } from '../exact/percent.js';
import { PriceWindow } from './price-window.js';

export interface Trip {
  /** The window's extreme the price moved away from, and the trade price. */
  from: number;
  to: number;
}

export class CircuitBreaker {
  readonly movePercent: number;
  readonly haltMs: number;
  private readonly window: PriceWindow;

  constructor(readonly symbol: string, readonly settings: BreakerSettings) {
    this.movePercent = parsePercent(settings.movePercent);
    if (Number.isNaN(this.movePercent) || this.movePercent === 0) {
      throw new Error(`risk: circuit breaker of ${symbol}: movePercent must be a percentage above 0, got ${settings.movePercent}`);
    }
    this.window = new PriceWindow(Math.round(settings.windowSeconds * 1000));
    this.haltMs = Math.round(settings.haltSeconds * 1000);
  }

  /** Feeds one trade; returns the move when it exceeds the limit (the window is then cleared). */
  observe(time: number, price: number): Trip | null {
    const w = this.window;
    w.advance(time);
    if (!w.empty) {
      const low = w.low;
      const high = w.high;
      let trip: Trip | null = null;
      if (price > low && exceedsPercent(price - low, low, this.movePercent)) trip = { from: low, to: price };
      else if (price < high && exceedsPercent(high - price, high, this.movePercent)) trip = { from: high, to: price };
      if (trip !== null) {
        w.clear();
        return trip;
      }
    }
    w.add(time, price);
    return null;
  }

  /** Starts afresh (after a halt: prices before it must not trip the breaker again at the reopening). */
  reset(): void {
    this.window.clear();
  }
}
