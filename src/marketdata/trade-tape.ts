// The trades of one instrument during the current turn, for MDEntryType 2 entries. Trades are prints, not
// levels: each one is published, none is coalesced away.

import { grownArray } from '../shared/growth.js';

const INITIAL_CAPACITY = 16;

export class TradeTape {
  private prices: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private qtys: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private times: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private matchIds: Float64Array = new Float64Array(INITIAL_CAPACITY);
  length = 0;

  push(price: number, qty: number, time: number, matchId: number): void {
    if (this.length === this.prices.length) this.grow();
    const i = this.length++;
    this.prices[i] = price;
    this.qtys[i] = qty;
    this.times[i] = time;
    this.matchIds[i] = matchId;
  }

  clear(): void {
    this.length = 0;
  }

  priceAt(i: number): number {
    return this.prices[i]!;
  }

  qtyAt(i: number): number {
    return this.qtys[i]!;
  }

  timeAt(i: number): number {
    return this.times[i]!;
  }

  matchIdAt(i: number): number {
    return this.matchIds[i]!;
  }

  private grow(): void {
    this.prices = grownArray(this.prices);
    this.qtys = grownArray(this.qtys);
    this.times = grownArray(this.times);
    this.matchIds = grownArray(this.matchIds);
  }
}
