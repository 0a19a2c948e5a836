// Detached copies of events and orders. The core reuses its event and order objects, so anything that
// keeps an event past the listener call (a buffer waiting for a journal commit, a test log) copies it.

import type { OrderView, VenueEvent } from './model/events.js';

export function copyOrder(o: OrderView): OrderView {
  return {
    orderId: o.orderId,
    session: o.session,
    firm: o.firm,
    account: o.account,
    clOrdId: o.clOrdId,
    origClOrdId: o.origClOrdId,
    symbol: o.symbol,
    side: o.side,
    ordType: o.ordType,
    timeInForce: o.timeInForce,
    price: o.price,
    stopPx: o.stopPx,
    qty: o.qty,
    cumQty: o.cumQty,
    leavesQty: o.leavesQty,
    cumNotional: o.cumNotional,
    maxFloor: o.maxFloor,
    expireTime: o.expireTime,
    status: o.status,
    time: o.time,
    visibleQty: o.visibleQty,
    minQty: o.minQty,
    postOnly: o.postOnly,
    triggered: o.triggered,
    decrementedQty: o.decrementedQty,
    route: o.route ?? '',
  };
}

/** A copy of the event that stays valid after the listener returns. */
export function copyEvent(e: VenueEvent): VenueEvent {
  switch (e.type) {
    case 'trade':
      return { ...e, maker: copyOrder(e.maker), taker: copyOrder(e.taker) };
    case 'rejected':
      return { ...e, order: e.order === null ? null : copyOrder(e.order) };
    case 'accepted':
    case 'cancelled':
    case 'replaced':
    case 'expired':
    case 'triggered':
    case 'restated':
    case 'routed':
      return { ...e, order: copyOrder(e.order) };
    default:
      return { ...e };
  }
}
