// The core's mutable order. It implements the read-only OrderView the events expose, plus the links and
// bookkeeping the book needs. Orders are pooled (see order-pool.ts): once an order is done (filled,
// cancelled, expired) the object goes back to the pool and is reused by a later order, which is why
// listeners must copy what they keep.

import { OrderStatus, OrdType, Side, TimeInForce } from '../model/enums.js';
import type { OrderView } from '../model/events.js';
import type { PriceLevel } from './price-level.js';

export class Order implements OrderView {
  // Fields are declared hottest first: V8 lays them out in this order, so a cancel or replace touches
  // the first few cache lines of an order and not all five.

  /** Hash under which the ClOrdID index holds the order (see clordid-index.ts). */
  clHash = 0;
  session = '';
  clOrdId = '';
  side: Side = Side.Buy;
  ordType: OrdType = OrdType.Limit;
  timeInForce: TimeInForce = TimeInForce.GTC;
  price = 0;
  qty = 0;
  cumQty = 0;
  leavesQty = 0;
  /** Quantity shown in the book: leavesQty for a plain order, the current slice for an iceberg. */
  visibleQty = 0;
  maxFloor = 0;
  // Intrusive links: the order sits in exactly one price level's queue (or in the stop list, or nowhere).
  prev: Order | null = null;
  next: Order | null = null;
  level: PriceLevel | null = null;
  /** Time-priority stamp: set on entry, on trigger, on a priority-losing replace and on each iceberg refresh. */
  priority = 0;
  status: OrderStatus = OrderStatus.New;
  /** True while the order is parked in its instrument's stop list, waiting for a trigger. */
  pendingStop = false;
  postOnly = false;
  /** A stop order that has been triggered and now behaves as its market/limit counterpart. */
  triggered = false;
  orderId = 0;
  symbol = '';
  /** Index into the instrument table of the venue (avoids a map lookup by symbol on every command). */
  instrument = -1;
  origClOrdId = '';
  firm = '';
  account = '';
  stopPx = 0;
  cumNotional = 0;
  expireTime = 0;
  time = 0;
  minQty = 0;
  /** Quantity removed by self-trade decrement (so ordered = filled + leaves + cancelled still adds up). */
  decrementedQty = 0;
  /** External route of a routed order (never in the book; see routed-orders.ts); '' for the local book. */
  route = '';

  reset(): void {
    this.orderId = 0;
    this.session = '';
    this.firm = '';
    this.account = '';
    this.clOrdId = '';
    this.origClOrdId = '';
    this.symbol = '';
    this.price = 0;
    this.stopPx = 0;
    this.qty = 0;
    this.cumQty = 0;
    this.leavesQty = 0;
    this.cumNotional = 0;
    this.maxFloor = 0;
    this.expireTime = 0;
    this.status = OrderStatus.New;
    this.time = 0;
    this.minQty = 0;
    this.postOnly = false;
    this.visibleQty = 0;
    this.triggered = false;
    this.priority = 0;
    this.prev = null;
    this.next = null;
    this.level = null;
    this.instrument = -1;
    this.pendingStop = false;
    this.decrementedQty = 0;
    this.clHash = 0;
    this.route = '';
  }
}

/** Reuses finished order objects so the steady state allocates none. */
export class OrderPool {
  private readonly free: Order[] = [];

  constructor(prefill = 0) {
    for (let i = 0; i < prefill; i++) this.free.push(new Order());
  }

  acquire(): Order {
    const o = this.free.pop();
    return o === undefined ? new Order() : o;
  }

  release(order: Order): void {
    order.reset();
    this.free.push(order);
  }
}
