// The phases of the trading day in the book: call auctions (orders collect without matching, an indicative
// price is published), the uncross at one price when a call ends, and what happens to the orders that only
// lived for that auction. The price rule and the allocation are the reference uncross's
// (src/venue/auction/uncross.ts); this file applies its fills to the live orders.
//
// Rules (see src/venue/README.md "Phases and auctions"):
// - Leaving a call for a phase that is not a call uncrosses the book. A halted instrument does not trade:
//   its uncross (and the expiry that follows it) waits for the resume.
// - Every live order of the book takes part with its whole leaves quantity (hidden iceberg quantity too);
//   self-trade prevention does not apply to the uncross, as on most venues' auctions.
// - After the uncross, At the Opening orders (leaving the opening call) or At the Close orders (leaving the
//   closing call) still live expire, and market orders still live are cancelled (reason 'auction'): a
//   market order never rests outside a call.
// - Entering the closing call, the At the Close orders held since their entry join the book (market orders
//   in the call's market queue, limit orders at their price). Entering closed, any still held expire.
// - Stops are not triggered during a call. The auction price is a trade like any other: after the opening
//   uncross it triggers stops as continuous trading begins; after the closing one they wait for the next day.

import { auctionPrice, uncross, type AuctionOrder } from '../auction/uncross.js';
import type { PhaseCommand } from '../model/commands.js';
import {
  CancelReason, isCallPhase, isMarketPhase, MarketPhase, OrderStatus, OrdType, RejectReason, Side, TimeInForce, TradingStatus,
} from '../model/enums.js';
import type { CoreState } from './core-state.js';
import { MARKET_QUEUE, type InstrumentBook } from './instrument-book.js';
import type { Matcher } from './matcher.js';
import type { Order } from './order.js';
import type { PriceLevel } from './price-level.js';
import { takeOut } from './take-out.js';

/** The orders of a call, as the reference uncross sees them, and the live orders behind them (same index). */
interface CallOrders {
  bids: AuctionOrder[];
  bidOrders: Order[];
  asks: AuctionOrder[];
  askOrders: Order[];
}

export class AuctionCall {
  private readonly state: CoreState;
  private readonly matcher: Matcher;

  constructor(state: CoreState, matcher: Matcher) {
    this.state = state;
    this.matcher = matcher;
  }

  changePhase(cmd: PhaseCommand): void {
    const state = this.state;
    if (!isMarketPhase(cmd.phase)) {
      state.bus.emitRejected('phase', '', '', '', '', '', String(cmd.symbol), Side.Buy, RejectReason.Unsupported,
        `unknown phase ${String(cmd.phase)}: closed, preOpen, continuous or preClose`, null);
      return;
    }
    const symbol = typeof cmd.symbol === 'string' ? cmd.symbol : '';
    if (symbol !== '') {
      const book = state.bySymbol.get(symbol);
      if (book === undefined) {
        state.bus.emitRejected('phase', '', '', '', '', '', symbol, Side.Buy, RejectReason.UnknownSymbol, `unknown symbol ${symbol}`, null);
        return;
      }
      this.transition(book, cmd.phase);
      return;
    }
    if (typeof cmd.tradeDate === 'string' && cmd.tradeDate !== '') state.tradeDate = cmd.tradeDate;
    for (const book of state.instruments) this.transition(book, cmd.phase);
    const previous = state.venuePhase;
    if (previous === cmd.phase) return;
    state.venuePhase = cmd.phase;
    state.bus.emitPhase('', cmd.phase, previous);
  }

  /** A halted instrument resumed: the uncross it skipped when its call ended happens now. */
  resumed(book: InstrumentBook): void {
    if (!book.uncrossPending) return;
    book.uncrossPending = false;
    this.endCall(book, book.pendingCallPhase);
    if (book.phase === MarketPhase.Continuous) this.matcher.drainTriggers(book);
    else this.matcher.resetTradeRange();
  }

  /** One instrument into a phase: the uncross when a call ends, the held orders, the event, the indicative. */
  private transition(book: InstrumentBook, to: MarketPhase): void {
    const from = book.phase;
    if (from === to) return;
    const endsCall = isCallPhase(from) && !isCallPhase(to);
    if (endsCall) {
      if (book.status === TradingStatus.Halted) {
        book.uncrossPending = true;
        book.pendingCallPhase = from;
      } else {
        this.endCall(book, from);
      }
    }
    book.phase = to;
    this.state.callBooks += (isCallPhase(to) ? 1 : 0) - (isCallPhase(from) ? 1 : 0);
    if (to === MarketPhase.PreClose) this.releaseHeld(book);
    if (to === MarketPhase.Closed) this.expireQueue(book, book.heldForClose);
    this.state.bus.emitPhase(book.spec.symbol, to, from);
    if (isCallPhase(to)) this.refreshIndicative(book);
    else if (endsCall && to === MarketPhase.Continuous && !book.uncrossPending) this.matcher.drainTriggers(book);
    else this.matcher.resetTradeRange();
  }

  /** The uncross, then the end of the orders that lived only for this auction. */
  private endCall(book: InstrumentBook, from: MarketPhase): void {
    this.uncross(book);
    const auctionTif = from === MarketPhase.PreOpen ? TimeInForce.AtTheOpening : TimeInForce.AtTheClose;
    const due: Order[] = [];
    this.state.orders.forEach((o) => {
      if (o.instrument === book.index && o.route === '' && o.timeInForce === auctionTif && !o.pendingStop) due.push(o);
    });
    due.sort((a, b) => a.orderId - b.orderId);
    for (const o of due) takeOut(this.state, book, o, OrderStatus.Expired, CancelReason.UserRequest, '');
    for (const queue of [book.marketBids, book.marketAsks]) {
      while (queue.head !== null) takeOut(this.state, book, queue.head, OrderStatus.Cancelled, CancelReason.AuctionUnexecuted, '');
    }
    this.publishIndicative(book, 0, 0, 0);
  }

  /** Recomputes the indicative price of a book in a call and publishes it when it changed. */
  refreshIndicative(book: InstrumentBook): void {
    if (!isCallPhase(book.phase) || book.uncrossPending) return;
    const call = this.collect(book);
    const at = auctionPrice(call.bids, call.asks, book.referencePrice, book.spec.tickSize);
    this.publishIndicative(book, at.price, at.volume, at.imbalance);
  }

  /** refreshIndicative for every book in a call (commands that may touch any book). */
  refreshAll(): void {
    for (const book of this.state.instruments) if (isCallPhase(book.phase)) this.refreshIndicative(book);
  }

  private publishIndicative(book: InstrumentBook, price: number, volume: number, imbalance: number): void {
    if (book.indicativePrice === price && book.indicativeVolume === volume && book.indicativeImbalance === imbalance) return;
    book.indicativePrice = price;
    book.indicativeVolume = volume;
    book.indicativeImbalance = imbalance;
    this.state.bus.emitIndicative(book.spec.symbol, price, volume, imbalance);
  }

  private collect(book: InstrumentBook): CallOrders {
    const call: CallOrders = { bids: [], bidOrders: [], asks: [], askOrders: [] };
    const add = (o: Order): void => {
      const buy = o.side === Side.Buy;
      (buy ? call.bids : call.asks).push({ price: o.ordType === OrdType.Market ? 0 : o.price, qty: o.leavesQty, priority: o.priority });
      (buy ? call.bidOrders : call.askOrders).push(o);
    };
    for (let o = book.marketBids.head; o !== null; o = o.next) add(o);
    for (let o = book.marketAsks.head; o !== null; o = o.next) add(o);
    for (const side of [book.bids, book.asks]) {
      for (let i = side.levels.length - 1; i >= 0; i--) {
        for (let o = side.levels[i]!.head; o !== null; o = o.next) add(o);
      }
    }
    return call;
  }

  private uncross(book: InstrumentBook): void {
    const call = this.collect(book);
    const result = uncross(call.bids, call.asks, book.referencePrice, book.spec.tickSize);
    if (result.volume === 0) return;
    const state = this.state;
    const price = result.price;
    const touched: PriceLevel[] = [];
    const touchedSides: Side[] = [];
    for (const f of result.fills) {
      const bid = call.bidOrders[f.bid]!;
      const ask = call.askOrders[f.ask]!;
      for (const o of [bid, ask]) {
        const level = o.level!;
        if (level.price !== MARKET_QUEUE && !touched.includes(level)) {
          touched.push(level);
          touchedSides.push(o.side);
        }
        this.fill(level, o, f.qty, price);
      }
      // No aggressor in an auction: the earlier order is reported as the maker.
      const bidFirst = bid.priority < ask.priority;
      const maker = bidFirst ? bid : ask;
      const taker = bidFirst ? ask : bid;
      state.bus.emitTrade(++state.lastMatchId, book.spec.symbol, price, f.qty, taker.side, maker, taker, true);
      for (const o of [bid, ask]) {
        if (o.leavesQty > 0) continue;
        o.level!.remove(o);
        state.finish(o);
      }
    }
    for (let i = 0; i < touched.length; i++) {
      const level = touched[i]!;
      state.bus.emitBookDelta(book.spec.symbol, touchedSides[i]!, level.price, level.visibleQty, level.orderCount);
      if (level.orderCount === 0) book.sideOf(touchedSides[i]!).removeLevel(level);
    }
    book.lastPrice = price;
    book.updateBand();
    this.matcher.noteTrade(price);
  }

  /** One side of an auction fill. An iceberg shows a fresh slice from what is left, keeping its priority. */
  private fill(level: PriceLevel, o: Order, qty: number, price: number): void {
    const visibleBefore = o.visibleQty;
    o.cumQty += qty;
    o.leavesQty -= qty;
    o.cumNotional += price * qty;
    o.status = o.leavesQty === 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
    o.visibleQty = o.maxFloor > 0 && o.maxFloor < o.leavesQty ? o.maxFloor : o.leavesQty;
    level.totalQty -= qty;
    level.visibleQty += o.visibleQty - visibleBefore;
  }

  /** Entering the closing call: held At the Close orders join the book in their time priority. */
  private releaseHeld(book: InstrumentBook): void {
    const held = book.heldForClose;
    while (held.head !== null) {
      const o = held.head;
      held.remove(o);
      this.enterCall(book, o);
    }
  }

  /** Puts an order into a book in a call: market orders in the market queue, others at their price. */
  enterCall(book: InstrumentBook, order: Order): void {
    if (order.ordType === OrdType.Market) {
      order.visibleQty = order.leavesQty;
      book.marketQueueOf(order.side).append(order);
      return;
    }
    this.matcher.rest(book, order);
  }

  /** Holds an At the Close order until the closing call. */
  hold(book: InstrumentBook, order: Order): void {
    order.visibleQty = order.leavesQty;
    book.heldForClose.append(order);
  }

  private expireQueue(book: InstrumentBook, queue: PriceLevel): void {
    while (queue.head !== null) takeOut(this.state, book, queue.head, OrderStatus.Expired, CancelReason.UserRequest, '');
  }
}
