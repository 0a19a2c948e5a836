// The FIX 4.4 messages we send to another venue for a routed order: NewOrderSingle(D), OrderCancelRequest(F),
// OrderCancelReplaceRequest(G) and OrderStatusRequest(H), with our own ClOrdIDs (client-ids.ts) and prices and
// quantities printed exactly at the instrument's scale. The venue's enum codes are FIX's, so they pass through.

import { Tag as T, type BodyWriter, type FieldWriter } from '../../fix/index.js';
import type { PendingRequest } from '../../venue/core/routed-orders.js';
import { Side, TimeInForce } from '../../venue/model/enums.js';
import { hasLimitPrice, hasStopPrice } from '../../venue/model/order-types.js';
import type { OrderView } from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';

/** Where the order goes on the other venue. */
export interface Destination {
  symbol: string;
  /** Account(1) there; '' for none (their default). */
  account: string;
}

function common(w: FieldWriter, dest: Destination, side: Side, now: number): void {
  if (dest.account !== '') w.str(T.Account, dest.account);
  w.str(T.Symbol, dest.symbol);
  w.char(T.Side, side === Side.Buy ? '1' : '2');
  w.timestamp(T.TransactTime, now);
}

/** The terms a new order and a replace both state: quantity, type, prices, time in force, display. */
type Terms = Pick<OrderView, 'ordType' | 'price' | 'stopPx' | 'timeInForce' | 'expireTime' | 'maxFloor'>;

function terms(w: FieldWriter, t: Terms, qty: number, spec: InstrumentSpec): void {
  w.decimal(T.OrderQty, qty, spec.qtyDecimals);
  w.char(T.OrdType, String(t.ordType));
  if (hasLimitPrice(t.ordType)) w.decimal(T.Price, t.price, spec.priceDecimals);
  if (hasStopPrice(t.ordType)) w.decimal(T.StopPx, t.stopPx, spec.priceDecimals);
  w.char(T.TimeInForce, String(t.timeInForce));
  if (t.timeInForce === TimeInForce.GTD && t.expireTime > 0) w.timestamp(T.ExpireTime, t.expireTime);
  if (t.maxFloor > 0) w.decimal(T.MaxFloor, t.maxFloor, spec.qtyDecimals);
}

/** NewOrderSingle for the order's open quantity. */
export function newOrderSingle(o: OrderView, spec: InstrumentSpec, dest: Destination, clOrdId: string, now: number): BodyWriter {
  return (w) => {
    w.str(T.ClOrdID, clOrdId);
    common(w, dest, o.side, now);
    terms(w, o, o.leavesQty, spec);
    if (o.minQty > 0) w.decimal(T.MinQty, o.minQty, spec.qtyDecimals);
    if (o.postOnly) w.str(T.ExecInst, '6');
  };
}

/** OrderCancelRequest for the order's current incarnation. */
export function cancelRequest(
  o: OrderView, spec: InstrumentSpec, dest: Destination, clOrdId: string, origClOrdId: string, externalOrderId: string, now: number,
): BodyWriter {
  return (w) => {
    w.str(T.ClOrdID, clOrdId);
    w.str(T.OrigClOrdID, origClOrdId);
    if (externalOrderId !== '') w.str(T.OrderID, externalOrderId);
    common(w, dest, o.side, now);
    w.decimal(T.OrderQty, o.qty, spec.qtyDecimals);
  };
}

/** OrderCancelReplaceRequest carrying the pending replace's terms (the quantity is the new total, as in FIX). */
export function replaceRequest(
  o: OrderView, p: PendingRequest, spec: InstrumentSpec, dest: Destination, clOrdId: string, origClOrdId: string,
  externalOrderId: string, now: number,
): BodyWriter {
  return (w) => {
    w.str(T.ClOrdID, clOrdId);
    w.str(T.OrigClOrdID, origClOrdId);
    if (externalOrderId !== '') w.str(T.OrderID, externalOrderId);
    common(w, dest, o.side, now);
    terms(w, { ...p, ordType: o.ordType }, p.qty, spec);
  };
}

/** OrderStatusRequest, by their OrderID when known (it survives a replace) and our ClOrdID. */
export function statusRequest(o: OrderView, dest: Destination, clOrdId: string, externalOrderId: string): BodyWriter {
  return (w) => {
    w.str(T.ClOrdID, clOrdId);
    if (externalOrderId !== '') w.str(T.OrderID, externalOrderId);
    w.str(T.Symbol, dest.symbol);
    w.char(T.Side, o.side === Side.Buy ? '1' : '2');
  };
}
