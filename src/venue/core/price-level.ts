// One price level: a FIFO queue of resting orders at one price, kept as an intrusive doubly linked list so
// that appending, removing from the middle (cancel) and moving to the back (iceberg refresh) are O(1) and
// allocate nothing.

import type { Order } from './order.js';

export class PriceLevel {
  price = 0;
  /** Sort key inside its side: the price for bids, minus the price for asks, so "better" is always "larger". */
  key = 0;
  head: Order | null = null;
  tail: Order | null = null;
  orderCount = 0;
  /** Sum of the visible quantities (what market data shows). */
  visibleQty = 0;
  /** Sum of leaves quantities including hidden iceberg reserve. */
  totalQty = 0;

  /** A queue outside the ladder (market orders of a call, held orders): price <= 0, never in a BookSide. */
  static queue(price: number): PriceLevel {
    const q = new PriceLevel();
    q.price = price;
    return q;
  }

  append(order: Order): void {
    order.level = this;
    order.next = null;
    order.prev = this.tail;
    if (this.tail === null) this.head = order;
    else this.tail.next = order;
    this.tail = order;
    this.orderCount++;
    this.visibleQty += order.visibleQty;
    this.totalQty += order.leavesQty;
  }

  /** Unlinks the order; the caller has already taken its quantities into account via `visibleQty`/`totalQty`. */
  remove(order: Order): void {
    const prev = order.prev;
    const next = order.next;
    if (prev === null) this.head = next;
    else prev.next = next;
    if (next === null) this.tail = prev;
    else next.prev = prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    this.orderCount--;
    this.visibleQty -= order.visibleQty;
    this.totalQty -= order.leavesQty;
  }

  reset(): void {
    this.price = 0;
    this.key = 0;
    this.head = null;
    this.tail = null;
    this.orderCount = 0;
    this.visibleQty = 0;
    this.totalQty = 0;
  }
}
