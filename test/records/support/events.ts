// Builds venue events by hand from the contract types, for record and clearing tests. Prices and
// quantities are scaled integers of the instruments below (BTCUSDT: price 2 decimals, qty 5; ETHUSDT:
// price 2, qty 4).

import type { InstrumentSpec } from '../../../src/venue/model/instrument.js';
import type { OrderView, TradeEvent, VenueEvent } from '../../../src/venue/model/events.js';
import { OrderStatus, OrdType, Side, TimeInForce, type RejectReason } from '../../../src/venue/model/enums.js';

export function instrument(symbol: string, base: string, quote: string, priceDecimals: number, qtyDecimals: number): InstrumentSpec {
  return {
    symbol, baseAsset: base, quoteAsset: quote, priceDecimals, qtyDecimals, tickSize: 1, lotSize: 1, minQty: 1,
    maxQty: 10 ** 12, minNotional: 0, priceBandPercent: 0, referencePrice: 0, status: 'open',
  };
}

export const BTCUSDT = instrument('BTCUSDT', 'BTC', 'USDT', 2, 5);
export const ETHUSDT = instrument('ETHUSDT', 'ETH', 'USDT', 2, 4);
export const INSTRUMENTS = [BTCUSDT, ETHUSDT];

/** 2025-03-04T10:00:00.000Z */
export const T0 = Date.UTC(2025, 2, 4, 10, 0, 0);

export function order(over: Partial<OrderView> = {}): OrderView {
  return {
    orderId: 1, session: 'S1', firm: 'F1', account: 'A1', clOrdId: 'c1', origClOrdId: '', symbol: 'BTCUSDT',
    side: Side.Buy, ordType: OrdType.Limit, timeInForce: TimeInForce.GTC, price: 6_000_000, stopPx: 0, qty: 100_000,
    cumQty: 0, leavesQty: 100_000, cumNotional: 0, maxFloor: 0, expireTime: 0, status: OrderStatus.New, time: T0,
    visibleQty: 100_000, minQty: 0, postOnly: false, triggered: false, decrementedQty: 0, ...over,
  };
}

export interface Party {
  firm: string;
  account: string;
  orderId: number;
  clOrdId?: string;
  session?: string;
}

export interface TradeSpec {
  seq: number;
  time?: number;
  symbol?: string;
  price: number;
  qty: number;
  /** The resting order's side; the taker is on the other side. */
  makerSide: Side;
  maker: Party;
  taker: Party;
  matchId?: number;
}

export function trade(t: TradeSpec): TradeEvent {
  const symbol = t.symbol ?? 'BTCUSDT';
  const time = t.time ?? T0;
  const side = (p: Party, s: Side): OrderView =>
    order({
      orderId: p.orderId, session: p.session ?? p.firm, firm: p.firm, account: p.account, clOrdId: p.clOrdId ?? `o${p.orderId}`,
      symbol, side: s, price: t.price, qty: t.qty, cumQty: t.qty, leavesQty: 0, status: OrderStatus.Filled, time,
    });
  const takerSide = t.makerSide === Side.Buy ? Side.Sell : Side.Buy;
  return {
    type: 'trade', seq: t.seq, commandSeq: t.seq, time, matchId: t.matchId ?? t.seq, symbol, price: t.price, qty: t.qty,
    aggressorSide: takerSide, maker: side(t.maker, t.makerSide), taker: side(t.taker, takerSide),
  };
}

export interface RejectFields {
  seq: number;
  commandSeq: number;
  time: number;
  command: 'new' | 'cancel' | 'replace';
  session: string;
  firm: string;
  account: string;
  clOrdId: string;
  origClOrdId: string;
  symbol: string;
  side: Side | 0;
  sideCode?: string;
  reason: RejectReason;
  text: string;
  order?: OrderView | null;
}

/**
 * A RejectedEvent from its common fields. Newer versions of the contract give a reject more fields (the
 * side as sent, FIX reject codes); they get their "not given" values here.
 */
export function rejected(fields: RejectFields): VenueEvent {
  const e: Record<string, unknown> = { sideCode: '', ordRejReason: -1, cxlRejReason: -1, order: null };
  Object.assign(e, fields, { type: 'rejected' });
  return e as unknown as VenueEvent;
}

/** One of every kind of event the record keeps, plus a book delta it must ignore; seqs from `seq`. */
export function oneOfEach(seq: number, time = T0): VenueEvent[] {
  const o = order({ time });
  const base = (n: number) => ({ seq: seq + n, commandSeq: seq + n, time });
  return [
    { ...base(0), type: 'accepted', order: o },
    { ...base(1), type: 'bookDelta', symbol: 'BTCUSDT', side: Side.Buy, price: 6_000_000, qty: 100_000, orderCount: 1 },
    rejected({
      ...base(2), command: 'new', session: 'S1', firm: 'F1', account: 'A1', clOrdId: 'bad\tid',
      origClOrdId: '', symbol: 'NOPE', side: Side.Sell, reason: 'unknown-symbol', text: 'unknown symbol "NOPE"\nline two \\ end',
    }),
    { ...base(3), type: 'replaced', order: order({ clOrdId: 'c2', origClOrdId: 'c1', price: 6_000_100, time }), keptPriority: false },
    { ...base(4), type: 'restated', order: order({ clOrdId: 'c2', ordType: OrdType.Limit, maxFloor: 10_000, time }), reason: 'iceberg-refresh' },
    trade({ seq: seq + 5, time, price: 6_000_100, qty: 40_000, makerSide: Side.Buy, maker: { firm: 'F1', account: 'A1', orderId: 1 }, taker: { firm: 'F2', account: 'B1', orderId: 2 } }),
    { ...base(6), type: 'cancelled', order: order({ orderId: 1, clOrdId: 'x1', origClOrdId: 'c2', status: OrderStatus.Cancelled, cumQty: 40_000, leavesQty: 0, time }), reason: 'user', requestId: 'x1' },
    { ...base(7), type: 'triggered', order: order({ orderId: 3, ordType: OrdType.Stop, stopPx: 5_900_000, price: 0, triggered: true, time }) },
    { ...base(8), type: 'expired', order: order({ orderId: 4, timeInForce: TimeInForce.GTD, expireTime: time + 1000, status: OrderStatus.Expired, time }) },
    { ...base(9), type: 'massCancelDone', requestedBy: 'S1', requestId: 'm1', cancelled: 2 },
    { ...base(10), type: 'tradingStatus', symbol: 'BTCUSDT', status: 'halted', reason: 'ops halt' },
  ];
}
