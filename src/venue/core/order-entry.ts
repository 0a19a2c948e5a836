// Order entry: new orders, cancels and cancel/replaces. Validation first (nothing changes on a reject),
// then the book work through the matcher.

import type { CancelCommand, NewOrderCommand, ReplaceCommand } from '../model/commands.js';
import { CancelReason, isCallPhase, MarketPhase, OrderStatus, OrdType, RejectReason, TimeInForce, TradingStatus } from '../model/enums.js';
import type { AuctionCall } from './auction-call.js';
import type { OrderView } from '../model/events.js';
import { clOrdIdHash } from './clordid-index.js';
import type { CoreState } from './core-state.js';
import type { InstrumentBook } from './instrument-book.js';
import type { Matcher } from './matcher.js';
import type { Order } from './order.js';
import type { PriceLevel } from './price-level.js';
import { emitLevelAfterRemoval, takeOut } from './take-out.js';
import { hasLimitPrice, hasStopPrice } from '../model/order-types.js';
import { checkInBand, validateNewOrder, validateReplace, type Rejection } from './validation.js';
import { phaseAllows } from './phase-rules.js';

export class OrderEntry {
  private readonly state: CoreState;
  private readonly matcher: Matcher;
  private readonly rejection: Rejection = { reason: RejectReason.Other, text: '' };

  private readonly auction: AuctionCall;

  constructor(state: CoreState, matcher: Matcher, auction: AuctionCall) {
    this.state = state;
    this.matcher = matcher;
    this.auction = auction;
  }

  newOrder(cmd: NewOrderCommand): void {
    const state = this.state;
    const book = state.bySymbol.get(cmd.symbol);
    if (book === undefined) return this.rejectOrder(cmd, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
    if (book.status !== TradingStatus.Open) return this.rejectClosed(cmd, book, null);
    if (typeof cmd.session !== 'string' || cmd.session.length === 0) return this.rejectOrder(cmd, RejectReason.Other, 'session is missing', null);
    const clHash = typeof cmd.clOrdId === 'string' ? clOrdIdHash(cmd.session, cmd.clOrdId) : 0;
    if (state.clOrdIds.find(clHash, cmd.session, cmd.clOrdId) !== undefined || state.routed.isReserved(cmd.session, cmd.clOrdId)) {
      return this.rejectOrder(cmd, RejectReason.DuplicateClOrdId, `ClOrdID ${cmd.clOrdId} is already live on this session`, null);
    }
    const r = this.rejection;
    if (!validateNewOrder(book, cmd, r)) return this.rejectOrder(cmd, r.reason, r.text, null);
    // A routed order is judged by its external venue, not by this book.
    const route = typeof cmd.route === 'string' ? cmd.route : '';
    if (route === '' && !phaseAllows(book.phase, cmd, r)) return this.rejectOrder(cmd, r.reason, r.text, null);
    const inCall = route === '' && isCallPhase(book.phase);
    const matcher = this.matcher;
    const limit = matcher.limitOf(book, cmd.side, cmd.ordType, cmd.price);
    if (route === '' && !inCall && cmd.postOnly && matcher.wouldCross(book, cmd.side, limit)) {
      return this.rejectOrder(cmd, RejectReason.WouldTakeLiquidity, 'post-only order would take liquidity', null);
    }
    if (route === '' && !inCall && cmd.minQty > 0 && matcher.executable(book, cmd.side, cmd.account, cmd.firm, limit, cmd.minQty) < cmd.minQty) {
      return this.rejectOrder(cmd, RejectReason.MinQtyNotMet, `less than MinQty ${cmd.minQty} can be filled on entry`, null);
    }

    const order = state.pool.acquire();
    order.orderId = ++state.lastOrderId;
    order.session = cmd.session;
    order.firm = cmd.firm;
    order.account = cmd.account;
    order.clOrdId = cmd.clOrdId;
    order.symbol = book.spec.symbol;
    order.instrument = book.index;
    order.side = cmd.side;
    order.ordType = cmd.ordType;
    order.timeInForce = cmd.timeInForce;
    order.price = hasLimitPrice(cmd.ordType) ? cmd.price : 0;
    order.stopPx = hasStopPrice(cmd.ordType) ? cmd.stopPx : 0;
    order.qty = cmd.qty;
    order.leavesQty = cmd.qty;
    order.maxFloor = cmd.maxFloor;
    order.minQty = cmd.minQty;
    order.postOnly = cmd.postOnly;
    order.expireTime = cmd.timeInForce === TimeInForce.GTD ? cmd.expireTime : 0;
    order.time = cmd.time;
    order.status = OrderStatus.New;
    order.priority = ++state.lastPriority;
    state.index(order, clHash);
    if (route !== '') return state.routed.accept(order, route);
    state.bus.emitAccepted(order);

    if (cmd.ordType === OrdType.Stop || cmd.ordType === OrdType.StopLimit) {
      if (!inCall && matcher.isTriggeredByLast(book, order)) matcher.triggerNow(book, order);
      else book.stops.add(order);
      return;
    }
    if (inCall) return this.auction.enterCall(book, order);
    if (order.timeInForce === TimeInForce.AtTheClose) return this.auction.hold(book, order);
    matcher.enter(book, order);
    matcher.drainTriggers(book);
  }

  cancel(cmd: CancelCommand): void {
    const book = this.state.bySymbol.get(cmd.symbol);
    if (book === undefined) return this.rejectAmend(cmd, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
    const order = this.findLive(cmd);
    if (order === null) return this.rejectAmend(cmd, RejectReason.UnknownOrder, this.notFoundText(cmd), null);
    if (order.symbol !== cmd.symbol || order.side !== cmd.side) {
      return this.rejectAmend(cmd, RejectReason.UnknownOrder, 'symbol or side does not match the order', order);
    }
    if (cmd.clOrdId !== order.clOrdId && this.state.clOrdIds.has(cmd.session, cmd.clOrdId)) {
      return this.rejectAmend(cmd, RejectReason.DuplicateClOrdId, `ClOrdID ${cmd.clOrdId} is already live on this session`, order);
    }
    if (order.route !== '') return this.state.routed.requestCancel(order, cmd);
    takeOut(this.state, book, order, OrderStatus.Cancelled, CancelReason.UserRequest, cmd.clOrdId);
  }

  replace(cmd: ReplaceCommand): void {
    const state = this.state;
    const book = state.bySymbol.get(cmd.symbol);
    if (book === undefined) return this.rejectAmend(cmd, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
    const order = this.findLive(cmd);
    if (order === null) return this.rejectAmend(cmd, RejectReason.UnknownOrder, this.notFoundText(cmd), null);
    if (book.status !== TradingStatus.Open) return this.rejectClosed(cmd, book, order);
    if (order.route === '' && book.phase === MarketPhase.Closed) {
      return this.rejectAmend(cmd, RejectReason.InstrumentClosed, `${book.spec.symbol}: the market is closed (replaces are accepted from the pre-open)`, order);
    }
    if (order.symbol !== cmd.symbol || order.side !== cmd.side) {
      return this.rejectAmend(cmd, RejectReason.UnknownOrder, 'symbol or side does not match the order', order);
    }
    const clOrdIds = state.clOrdIds;
    const newHash = typeof cmd.clOrdId === 'string' ? clOrdIdHash(order.session, cmd.clOrdId) : 0;
    if (
      clOrdIds.find(newHash, order.session, cmd.clOrdId) !== undefined ||
      (cmd.session !== order.session && clOrdIds.has(cmd.session, cmd.clOrdId)) ||
      state.routed.isReserved(order.session, cmd.clOrdId)
    ) {
      return this.rejectAmend(cmd, RejectReason.DuplicateClOrdId, `ClOrdID ${cmd.clOrdId} is already live on this session`, order);
    }
    const r = this.rejection;
    if (!validateReplace(book, cmd, order.ordType, order.timeInForce, order.postOnly, order.cumQty, r)) return this.rejectAmend(cmd, r.reason, r.text, order);
    const priceChanged = hasLimitPrice(order.ordType) && cmd.price !== order.price;
    const matcher = this.matcher;
    const inCall = order.route === '' && isCallPhase(book.phase);
    if (!order.pendingStop) {
      // A new price for a resting order (a limit, or a triggered stop-limit) must be inside the band.
      if (priceChanged && !checkInBand(book, cmd.price, r)) return this.rejectAmend(cmd, r.reason, r.text, order);
      if (order.route === '' && !inCall && order.postOnly && priceChanged && matcher.wouldCross(book, order.side, cmd.price)) {
        return this.rejectAmend(cmd, RejectReason.WouldTakeLiquidity, 'post-only order would take liquidity at the new price', order);
      }
    }
    if (order.route !== '') return state.routed.requestReplace(order, cmd);

    // Accepted: the order takes the new ClOrdID.
    clOrdIds.remove(order);
    order.origClOrdId = order.clOrdId;
    order.clOrdId = cmd.clOrdId;
    clOrdIds.add(order, newHash);
    if (order.timeInForce === TimeInForce.GTD) state.gtd.delete(order.orderId);
    order.timeInForce = cmd.timeInForce;
    order.expireTime = cmd.timeInForce === TimeInForce.GTD ? cmd.expireTime : 0;
    if (order.timeInForce === TimeInForce.GTD) state.gtd.set(order.orderId, order);

    if (cmd.qty <= order.cumQty) {
      this.replaceToFilled(book, order);
      return;
    }
    const stopChanged = hasStopPrice(order.ordType) && !order.triggered && cmd.stopPx !== order.stopPx;
    const qtyUp = cmd.qty > order.qty;
    const showsMore = order.maxFloor !== 0 && (cmd.maxFloor === 0 || cmd.maxFloor > order.maxFloor);
    const keep = !priceChanged && !stopChanged && !qtyUp && !showsMore;
    if (order.pendingStop) {
      book.stops.remove(order);
      this.setReplacedQuantities(order, cmd);
      if (hasLimitPrice(order.ordType)) order.price = cmd.price;
      if (stopChanged) order.stopPx = cmd.stopPx;
      if (!keep) order.priority = ++state.lastPriority;
      state.bus.emitReplaced(order, keep);
      if (!inCall && matcher.isTriggeredByLast(book, order)) matcher.triggerNow(book, order);
      else book.stops.add(order);
      return;
    }
    const level = order.level!;
    if (level.price <= 0) return this.replaceQueued(order, level, cmd, keep);
    const side = book.sideOf(order.side);
    if (keep) {
      const visibleBefore = order.visibleQty;
      const leavesBefore = order.leavesQty;
      this.setReplacedQuantities(order, cmd);
      let visible = order.maxFloor > 0 ? Math.min(visibleBefore, order.maxFloor) : order.leavesQty;
      if (visible > order.leavesQty) visible = order.leavesQty;
      order.visibleQty = visible;
      level.visibleQty += visible - visibleBefore;
      level.totalQty += order.leavesQty - leavesBefore;
      state.bus.emitReplaced(order, true);
      state.bus.emitBookDelta(book.spec.symbol, order.side, level.price, level.visibleQty, level.orderCount);
      return;
    }
    level.remove(order);
    this.setReplacedQuantities(order, cmd);
    if (hasLimitPrice(order.ordType)) order.price = cmd.price;
    order.priority = ++state.lastPriority;
    state.bus.emitReplaced(order, false);
    state.bus.emitBookDelta(book.spec.symbol, order.side, level.price, level.visibleQty, level.orderCount);
    if (level.orderCount === 0) side.removeLevel(level);
    if (inCall) return matcher.rest(book, order);
    matcher.enter(book, order);
    matcher.drainTriggers(book);
  }

  /**
   * A replace of an order outside the ladder (a call's market order, a held At the Close order): new
   * quantities and price; an order that loses priority goes to the back of its queue. Nothing is published.
   */
  private replaceQueued(order: Order, queue: PriceLevel, cmd: ReplaceCommand, keep: boolean): void {
    const visibleBefore = order.visibleQty;
    const leavesBefore = order.leavesQty;
    if (!keep) queue.remove(order);
    this.setReplacedQuantities(order, cmd);
    if (hasLimitPrice(order.ordType)) order.price = cmd.price;
    order.visibleQty = order.leavesQty;
    if (keep) {
      queue.visibleQty += order.visibleQty - visibleBefore;
      queue.totalQty += order.leavesQty - leavesBefore;
    } else {
      order.priority = ++this.state.lastPriority;
      queue.append(order);
    }
    this.state.bus.emitReplaced(order, keep);
  }

  private setReplacedQuantities(order: Order, cmd: ReplaceCommand): void {
    order.qty = cmd.qty;
    order.leavesQty = cmd.qty - order.cumQty;
    order.maxFloor = cmd.maxFloor;
    order.status = order.cumQty > 0 ? OrderStatus.PartiallyFilled : OrderStatus.New;
  }

  /** Replaced to a quantity at or below what has filled: the order is complete at its filled quantity. */
  private replaceToFilled(book: InstrumentBook, order: Order): void {
    const level = order.level;
    if (order.pendingStop) book.stops.remove(order);
    else if (level !== null) level.remove(order);
    order.qty = order.cumQty;
    order.leavesQty = 0;
    order.visibleQty = 0;
    order.status = OrderStatus.Filled;
    this.state.bus.emitReplaced(order, false);
    if (level !== null) emitLevelAfterRemoval(this.state, book, order.side, level);
    this.state.finish(order);
  }

  /** The live order a cancel or replace refers to: by OrderID (same firm) when given, else by OrigClOrdID. */
  private findLive(cmd: CancelCommand | ReplaceCommand): Order | null {
    const state = this.state;
    if (cmd.orderId > 0) {
      const order = state.orders.get(cmd.orderId);
      return order !== undefined && order.firm === cmd.firm ? order : null;
    }
    const order = state.clOrdIds.get(cmd.session, cmd.origClOrdId);
    return order === undefined ? null : order;
  }

  private notFoundText(cmd: CancelCommand | ReplaceCommand): string {
    return cmd.orderId > 0
      ? `order ${cmd.orderId} is not live for firm ${cmd.firm}`
      : `no live order with ClOrdID ${cmd.origClOrdId} on this session`;
  }

  private rejectOrder(cmd: NewOrderCommand, reason: RejectReason, text: string, order: OrderView | null): void {
    this.state.bus.emitRejected('new', cmd.session, cmd.firm, cmd.account, cmd.clOrdId, '', cmd.symbol, cmd.side, reason, text, order);
  }

  private rejectAmend(cmd: CancelCommand | ReplaceCommand, reason: RejectReason, text: string, order: OrderView | null): void {
    this.state.bus.emitRejected(cmd.type, cmd.session, cmd.firm, cmd.account, cmd.clOrdId, cmd.origClOrdId, cmd.symbol, cmd.side, reason, text, order);
  }

  private rejectClosed(cmd: NewOrderCommand | ReplaceCommand, book: InstrumentBook, order: OrderView | null): void {
    const halted = book.status === TradingStatus.Halted;
    const reason = halted ? RejectReason.InstrumentHalted : RejectReason.InstrumentClosed;
    const text = `${book.spec.symbol} is ${halted ? 'halted' : 'closed'}`;
    if (cmd.type === 'new') this.rejectOrder(cmd, reason, text, order);
    else this.rejectAmend(cmd, reason, text, order);
  }
}
