// Read-only views of the core for the gateway, market data and tests: live orders, book snapshots and
// instrument state. These allocate (they are not on the matching path); the order objects they return
// are the live ones, valid until the next command, so copy them to keep them.

import { Side, type MarketPhase, type TradingStatus } from '../model/enums.js';
import type { OrderView } from '../model/events.js';
import type { InstrumentSpec } from '../model/instrument.js';
import type { CoreState } from './core-state.js';
import type { PendingRequest } from './routed-orders.js';
import type { BookSide } from './book-side.js';

export interface LevelView {
  price: number;
  /** Visible quantity (what market data shows). */
  qty: number;
  orderCount: number;
}

export interface BookSnapshot {
  symbol: string;
  /** Best first. */
  bids: LevelView[];
  asks: LevelView[];
}

export interface InstrumentState {
  spec: Readonly<InstrumentSpec>;
  status: TradingStatus;
  lastPrice: number;
  /** Price band edges in force now (0 and Infinity when there is no band). */
  bandLow: number;
  bandHigh: number;
  pendingStops: number;
  /** Phase of the trading day, and the indicative auction price/volume/imbalance while in a call. */
  phase: MarketPhase;
  indicativePrice: number;
  indicativeVolume: number;
  indicativeImbalance: number;
}

/** Filter for live orders; empty string / 0 / undefined means any. */
export interface OrderFilter {
  session?: string;
  firm?: string;
  account?: string;
  symbol?: string;
  side?: Side | 0;
}

/** A live routed order and its routing state (the order object is the live one: copy it to keep it). */
export interface RoutedOrderView {
  order: OrderView;
  route: string;
  acknowledged: boolean;
  externalOrderId: string;
  /** 0 for the order as first sent; after a confirmed replace, the command seq of that replace. */
  incarnation: number;
  /** Quantity filled before the current external incarnation. */
  baseQty: number;
  /** The cancel or replace waiting for the external venue's answer (a copy). */
  pending: PendingRequest | null;
  /** External execution ids applied so far. */
  execIds: string[];
}

export class VenueQueries {
  protected readonly state: CoreState;

  constructor(state: CoreState) {
    this.state = state;
  }

  /** A live order by venue order id. Done orders are forgotten (their last event is their final state). */
  order(orderId: number): OrderView | undefined {
    return this.state.orders.get(orderId);
  }

  /** A live order by its session and current ClOrdID. */
  orderByClOrdId(session: string, clOrdId: string): OrderView | undefined {
    return this.state.clOrdIds.get(session, clOrdId);
  }

  /** Live orders (resting and pending stops) matching every given filter, in order-id order. */
  liveOrders(filter: OrderFilter = {}): OrderView[] {
    const out: OrderView[] = [];
    const symbol = filter.symbol;
    for (const o of this.state.liveOrdersById()) {
      if (filter.session && o.session !== filter.session) continue;
      if (filter.firm && o.firm !== filter.firm) continue;
      if (filter.account && o.account !== filter.account) continue;
      if (symbol && o.symbol !== symbol) continue;
      if (filter.side && o.side !== filter.side) continue;
      out.push(o);
    }
    return out;
  }

  /** A live routed order with its routing state, or undefined (not routed, or no longer live). */
  routedOrder(orderId: number): RoutedOrderView | undefined {
    const rs = this.state.routed.states.get(orderId);
    const order = rs === undefined ? undefined : this.state.orders.get(orderId);
    if (rs === undefined || order === undefined) return undefined;
    return {
      order, route: rs.route, acknowledged: rs.acknowledged, externalOrderId: rs.externalOrderId, incarnation: rs.incarnation,
      baseQty: rs.baseQty, pending: rs.pending === null ? null : { ...rs.pending }, execIds: [...rs.execIds],
    };
  }

  /** Live routed orders (of one route, when given), in order-id order. */
  routedOrders(route?: string): RoutedOrderView[] {
    const out: RoutedOrderView[] = [];
    const ids = [...this.state.routed.states.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const view = this.routedOrder(id);
      if (view !== undefined && (route === undefined || view.route === route)) out.push(view);
    }
    return out;
  }

  /** The venue-wide phase of the trading day. */
  get phase(): MarketPhase {
    return this.state.venuePhase;
  }

  /** Trading date of the last venue-wide phase command ('' before any) and the last date ended (endOfDay). */
  get tradingDay(): { tradeDate: string; ended: string } {
    return { tradeDate: this.state.tradeDate, ended: this.state.endedTradeDate };
  }

  /** The earliest expire time of a live GTD order (epoch ms), 0 when there is none (a scan: for timers, not per order). */
  nextGtdExpiry(): number {
    let earliest = 0;
    for (const o of this.state.gtd.values()) if (earliest === 0 || o.expireTime < earliest) earliest = o.expireTime;
    return earliest;
  }

  /** Orders of a call outside the ladder: market orders (in time order), then held At the Close orders. */
  queuedOrders(symbol: string): OrderView[] {
    const book = this.state.bySymbol.get(symbol);
    const out: OrderView[] = [];
    if (book === undefined) return out;
    for (const q of [book.marketBids, book.marketAsks, book.heldForClose]) for (let o = q.head; o !== null; o = o.next) out.push(o);
    return out;
  }

  get liveOrderCount(): number {
    return this.state.orders.size;
  }

  symbols(): string[] {
    return this.state.instruments.map((b) => b.spec.symbol);
  }

  instrument(symbol: string): InstrumentState | undefined {
    const book = this.state.bySymbol.get(symbol);
    if (book === undefined) return undefined;
    return {
      spec: book.spec,
      status: book.status,
      lastPrice: book.lastPrice,
      bandLow: book.band.low,
      bandHigh: book.band.high,
      pendingStops: book.stops.size,
      phase: book.phase,
      indicativePrice: book.indicativePrice,
      indicativeVolume: book.indicativeVolume,
      indicativeImbalance: book.indicativeImbalance,
    };
  }

  /** Top `depth` levels per side, best first (depth 0 = all). */
  book(symbol: string, depth = 0): BookSnapshot | undefined {
    const book = this.state.bySymbol.get(symbol);
    if (book === undefined) return undefined;
    return { symbol, bids: topLevels(book.bids, depth), asks: topLevels(book.asks, depth) };
  }

  /** Every resting order per level, best level first, queue order inside a level (tests, mass status). */
  levelOrders(symbol: string, side: Side): OrderView[][] {
    const book = this.state.bySymbol.get(symbol);
    if (book === undefined) return [];
    const levels = (side === Side.Buy ? book.bids : book.asks).levels;
    const out: OrderView[][] = [];
    for (let i = levels.length - 1; i >= 0; i--) {
      const row: OrderView[] = [];
      for (let o = levels[i]!.head; o !== null; o = o.next) row.push(o);
      out.push(row);
    }
    return out;
  }

  /** Pending (untriggered) stop orders of an instrument, buys then sells. */
  pendingStops(symbol: string): OrderView[] {
    const book = this.state.bySymbol.get(symbol);
    const out: OrderView[] = [];
    book?.stops.forEach((o) => out.push(o));
    return out;
  }
}

function topLevels(side: BookSide, depth: number): LevelView[] {
  const levels = side.levels;
  const out: LevelView[] = [];
  const stop = depth > 0 ? Math.max(0, levels.length - depth) : 0;
  for (let i = levels.length - 1; i >= stop; i--) {
    const l = levels[i]!;
    out.push({ price: l.price, qty: l.visibleQty, orderCount: l.orderCount });
  }
  return out;
}
