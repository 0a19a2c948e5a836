// A plain-data picture of the whole core (counters, instrument status and last prices, STP settings and
// every live order in queue order) and the way back. Restoring it and applying the commands that
// followed gives exactly the books, ids and sequence numbers of a full replay.

import { isCallPhase, MarketPhase, type OrderStatus, type OrdType, type Side, type StpMode, type TimeInForce, type TradingStatus } from '../model/enums.js';
import type { CoreState } from './core-state.js';
import type { Order } from './order.js';
import type { PriceLevel } from './price-level.js';
import { RoutedState, type PendingRequest, type QueuedCancel } from './routed-orders.js';

export interface OrderRecord {
  orderId: number;
  session: string;
  firm: string;
  account: string;
  clOrdId: string;
  origClOrdId: string;
  side: Side;
  ordType: OrdType;
  timeInForce: TimeInForce;
  price: number;
  stopPx: number;
  qty: number;
  cumQty: number;
  leavesQty: number;
  cumNotional: number;
  maxFloor: number;
  visibleQty: number;
  expireTime: number;
  status: OrderStatus;
  time: number;
  minQty: number;
  postOnly: boolean;
  triggered: boolean;
  priority: number;
  decrementedQty: number;
}

export interface InstrumentRecord {
  symbol: string;
  status: TradingStatus;
  lastPrice: number;
  /** Resting buy orders: best level first, queue order inside a level. */
  bids: OrderRecord[];
  asks: OrderRecord[];
  /** Pending stops in trigger-list order. */
  stops: OrderRecord[];
  /** Phase of the trading day and the call's state (absent in snapshots taken before phases existed). */
  phase?: MarketPhase;
  /** A call's market orders, time order, per side; At the Close orders held for the closing call. */
  marketBids?: OrderRecord[];
  marketAsks?: OrderRecord[];
  heldForClose?: OrderRecord[];
  /** The last indicative published: price, volume, imbalance. */
  indicative?: [number, number, number];
  /** The call (preOpen / preClose) whose uncross waits for a resume, if any. */
  uncrossPending?: MarketPhase;
}

/** A live routed order (never in a book) with its routing state. */
export interface RoutedRecord {
  symbol: string;
  route: string;
  order: OrderRecord;
  acknowledged: boolean;
  externalOrderId: string;
  incarnation: number;
  baseQty: number;
  pending: PendingRequest | null;
  queuedCancel: QueuedCancel | null;
  execIds: string[];
}

export interface CoreSnapshot {
  version: 1;
  commandSeq: number;
  eventSeq: number;
  lastOrderId: number;
  lastMatchId: number;
  lastPriority: number;
  stpAccounts: Array<[string, StpMode]>;
  instruments: InstrumentRecord[];
  /** The venue-wide phase (absent: continuous), the trading date and the last date ended. */
  venuePhase?: MarketPhase;
  tradeDate?: string;
  endedTradeDate?: string;
  /** Routed orders in order-id order (absent in snapshots taken before routing existed). */
  routed?: RoutedRecord[];
}

function record(o: Order): OrderRecord {
  return {
    orderId: o.orderId, session: o.session, firm: o.firm, account: o.account, clOrdId: o.clOrdId,
    origClOrdId: o.origClOrdId, side: o.side, ordType: o.ordType, timeInForce: o.timeInForce, price: o.price,
    stopPx: o.stopPx, qty: o.qty, cumQty: o.cumQty, leavesQty: o.leavesQty, cumNotional: o.cumNotional,
    maxFloor: o.maxFloor, visibleQty: o.visibleQty, expireTime: o.expireTime, status: o.status, time: o.time,
    minQty: o.minQty, postOnly: o.postOnly, triggered: o.triggered, priority: o.priority, decrementedQty: o.decrementedQty,
  };
}

export function exportCore(state: CoreState): CoreSnapshot {
  const instruments: InstrumentRecord[] = state.instruments.map((book) => {
    const bids: OrderRecord[] = [];
    const asks: OrderRecord[] = [];
    for (const [side, out] of [[book.bids, bids], [book.asks, asks]] as const) {
      for (let i = side.levels.length - 1; i >= 0; i--) {
        for (let o = side.levels[i]!.head; o !== null; o = o.next) out.push(record(o));
      }
    }
    const stops: OrderRecord[] = [];
    book.stops.forEach((o) => stops.push(record(o)));
    const inst: InstrumentRecord = { symbol: book.spec.symbol, status: book.status, lastPrice: book.lastPrice, bids, asks, stops };
    inst.phase = book.phase;
    inst.marketBids = queueRecords(book.marketBids);
    inst.marketAsks = queueRecords(book.marketAsks);
    inst.heldForClose = queueRecords(book.heldForClose);
    inst.indicative = [book.indicativePrice, book.indicativeVolume, book.indicativeImbalance];
    if (book.uncrossPending) inst.uncrossPending = book.pendingCallPhase;
    return inst;
  });
  return {
    version: 1,
    commandSeq: state.commandSeq,
    eventSeq: state.bus.seq,
    lastOrderId: state.lastOrderId,
    lastMatchId: state.lastMatchId,
    lastPriority: state.lastPriority,
    stpAccounts: [...state.stpAccounts.entries()],
    instruments,
    venuePhase: state.venuePhase,
    tradeDate: state.tradeDate,
    endedTradeDate: state.endedTradeDate,
    routed: exportRouted(state),
  };
}

function queueRecords(queue: PriceLevel): OrderRecord[] {
  const out: OrderRecord[] = [];
  for (let o = queue.head; o !== null; o = o.next) out.push(record(o));
  return out;
}

function exportRouted(state: CoreState): RoutedRecord[] {
  const out: RoutedRecord[] = [];
  for (const [orderId, rs] of state.routed.states) {
    const o = state.orders.get(orderId);
    if (o === undefined) continue;
    out.push({
      symbol: o.symbol, route: rs.route, order: record(o), acknowledged: rs.acknowledged, externalOrderId: rs.externalOrderId,
      incarnation: rs.incarnation, baseQty: rs.baseQty, pending: rs.pending === null ? null : { ...rs.pending },
      queuedCancel: rs.queuedCancel === null ? null : { ...rs.queuedCancel }, execIds: [...rs.execIds],
    });
  }
  return out.sort((a, b) => a.order.orderId - b.order.orderId);
}

/** Loads a snapshot into a freshly built core (no orders yet). Throws with a clear text if it does not fit. */
export function restoreCore(state: CoreState, snap: CoreSnapshot): void {
  if (snap.version !== 1) throw new Error(`venue snapshot version ${String(snap.version)} is not supported`);
  if (state.orders.size !== 0 || state.commandSeq !== 0) throw new Error('a snapshot can only be restored into a new venue');
  state.commandSeq = snap.commandSeq;
  state.bus.seq = snap.eventSeq;
  state.lastOrderId = snap.lastOrderId;
  state.lastMatchId = snap.lastMatchId;
  state.lastPriority = snap.lastPriority;
  state.stpAccounts.clear();
  for (const [account, mode] of snap.stpAccounts) state.stpAccounts.set(account, mode);
  const all: Order[] = [];
  for (const inst of snap.instruments) {
    const book = state.bySymbol.get(inst.symbol);
    if (book === undefined) throw new Error(`venue snapshot has instrument ${inst.symbol}, which the configuration does not list`);
    book.status = inst.status;
    book.lastPrice = inst.lastPrice;
    book.updateBand();
    const load = (r: OrderRecord): Order => {
      const o = state.pool.acquire();
      Object.assign(o, r);
      o.symbol = book.spec.symbol;
      o.instrument = book.index;
      all.push(o);
      return o;
    };
    for (const r of inst.bids) book.bids.add(load(r));
    for (const r of inst.asks) book.asks.add(load(r));
    for (const r of inst.stops) book.stops.add(load(r));
    book.phase = inst.phase ?? MarketPhase.Continuous;
    if (isCallPhase(book.phase)) state.callBooks++;
    for (const r of inst.marketBids ?? []) book.marketBids.append(load(r));
    for (const r of inst.marketAsks ?? []) book.marketAsks.append(load(r));
    for (const r of inst.heldForClose ?? []) book.heldForClose.append(load(r));
    [book.indicativePrice, book.indicativeVolume, book.indicativeImbalance] = inst.indicative ?? [0, 0, 0];
    book.uncrossPending = inst.uncrossPending !== undefined;
    if (inst.uncrossPending !== undefined) book.pendingCallPhase = inst.uncrossPending;
  }
  state.venuePhase = snap.venuePhase ?? MarketPhase.Continuous;
  state.tradeDate = snap.tradeDate ?? '';
  state.endedTradeDate = snap.endedTradeDate ?? '';
  for (const r of snap.routed ?? []) {
    const book = state.bySymbol.get(r.symbol);
    if (book === undefined) throw new Error(`venue snapshot has a routed order on ${r.symbol}, which the configuration does not list`);
    const o = state.pool.acquire();
    Object.assign(o, r.order);
    o.symbol = book.spec.symbol;
    o.instrument = book.index;
    o.route = r.route;
    all.push(o);
    const rs = new RoutedState(r.route);
    rs.acknowledged = r.acknowledged;
    rs.externalOrderId = r.externalOrderId;
    rs.incarnation = r.incarnation;
    rs.baseQty = r.baseQty;
    rs.pending = r.pending;
    rs.queuedCancel = r.queuedCancel;
    for (const id of r.execIds) rs.execIds.add(id);
    state.routed.restore(o.orderId, rs, o.session);
  }
  // Live-order iteration order is order-id order, as in a venue that never restarted.
  all.sort((a, b) => a.orderId - b.orderId);
  for (const o of all) state.index(o);
}
