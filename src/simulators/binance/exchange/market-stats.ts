// Per-symbol trade statistics: the last price and a window of recent trades, from which the average
// price is computed the way Binance defines it for GET /api/v3/avgPrice and the price filters: the
// volume-weighted average over the last `mins` minutes, or the last price when mins is 0 or the window
// holds no trade.

import { formatQuotient, pow10 } from '../../../venue/model/decimal.js';

interface TradePoint {
  time: number;
  notional: number;
  qty: number;
}

export class MarketStats {
  lastPrice = 0;
  lastTradeTime = 0;
  private readonly window: TradePoint[] = [];
  private head = 0;

  constructor(
    private readonly pd: number,
    private readonly printDecimals: number,
    /** How far back trades are kept (the largest avgPriceMins in use). */
    private readonly keepMs: number,
  ) {}

  record(time: number, price: number, qty: number): void {
    this.lastPrice = price;
    this.lastTradeTime = time;
    if (this.keepMs <= 0) return;
    this.window.push({ time, notional: price * qty, qty });
    this.prune(time);
  }

  private prune(now: number): void {
    const from = now - this.keepMs;
    while (this.head < this.window.length && this.window[this.head]!.time < from) this.head++;
    if (this.head > 1024 && this.head * 2 > this.window.length) {
      this.window.splice(0, this.head);
      this.head = 0;
    }
  }

  /** The average price as Binance prints it, or undefined before the first trade. */
  averagePrice(now: number, mins: number): string | undefined {
    if (this.lastPrice === 0) return undefined;
    const scale = pow10(this.pd);
    if (mins > 0) {
      const from = now - mins * 60_000;
      let notional = 0;
      let qty = 0;
      for (let i = this.head; i < this.window.length; i++) {
        const t = this.window[i]!;
        if (t.time < from) continue;
        notional += t.notional;
        qty += t.qty;
      }
      if (qty > 0) return formatQuotient(notional, qty * scale, this.printDecimals);
    }
    return formatQuotient(this.lastPrice, scale, this.printDecimals);
  }
}
