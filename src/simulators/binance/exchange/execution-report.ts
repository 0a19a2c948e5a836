// executionReport events (user-data-stream.md "Order Update"): every key the doc lists, in its order,
// with the conditional keys only when their condition holds.

import type { ExecutionReportEvent, ExecutionType } from '../../../routing/binance/types.js';
import type { SimOrder } from './order-record.js';

export interface ExecInfo {
  x: ExecutionType;
  executionId: number;
  transactTime: number;
  eventTime: number;
  /** Client order id of the request that caused this (cancel / amend); the order's own id otherwise. */
  clientOrderId?: string;
  /** The id the order had before (cancel, amend): Binance's "C". */
  origClientOrderId?: string;
  lastQty?: number;
  lastPrice?: number;
  commission?: number;
  commissionAsset?: string;
  tradeId?: number;
  isMaker?: boolean;
  prevented?: { matchId: number; lastQty: number; counterOrderId: number; price: number };
}

export function executionReport(o: SimOrder, info: ExecInfo): ExecutionReportEvent {
  const s = o.sym;
  const lastQty = info.lastQty ?? 0;
  const lastPrice = info.lastPrice ?? 0;
  const onBook = o.isOpen && o.isWorking;
  const ev: ExecutionReportEvent = {
    e: 'executionReport',
    E: info.eventTime,
    s: s.name,
    c: info.clientOrderId ?? o.clientOrderId,
    S: o.side,
    o: o.type,
    f: o.timeInForce,
    q: s.qty(o.origQty),
    p: s.price(o.price),
    P: s.price(o.stopPrice),
    F: s.qty(o.icebergQty > 0 ? o.icebergQty : 0),
    g: -1,
    C: info.origClientOrderId ?? '',
    x: info.x,
    X: o.status,
    r: 'NONE',
    i: o.orderId,
    l: s.qty(lastQty),
    z: s.qty(o.executedQty),
    L: s.price(lastPrice),
    n: info.commission !== undefined && info.commissionAsset !== undefined ? o.account.format(info.commissionAsset, info.commission) : '0',
    N: info.commissionAsset ?? null,
    T: info.transactTime,
    t: info.tradeId ?? -1,
    I: info.executionId,
    w: onBook,
    m: info.isMaker ?? false,
    M: info.x === 'TRADE',
    O: o.time,
    Z: s.quote(o.cumQuote),
    Y: s.quote(lastQty * lastPrice),
    Q: o.account.format(s.config.quoteAsset, o.origQuoteOrderQty),
    V: o.stpMode,
  };
  if (o.isWorking) ev.W = o.workingTime;
  if (o.strategyId !== undefined) ev.j = o.strategyId;
  if (o.strategyType !== undefined) ev.J = o.strategyType;
  if (info.prevented !== undefined) {
    const p = info.prevented;
    ev.v = p.matchId;
    ev.A = s.qty(o.preventedQuantity);
    ev.B = s.qty(p.lastQty);
    ev.U = p.counterOrderId;
    ev.pl = s.qty(p.lastQty);
    ev.pL = s.price(p.price);
    ev.pY = s.quote(p.lastQty * p.price);
  }
  if (o.expiryReason !== '' && (o.status === 'EXPIRED' || o.status === 'EXPIRED_IN_MATCH')) ev.eR = o.expiryReason;
  return ev;
}
