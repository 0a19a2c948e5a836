// Detached copies of events and orders. The core reuses its event and order objects, so anything that
// keeps an event past the listener call (a buffer waiting for a journal commit, a test log) copies it.

import { isSingleOrderEvent, type OrderView, type VenueEvent } from './model/events.js';

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
  if (isSingleOrderEvent(e)) return { ...e, order: copyOrder(e.order) };
  if (e.type === 'trade') return { ...e, maker: copyOrder(e.maker), taker: copyOrder(e.taker) };
  if (e.type === 'rejected') return { ...e, order: e.order === null ? null : copyOrder(e.order) };
  return { ...e };
}
