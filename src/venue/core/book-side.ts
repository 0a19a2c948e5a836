// One side of an order book: the price ladder. Levels are kept in an array sorted from worst to best, so
// the best level is the last element (O(1) to read, O(1) to drop when it empties, which is what matching
// does all day). A price is found by binary search; a new level is spliced in, which moves only the
// levels better than it, and activity clusters near the top of the book, so that is a short move.

import { Side } from '../model/enums.js';
import type { Order } from './order.js';
import { PriceLevel } from './price-level.js';

export class BookSide {
  readonly side: Side;
  /** Sorted by key ascending: worst first, best last. */
  readonly levels: PriceLevel[] = [];
  /**
   * The levels' keys, in the same order: binary search reads this flat array instead of touching a level
   * object per probe (with thousands of levels those are cache misses).
   */
  private readonly keys: number[] = [];
  private readonly freeLevels: PriceLevel[] = [];
  /** +1 for bids (higher is better), -1 for asks (lower is better). */
  private readonly direction: number;

  constructor(side: Side) {
    this.side = side;
    this.direction = side === Side.Buy ? 1 : -1;
  }

  best(): PriceLevel | null {
    const n = this.levels.length;
    return n === 0 ? null : this.levels[n - 1]!;
  }

  /** Level at this price, or null. */
  find(price: number): PriceLevel | null {
    const i = this.indexOf(price * this.direction);
    if (i < 0) return null;
    return this.levels[i]!;
  }

  /** Appends the order to the back of the level at its price, creating the level when needed. */
  add(order: Order): PriceLevel {
    const key = order.price * this.direction;
    const levels = this.levels;
    let i = this.indexOf(key);
    let level: PriceLevel;
    if (i >= 0) {
      level = levels[i]!;
    } else {
      i = -i - 1;
      level = this.freeLevels.pop() ?? new PriceLevel();
      level.price = order.price;
      level.key = key;
      // A plain loop instead of splice (which allocates an array of removed elements on every call) or
      // copyWithin (a slow generic builtin); inserts are near the top, so few elements move.
      const keys = this.keys;
      levels.push(level);
      keys.push(key);
      for (let j = levels.length - 1; j > i; j--) {
        levels[j] = levels[j - 1]!;
        keys[j] = keys[j - 1]!;
      }
      levels[i] = level;
      keys[i] = key;
    }
    level.append(order);
    return level;
  }

  /** Drops an empty level from the ladder and recycles it. */
  removeLevel(level: PriceLevel): void {
    const levels = this.levels;
    const last = levels.length - 1;
    const keys = this.keys;
    if (levels[last] === level) {
      levels.pop();
      keys.pop();
    } else {
      const i = this.indexOf(level.key);
      if (i >= 0) {
        for (let j = i; j < last; j++) {
          levels[j] = levels[j + 1]!;
          keys[j] = keys[j + 1]!;
        }
        levels.pop();
        keys.pop();
      }
    }
    level.reset();
    this.freeLevels.push(level);
  }

  /** Index of the level with this key, or -(insertion point) - 1. Searches from the top of book first. */
  private indexOf(key: number): number {
    const keys = this.keys;
    let hi = keys.length - 1;
    // Fast path: most traffic is at or just behind the best price.
    if (hi >= 0) {
      const topKey = keys[hi]!;
      if (key === topKey) return hi;
      if (key > topKey) return -(hi + 1) - 1;
    } else {
      return -1;
    }
    let lo = 0;
    hi--;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid]!;
      if (k < key) lo = mid + 1;
      else if (k > key) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }
}
