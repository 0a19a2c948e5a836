// The price levels of one book side that changed during the current event-loop turn, each with the state it had
// when the turn began (what subscribers were last told). However many deltas hit a level in a turn, it appears
// here once: the flush compares this "before" with the ladder's final state and publishes one entry per level.

import { grownArray } from '../shared/growth.js';

const INITIAL_CAPACITY = 16;

export class LevelChanges {
  private readonly indexByPrice = new Map<number, number>();
  private prices: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private beforeQtys: Float64Array = new Float64Array(INITIAL_CAPACITY);
  private beforeCounts: Int32Array = new Int32Array(INITIAL_CAPACITY);
  private length = 0;

  get size(): number {
    return this.length;
  }

  /** True when the level is already recorded this turn (its "before" must not be overwritten). */
  has(price: number): boolean {
    return this.indexByPrice.has(price);
  }

  /** Records a level's state at the start of the turn; beforeQty 0 means it did not exist. */
  record(price: number, beforeQty: number, beforeCount: number): void {
    if (this.length === this.prices.length) this.grow();
    const i = this.length++;
    this.prices[i] = price;
    this.beforeQtys[i] = beforeQty;
    this.beforeCounts[i] = beforeCount;
    this.indexByPrice.set(price, i);
  }

  priceAt(i: number): number {
    return this.prices[i]!;
  }

  beforeQtyAt(i: number): number {
    return this.beforeQtys[i]!;
  }

  beforeCountAt(i: number): number {
    return this.beforeCounts[i]!;
  }

  clear(): void {
    if (this.length === 0) return;
    this.length = 0;
    this.indexByPrice.clear();
  }

  private grow(): void {
    this.prices = grownArray(this.prices);
    this.beforeQtys = grownArray(this.beforeQtys);
    this.beforeCounts = grownArray(this.beforeCounts);
  }
}
