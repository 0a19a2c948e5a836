// One side of an instrument's aggregated book as market data mirrors it: price levels with their visible quantity
// and order count, kept sorted in typed arrays so applying a BookDeltaEvent costs a binary search and, when a level
// appears or goes, a short memmove, with no allocation. Levels are stored worst first and best last: most activity
// happens near the top of the book, so that is where inserts and removals move the fewest entries.
//
// Prices and quantities are the core's scaled integers; a Float64Array holds every safe integer exactly.

import { grownArray } from '../shared/growth.js';

const INITIAL_CAPACITY = 64;

export class LevelLadder {
  /** Sort key per level: the price for bids, minus the price for asks, so that "better" is always "larger". */
  private keys: Float64Array;
  private qtys: Float64Array;
  private counts: Int32Array;
  private length = 0;

  constructor(readonly isBid: boolean, capacity = INITIAL_CAPACITY) {
    this.keys = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
    this.counts = new Int32Array(capacity);
  }

  /** Number of levels. */
  get size(): number {
    return this.length;
  }

  clear(): void {
    this.length = 0;
  }

  /** Sets a level to its new state; qty 0 removes it (the core's BookDeltaEvent semantics). */
  set(price: number, qty: number, orderCount: number): void {
    const key = this.isBid ? price : -price;
    const at = this.search(key);
    if (at >= 0) {
      if (qty > 0) {
        this.qtys[at] = qty;
        this.counts[at] = orderCount;
      } else {
        this.removeAt(at);
      }
    } else if (qty > 0) {
      this.insertAt(-at - 1, key, qty, orderCount);
    }
  }

  /** Index of the level at this price, or -1. Pass the index to qtyAtIndex/countAtIndex. */
  indexOf(price: number): number {
    const at = this.search(this.isBid ? price : -price);
    return at >= 0 ? at : -1;
  }

  qtyAtIndex(index: number): number {
    return this.qtys[index]!;
  }

  countAtIndex(index: number): number {
    return this.counts[index]!;
  }

  /** Price of the rank-th best level (0 = best). */
  priceAtRank(rank: number): number {
    const key = this.keys[this.length - 1 - rank]!;
    return this.isBid ? key : -key;
  }

  qtyAtRank(rank: number): number {
    return this.qtys[this.length - 1 - rank]!;
  }

  countAtRank(rank: number): number {
    return this.counts[this.length - 1 - rank]!;
  }

  /** True when price a is better than price b on this side (higher bid, lower offer). */
  isBetter(a: number, b: number): boolean {
    return this.isBid ? a > b : a < b;
  }

  /** Index of the key, or -(insertion point) - 1 when absent (keys ascending). */
  private search(key: number): number {
    const keys = this.keys;
    // The best levels are at the end and change most: check the top before searching the whole ladder.
    let hi = this.length - 1;
    if (hi >= 0 && keys[hi] === key) return hi;
    let lo = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private insertAt(at: number, key: number, qty: number, count: number): void {
    if (this.length === this.keys.length) this.grow();
    const n = this.length;
    if (at < n) {
      this.keys.copyWithin(at + 1, at, n);
      this.qtys.copyWithin(at + 1, at, n);
      this.counts.copyWithin(at + 1, at, n);
    }
    this.keys[at] = key;
    this.qtys[at] = qty;
    this.counts[at] = count;
    this.length = n + 1;
  }

  private removeAt(at: number): void {
    const n = this.length;
    if (at < n - 1) {
      this.keys.copyWithin(at, at + 1, n);
      this.qtys.copyWithin(at, at + 1, n);
      this.counts.copyWithin(at, at + 1, n);
    }
    this.length = n - 1;
  }

  private grow(): void {
    this.keys = grownArray(this.keys);
    this.qtys = grownArray(this.qtys);
    this.counts = grownArray(this.counts);
  }
}
