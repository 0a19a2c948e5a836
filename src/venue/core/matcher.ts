// Price-time matching. An incoming order (new, triggered stop, or re-priced by a replace) walks the
// opposite side from the best level down; inside a level, orders trade in queue order.
//
// Iceberg rule: only the visible slice of a resting iceberg trades. When the slice is used up and reserve
// remains, a new slice (MaxFloor, or the rest if smaller) is shown and the order moves to the back of its
// level with a new priority stamp; the incoming order then carries on with the next order in the queue.
// So hidden quantity trades only after all quantity that was visible ahead of the refreshed slice.
//
// Stop rule: a trade at price p triggers every buy stop with stopPx <= p and every sell stop with
// stopPx >= p. Stops triggered by the trades of one incoming order are entered after that order has
// finished, one at a time, in the order of their priority stamps (acceptance or last re-pricing); the
// trades of each may trigger more, which join the end of the queue (again ordered among themselves).
// A triggered order gets a fresh priority stamp: its time priority starts at the trigger.

import { CancelReason, OrderStatus, OrdType, Side, StpMode, TimeInForce } from '../model/enums.js';
import type { CoreState } from './core-state.js';
import type { InstrumentBook } from './instrument-book.js';
import type { BookSide } from './book-side.js';
import type { Order } from './order.js';
import type { PriceLevel } from './price-level.js';
import { emptyArray } from '../../shared/arrays.js';

function crosses(side: Side, levelPrice: number, limit: number): boolean {
  return side === Side.Buy ? levelPrice <= limit : levelPrice >= limit;
}

function byPriority(a: Order, b: Order): number {
  return a.priority - b.priority;
}

export class Matcher {
  private readonly state: CoreState;
  /** Price range of the trades since the last trigger check; low > high means "no trades". */
  private tradeLow = Number.POSITIVE_INFINITY;
  private tradeHigh = 0;
  private tradeCount = 0;
  private readonly triggerQueue: Order[] = [];
  private triggerHead = 0;
  private draining = false;

  constructor(state: CoreState) {
    this.state = state;
  }

  /** The worst price an order may trade at right now: its limit, or the band edge for a market order. */
  limitOf(book: InstrumentBook, side: Side, ordType: OrdType, price: number): number {
    if (ordType === OrdType.Market || ordType === OrdType.Stop) {
      return side === Side.Buy ? book.band.high : book.band.low;
    }
    return price;
  }

  /** Whether an order on `side` at `limit` would trade against the current book. */
  wouldCross(book: InstrumentBook, side: Side, limit: number): boolean {
    const best = book.oppositeOf(side).best();
    return best !== null && crosses(side, best.price, limit);
  }

  /**
   * How much an order could fill right now without changing anything (for FOK and MinQty), honouring
   * self-trade prevention the way matching would. Stops counting once `needed` is reached.
   */
  executable(book: InstrumentBook, side: Side, account: string, firm: string, limit: number, needed: number): number {
    const state = this.state;
    const mode = state.stpModeOf(account);
    const key = state.stpScopeFirm ? firm : account;
    const scopeFirm = state.stpScopeFirm;
    const levels = book.oppositeOf(side).levels;
    let remaining = needed;
    let filled = 0;
    for (let i = levels.length - 1; i >= 0; i--) {
      const level = levels[i]!;
      if (!crosses(side, level.price, limit)) break;
      for (let o = level.head; o !== null; o = o.next) {
        if (mode !== StpMode.None && (scopeFirm ? o.firm : o.account) === key) {
          if (mode === StpMode.CancelResting) continue;
          if (mode === StpMode.DecrementAndCancel) {
            if (o.leavesQty >= remaining) return filled;
            remaining -= o.leavesQty;
            continue;
          }
          return filled; // cancel aggressing / cancel both stop the incoming order here
        }
        const q = o.leavesQty < remaining ? o.leavesQty : remaining;
        filled += q;
        remaining -= q;
        if (remaining === 0) return filled;
      }
    }
    return filled;
  }

  /**
   * Enters a live, indexed order that is not in the book: matches it, then rests it or cancels the rest
   * according to its type and time in force. The order may be finished (and recycled) on return.
   */
  enter(book: InstrumentBook, order: Order): void {
    const limit = this.limitOf(book, order.side, order.ordType, order.price);
    if (order.timeInForce === TimeInForce.FOK) {
      const can = this.executable(book, order.side, order.account, order.firm, limit, order.leavesQty);
      if (can < order.leavesQty) {
        this.cancelUnbooked(order, CancelReason.FillOrKill);
        return;
      }
    }
    const opp = book.oppositeOf(order.side);
    if (this.wouldCross(book, order.side, limit)) {
      const tradesBefore = this.tradeCount;
      const alive = this.match(book, order, opp, limit);
      // The band follows the last price, but only between orders: an order's own limit never moves.
      if (this.tradeCount !== tradesBefore) book.updateBand();
      if (!alive) return; // the incoming order was cancelled by self-trade prevention
    }
    if (order.leavesQty === 0) {
      this.state.finish(order);
      return;
    }
    if (order.ordType === OrdType.Market || order.ordType === OrdType.Stop) {
      const blocked = opp.best() !== null;
      this.cancelUnbooked(order, blocked ? CancelReason.PriceBand : CancelReason.MarketNoLiquidity);
    } else if (order.timeInForce === TimeInForce.IOC) {
      this.cancelUnbooked(order, CancelReason.ImmediateOrCancel);
    } else if (order.timeInForce === TimeInForce.FOK) {
      this.cancelUnbooked(order, CancelReason.FillOrKill);
    } else {
      this.rest(book, order);
    }
  }

  /** Puts an order at the back of its price level. */
  rest(book: InstrumentBook, order: Order): void {
    order.visibleQty = order.maxFloor > 0 && order.maxFloor < order.leavesQty ? order.maxFloor : order.leavesQty;
    const side = book.sideOf(order.side);
    const level = side.add(order);
    this.state.bus.emitBookDelta(book.spec.symbol, order.side, level.price, level.visibleQty, level.orderCount);
  }

  /**
   * Triggers a stop order now (its condition already holds on entry or after a replace) and drains the
   * cascade it may start.
   */
  triggerNow(book: InstrumentBook, order: Order): void {
    this.triggerQueue.push(order);
    this.drainTriggers(book);
  }

  /** Whether the last trade price already satisfies the stop's condition. */
  isTriggeredByLast(book: InstrumentBook, order: Order): boolean {
    const last = book.lastPrice;
    if (last === 0) return false;
    return order.side === Side.Buy ? last >= order.stopPx : last <= order.stopPx;
  }

  /** After a command's own matching: enters every stop its trades triggered, and those theirs triggered. */
  drainTriggers(book: InstrumentBook): void {
    if (this.tradeLow > this.tradeHigh && this.triggerQueue.length === 0) return; // nothing traded, nothing queued
    if (this.draining) return;
    this.draining = true;
    const queue = this.triggerQueue;
    this.collectTriggered(book);
    while (this.triggerHead < queue.length) {
      const order = queue[this.triggerHead++]!;
      this.trigger(book, order);
      this.collectTriggered(book);
    }
    emptyArray(queue);
    this.triggerHead = 0;
    this.draining = false;
  }

  /** An auction uncross traded at price: stops see it like any trade. */
  noteTrade(price: number): void {
    this.tradeCount++;
    if (price < this.tradeLow) this.tradeLow = price;
    if (price > this.tradeHigh) this.tradeHigh = price;
  }

  /** Forgets trades seen so far (start of a command). */
  resetTradeRange(): void {
    this.tradeLow = Number.POSITIVE_INFINITY;
    this.tradeHigh = 0;
  }

  private trigger(book: InstrumentBook, order: Order): void {
    const state = this.state;
    order.triggered = true;
    order.priority = ++state.lastPriority;
    state.bus.emitTriggered(order);
    if (order.ordType === OrdType.StopLimit && (order.price < book.band.low || order.price > book.band.high)) {
      this.cancelUnbooked(order, CancelReason.PriceBand);
      return;
    }
    this.enter(book, order);
  }

  private collectTriggered(book: InstrumentBook): void {
    if (this.tradeLow > this.tradeHigh) return;
    const low = this.tradeLow;
    const high = this.tradeHigh;
    this.resetTradeRange();
    if (book.stops.size === 0) return;
    const queue = this.triggerQueue;
    const start = queue.length;
    const added = book.stops.collect(low, high, queue);
    if (added > 1) {
      const fresh = queue.splice(start, added).sort(byPriority);
      for (const o of fresh) queue.push(o);
    }
  }

  /** Matches level after level. Returns false when self-trade prevention cancelled the incoming order. */
  private match(book: InstrumentBook, order: Order, opp: BookSide, limit: number): boolean {
    const state = this.state;
    const mode = state.stpModeOf(order.account);
    const key = state.stpScopeFirm ? order.firm : order.account;
    const bus = state.bus;
    const symbol = book.spec.symbol;
    while (order.leavesQty > 0) {
      const level = opp.best();
      if (level === null || !crosses(order.side, level.price, limit)) break;
      const alive = this.matchLevel(book, order, level, mode, key);
      bus.emitBookDelta(symbol, opp.side, level.price, level.visibleQty, level.orderCount);
      if (level.orderCount === 0) opp.removeLevel(level);
      if (!alive) return false;
    }
    return true;
  }

  private matchLevel(book: InstrumentBook, order: Order, level: PriceLevel, mode: StpMode, key: string): boolean {
    const state = this.state;
    const scopeFirm = state.stpScopeFirm;
    let maker = level.head;
    while (maker !== null && order.leavesQty > 0) {
      if (mode !== StpMode.None && (scopeFirm ? maker.firm : maker.account) === key) {
        const next = maker.next;
        switch (mode) {
          case StpMode.CancelResting:
            this.cancelResting(level, maker, CancelReason.SelfTrade, '');
            maker = next;
            continue;
          case StpMode.CancelAggressing:
            this.cancelUnbooked(order, CancelReason.SelfTrade);
            return false;
          case StpMode.CancelBoth:
            this.cancelResting(level, maker, CancelReason.SelfTrade, '');
            this.cancelUnbooked(order, CancelReason.SelfTrade);
            return false;
          default: {
            // Decrement and cancel: the smaller is cancelled, the larger reduced by it; equal cancels both.
            const resting = maker.leavesQty;
            const incoming = order.leavesQty;
            if (resting <= incoming) {
              this.cancelResting(level, maker, CancelReason.SelfTrade, '');
              if (resting === incoming) {
                this.cancelUnbooked(order, CancelReason.SelfTrade);
                return false;
              }
              this.decrement(order, resting);
              maker = next;
              continue;
            }
            this.decrementResting(level, maker, incoming);
            this.cancelUnbooked(order, CancelReason.SelfTrade);
            return false;
          }
        }
      }
      const qty = order.leavesQty < maker.visibleQty ? order.leavesQty : maker.visibleQty;
      this.fill(book, level, maker, order, qty);
      if (maker.leavesQty === 0) {
        const next = maker.next;
        level.remove(maker);
        state.finish(maker);
        maker = next;
      } else if (maker.visibleQty === 0) {
        this.refreshIceberg(level, maker);
        maker = level.head;
      }
    }
    return true;
  }

  private fill(book: InstrumentBook, level: PriceLevel, maker: Order, taker: Order, qty: number): void {
    const price = level.price;
    const notional = price * qty;
    maker.cumQty += qty;
    maker.leavesQty -= qty;
    maker.visibleQty -= qty;
    maker.cumNotional += notional;
    maker.status = maker.leavesQty === 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
    level.visibleQty -= qty;
    level.totalQty -= qty;
    taker.cumQty += qty;
    taker.leavesQty -= qty;
    taker.cumNotional += notional;
    taker.status = taker.leavesQty === 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled;
    book.lastPrice = price;
    this.tradeCount++;
    if (price < this.tradeLow) this.tradeLow = price;
    if (price > this.tradeHigh) this.tradeHigh = price;
    const state = this.state;
    state.bus.emitTrade(++state.lastMatchId, book.spec.symbol, price, qty, taker.side, maker, taker);
  }

  private refreshIceberg(level: PriceLevel, maker: Order): void {
    level.remove(maker);
    maker.visibleQty = maker.maxFloor < maker.leavesQty ? maker.maxFloor : maker.leavesQty;
    maker.priority = ++this.state.lastPriority;
    level.append(maker);
    this.state.bus.emitRestated(maker, 'iceberg-refresh');
  }

  /** Self-trade decrement of the incoming order (OrderQty restated down). */
  private decrement(order: Order, qty: number): void {
    order.qty -= qty;
    order.leavesQty -= qty;
    order.decrementedQty += qty;
    this.state.bus.emitRestated(order, 'self-trade-decrement');
  }

  private decrementResting(level: PriceLevel, maker: Order, qty: number): void {
    const visibleBefore = maker.visibleQty;
    maker.qty -= qty;
    maker.leavesQty -= qty;
    maker.decrementedQty += qty;
    if (maker.visibleQty > maker.leavesQty) maker.visibleQty = maker.leavesQty;
    level.totalQty -= qty;
    level.visibleQty -= visibleBefore - maker.visibleQty;
    this.state.bus.emitRestated(maker, 'self-trade-decrement');
  }

  /** Cancels a resting order inside a level being matched (the caller emits the level's delta). */
  private cancelResting(level: PriceLevel, maker: Order, reason: CancelReason, requestId: string): void {
    level.remove(maker);
    maker.leavesQty = 0;
    maker.visibleQty = 0;
    maker.status = OrderStatus.Cancelled;
    this.state.bus.emitCancelled(maker, reason, requestId);
    this.state.finish(maker);
  }

  /** Cancels the rest of an order that is not in the book (an incoming order) and recycles it. */
  cancelUnbooked(order: Order, reason: CancelReason): void {
    order.leavesQty = 0;
    order.visibleQty = 0;
    order.status = OrderStatus.Cancelled;
    this.state.bus.emitCancelled(order, reason, '');
    this.state.finish(order);
  }
}
