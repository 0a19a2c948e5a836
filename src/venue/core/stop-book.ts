// Stop and stop-limit orders waiting for their trigger. A buy stop triggers when a trade prints at or above
// its stop price, a sell stop when a trade prints at or below it. Each list is sorted so that the next
// order to trigger is at the end: collecting triggered orders pops from the end and never scans the rest.

import { Side } from '../model/enums.js';
import type { Order } from './order.js';

export class StopBook {
  /** Buy stops, stop price descending: the lowest (first to trigger on a rise) is last. */
  private readonly buys: Order[] = [];
  /** Sell stops, stop price ascending: the highest (first to trigger on a fall) is last. */
  private readonly sells: Order[] = [];

  get size(): number {
    return this.buys.length + this.sells.length;
  }

  add(order: Order): void {
    const list = order.side === Side.Buy ? this.buys : this.sells;
    // Key that grows toward the end of the list.
    const dir = order.side === Side.Buy ? -1 : 1;
    const key = order.stopPx * dir;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]!.stopPx * dir <= key) lo = mid + 1;
      else hi = mid;
    }
    if (lo === list.length) list.push(order);
    else list.splice(lo, 0, order);
    order.pendingStop = true;
  }

  remove(order: Order): void {
    const list = order.side === Side.Buy ? this.buys : this.sells;
    const i = list.lastIndexOf(order);
    if (i >= 0) list.splice(i, 1);
    order.pendingStop = false;
  }

  /**
   * Moves every stop triggered by trades in [low, high] into `out` (unordered; the caller orders them by
   * priority). Returns how many were added.
   */
  collect(low: number, high: number, out: Order[]): number {
    let added = 0;
    const buys = this.buys;
    while (buys.length > 0 && buys[buys.length - 1]!.stopPx <= high) {
      const o = buys.pop()!;
      o.pendingStop = false;
      out.push(o);
      added++;
    }
    const sells = this.sells;
    while (sells.length > 0 && sells[sells.length - 1]!.stopPx >= low) {
      const o = sells.pop()!;
      o.pendingStop = false;
      out.push(o);
      added++;
    }
    return added;
  }

  /** Pending stops, buys then sells, each in list order (for snapshots and queries). */
  forEach(fn: (order: Order) => void): void {
    for (const o of this.buys) fn(o);
    for (const o of this.sells) fn(o);
  }
}
