// Taking a live order out without a fill (cancel, mass cancel, expiry): out of its level or the stop
// list, final status, its event, then the level's book delta, and back to the pool.

import type { CancelReason, Side } from '../model/enums.js';
import { OrderStatus } from '../model/enums.js';
import type { CoreState } from './core-state.js';
import type { InstrumentBook } from './instrument-book.js';
import type { Order } from './order.js';
import type { PriceLevel } from './price-level.js';

export function takeOut(
  state: CoreState, book: InstrumentBook, order: Order, status: OrderStatus, reason: CancelReason, requestId: string,
): void {
  const level = order.level;
  if (order.pendingStop) book.stops.remove(order);
  else if (level !== null) level.remove(order);
  order.leavesQty = 0;
  order.visibleQty = 0;
  order.status = status;
  const bus = state.bus;
  if (status === OrderStatus.Expired) bus.emitExpired(order);
  else bus.emitCancelled(order, reason, requestId);
  if (level !== null) emitLevelAfterRemoval(state, book, order.side, level);
  state.finish(order);
}

/**
 * Book delta for a level an order just left; drops the level when it is empty. Queues outside the ladder
 * (price <= 0: a call's market orders, held At the Close orders) are not in the published book.
 */
export function emitLevelAfterRemoval(state: CoreState, book: InstrumentBook, side: Side, level: PriceLevel): void {
  if (level.price <= 0) return;
  state.bus.emitBookDelta(book.spec.symbol, side, level.price, level.visibleQty, level.orderCount);
  if (level.orderCount === 0) book.sideOf(side).removeLevel(level);
}
