// The venue core: applies commands one at a time, synchronously and deterministically, and emits events.
// No I/O, no clock, no randomness: the same commands always produce the same events, ids and books,
// which is what lets the journal rebuild the state after a crash.

import type { VenueConfig } from '../config.js';
import type {
  CancelCommand,
  EndOfDayCommand,
  MassCancelCommand,
  NewOrderCommand,
  RejectCommand,
  ReplaceCommand,
  SetStpModeCommand,
  TimeCommand,
  TradingStatusCommand,
  VenueCommand,
} from '../model/commands.js';
import {
  CancelReason,
  OrderStatus,
  OrdType,
  RejectReason,
  Side,
  StpMode,
  TimeInForce,
  TradingStatus,
} from '../model/enums.js';
import type { OrderView, RejectedEvent, VenueEventListener } from '../model/events.js';
import { clOrdIdHash } from './clordid-index.js';
import { CoreState } from './core-state.js';
import type { InstrumentBook } from './instrument-book.js';
import { Matcher } from './matcher.js';
import type { Order } from './order.js';
import { VenueQueries } from './queries.js';
import { exportCore, restoreCore, type CoreSnapshot } from './state-snapshot.js';
import { checkInBand, hasLimitPrice, hasStopPrice, validateNewOrder, validateReplace, type Rejection } from './validation.js';

const MASS_CANCEL_REASON: Record<MassCancelCommand['reason'], CancelReason> = {
  user: CancelReason.MassCancel,
  ops: CancelReason.MassCancel,
  disconnect: CancelReason.Disconnect,
  'kill-switch': CancelReason.KillSwitch,
};

export class Venue extends VenueQueries {
  private readonly matcher: Matcher;
  private readonly rejection: Rejection = { reason: RejectReason.Other, text: '' };
  private applying = false;

  constructor(config: VenueConfig) {
    const state = new CoreState(config);
    super(state);
    this.matcher = new Matcher(state);
  }

  /** A venue rebuilt from a snapshot taken by exportState() under the same instrument configuration. */
  static fromState(config: VenueConfig, snapshot: CoreSnapshot): Venue {
    const venue = new Venue(config);
    restoreCore(venue.state, snapshot);
    return venue;
  }

  /** Plain data describing the whole core (JSON-safe): counters, instruments, STP settings, live orders. */
  exportState(): CoreSnapshot {
    return exportCore(this.state);
  }

  /** Sequence number of the last command applied. */
  get commandSeq(): number {
    return this.state.commandSeq;
  }

  /** Sequence number of the last event emitted. */
  get eventSeq(): number {
    return this.state.bus.seq;
  }

  /** Number of errors thrown by listeners so far (they never stop the core). */
  get listenerErrors(): number {
    return this.state.listenerErrors;
  }

  /** Listeners are called synchronously, in order, with reused event objects: copy what you keep. */
  subscribe(listener: VenueEventListener): () => void {
    return this.state.bus.subscribe(listener);
  }

  /**
   * Applies one command and emits its events before returning. Returns the command's sequence number.
   * Must not be called from inside a listener (the core is in the middle of a command then).
   */
  apply(cmd: VenueCommand): number {
    if (this.applying) throw new Error('Venue.apply called from inside an event listener');
    this.applying = true;
    const state = this.state;
    const seq = ++state.commandSeq;
    state.bus.commandSeq = seq;
    state.bus.time = cmd.time;
    this.matcher.resetTradeRange();
    try {
      switch (cmd.type) {
        case 'new': this.newOrder(cmd); break;
        case 'cancel': this.cancel(cmd); break;
        case 'replace': this.replace(cmd); break;
        case 'massCancel': this.massCancel(cmd); break;
        case 'halt':
        case 'resume': this.tradingStatus(cmd); break;
        case 'time': this.expireGtd(cmd); break;
        case 'endOfDay': this.endOfDay(cmd); break;
        case 'setStp': this.setStp(cmd); break;
        case 'reject': this.refusal(cmd); break;
        default: this.unknownCommand(cmd); break;
      }
    } finally {
      this.applying = false;
    }
    return seq;
  }

  // ---------------------------------------------------------------- new order

  private newOrder(cmd: NewOrderCommand): void {
    const state = this.state;
    const book = state.bySymbol.get(cmd.symbol);
    if (book === undefined) return this.rejectOrder(cmd, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
    if (book.status !== TradingStatus.Open) return this.rejectClosed(cmd, book, null);
    if (typeof cmd.session !== 'string' || cmd.session.length === 0) return this.rejectOrder(cmd, RejectReason.Other, 'session is missing', null);
    const clHash = typeof cmd.clOrdId === 'string' ? clOrdIdHash(cmd.session, cmd.clOrdId) : 0;
    if (state.clOrdIds.find(clHash, cmd.session, cmd.clOrdId) !== undefined) {
      return this.rejectOrder(cmd, RejectReason.DuplicateClOrdId, `ClOrdID ${cmd.clOrdId} is already live on this session`, null);
    }
    const r = this.rejection;
    if (!validateNewOrder(book, cmd, r)) return this.rejectOrder(cmd, r.reason, r.text, null);
    const matcher = this.matcher;
    const limit = matcher.limitOf(book, cmd.side, cmd.ordType, cmd.price);
    if (cmd.postOnly && matcher.wouldCross(book, cmd.side, limit)) {
      return this.rejectOrder(cmd, RejectReason.WouldTakeLiquidity, 'post-only order would take liquidity', null);
    }
    if (cmd.minQty > 0 && matcher.executable(book, cmd.side, cmd.account, cmd.firm, limit, cmd.minQty) < cmd.minQty) {
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
    state.bus.emitAccepted(order);

    if (cmd.ordType === OrdType.Stop || cmd.ordType === OrdType.StopLimit) {
      if (matcher.isTriggeredByLast(book, order)) matcher.triggerNow(book, order);
      else book.stops.add(order);
      return;
    }
    matcher.enter(book, order);
    matcher.drainTriggers(book);
  }

  // ---------------------------------------------------------------- cancel

  private cancel(cmd: CancelCommand): void {
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
    this.takeOut(book, order, OrderStatus.Cancelled, CancelReason.UserRequest, cmd.clOrdId);
  }

  // ---------------------------------------------------------------- cancel/replace

  private replace(cmd: ReplaceCommand): void {
    const state = this.state;
    const book = state.bySymbol.get(cmd.symbol);
    if (book === undefined) return this.rejectAmend(cmd, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
    const order = this.findLive(cmd);
    if (order === null) return this.rejectAmend(cmd, RejectReason.UnknownOrder, this.notFoundText(cmd), null);
    if (book.status !== TradingStatus.Open) return this.rejectClosed(cmd, book, order);
    if (order.symbol !== cmd.symbol || order.side !== cmd.side) {
      return this.rejectAmend(cmd, RejectReason.UnknownOrder, 'symbol or side does not match the order', order);
    }
    const clOrdIds = state.clOrdIds;
    const newHash = typeof cmd.clOrdId === 'string' ? clOrdIdHash(order.session, cmd.clOrdId) : 0;
    if (clOrdIds.find(newHash, order.session, cmd.clOrdId) !== undefined || (cmd.session !== order.session && clOrdIds.has(cmd.session, cmd.clOrdId))) {
      return this.rejectAmend(cmd, RejectReason.DuplicateClOrdId, `ClOrdID ${cmd.clOrdId} is already live on this session`, order);
    }
    const r = this.rejection;
    if (!validateReplace(book, cmd, order.ordType, order.postOnly, order.cumQty, r)) return this.rejectAmend(cmd, r.reason, r.text, order);
    const priceChanged = hasLimitPrice(order.ordType) && cmd.price !== order.price;
    const matcher = this.matcher;
    if (!order.pendingStop) {
      // A new price for a resting order (a limit, or a triggered stop-limit) must be inside the band.
      if (priceChanged && !checkInBand(book, cmd.price, r)) return this.rejectAmend(cmd, r.reason, r.text, order);
      if (order.postOnly && priceChanged && matcher.wouldCross(book, order.side, cmd.price)) {
        return this.rejectAmend(cmd, RejectReason.WouldTakeLiquidity, 'post-only order would take liquidity at the new price', order);
      }
    }

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
      if (matcher.isTriggeredByLast(book, order)) matcher.triggerNow(book, order);
      else book.stops.add(order);
      return;
    }
    const level = order.level!;
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
    matcher.enter(book, order);
    matcher.drainTriggers(book);
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
    if (level !== null) this.emitLevelAfterRemoval(book, order.side, level);
    this.state.finish(order);
  }

  // ---------------------------------------------------------------- mass cancel, halt, time, STP

  private massCancel(cmd: MassCancelCommand): void {
    const state = this.state;
    let only: InstrumentBook | null = null;
    if (cmd.symbol !== '' && cmd.symbol !== undefined) {
      only = state.bySymbol.get(cmd.symbol) ?? null;
      if (only === null) {
        state.bus.emitRejected('massCancel', cmd.requestedBy, cmd.firm, cmd.account, cmd.requestId, '', cmd.symbol, Side.Buy,
          RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
        return;
      }
    }
    const reason = MASS_CANCEL_REASON[cmd.reason] ?? CancelReason.MassCancel;
    let count = 0;
    for (const order of state.liveOrdersById()) {
      if (only !== null && order.instrument !== only.index) continue;
      if (cmd.firm && order.firm !== cmd.firm) continue;
      if (cmd.account && order.account !== cmd.account) continue;
      if (cmd.session && order.session !== cmd.session) continue;
      if (cmd.side && order.side !== cmd.side) continue;
      this.takeOut(state.instruments[order.instrument]!, order, OrderStatus.Cancelled, reason, cmd.requestId);
      count++;
    }
    state.bus.emitMassCancelDone(cmd.requestedBy, cmd.requestId, count);
  }

  private tradingStatus(cmd: TradingStatusCommand): void {
    const book = this.state.bySymbol.get(cmd.symbol);
    if (book === undefined) {
      this.state.bus.emitRejected(cmd.type, '', '', '', '', '', cmd.symbol, Side.Buy, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
      return;
    }
    book.status = cmd.type === 'halt' ? TradingStatus.Halted : TradingStatus.Open;
    this.state.bus.emitTradingStatus(book.spec.symbol, book.status, cmd.reason ?? '');
  }

  private expireGtd(cmd: TimeCommand): void {
    const due: Order[] = [];
    for (const order of this.state.gtd.values()) if (order.expireTime <= cmd.time) due.push(order);
    this.expireAll(due);
  }

  private endOfDay(_cmd: EndOfDayCommand): void {
    const due: Order[] = [];
    this.state.orders.forEach((order) => {
      if (order.timeInForce === TimeInForce.Day) due.push(order);
    });
    this.expireAll(due);
  }

  private expireAll(due: Order[]): void {
    due.sort((a, b) => a.orderId - b.orderId);
    for (const order of due) {
      this.takeOut(this.state.instruments[order.instrument]!, order, OrderStatus.Expired, CancelReason.UserRequest, '');
    }
  }

  private setStp(cmd: SetStpModeCommand): void {
    const mode = cmd.mode;
    const valid = mode === StpMode.None || mode === StpMode.CancelResting || mode === StpMode.CancelAggressing ||
      mode === StpMode.CancelBoth || mode === StpMode.DecrementAndCancel;
    if (!valid || typeof cmd.account !== 'string' || cmd.account.length === 0) {
      this.state.bus.emitRejected('setStp', '', '', String(cmd.account), '', '', '', Side.Buy, RejectReason.Unsupported,
        `invalid self-trade prevention setting: account ${String(cmd.account)}, mode ${String(mode)}`, null);
      return;
    }
    this.state.stpAccounts.set(cmd.account, mode);
  }

  /**
   * A request refused before the book (gateway checks, pre-trade risk). Journaled like any command so the
   * refusal has its own event seq (its ExecID) and replays identically; the core only reports it, with the
   * live order when a cancel/replace names one.
   */
  private refusal(cmd: RejectCommand): void {
    const command = cmd.command === 'cancel' || cmd.command === 'replace' ? cmd.command : 'new';
    const order = command === 'new' ? null : this.state.clOrdIds.get(cmd.session, cmd.origClOrdId) ?? null;
    const side = cmd.side === Side.Buy || cmd.side === Side.Sell ? cmd.side : 0;
    const code = (n: number): number => (Number.isSafeInteger(n) && n >= 0 ? n : -1);
    this.state.bus.emitRejected(command, cmd.session, cmd.firm, cmd.account, cmd.clOrdId, cmd.origClOrdId, cmd.symbol, side,
      cmd.reason, cmd.text, order, typeof cmd.sideCode === 'string' ? cmd.sideCode : '', code(cmd.ordRejReason), code(cmd.cxlRejReason));
  }

  private unknownCommand(cmd: never): void {
    const type = (cmd as { type?: unknown }).type;
    this.state.bus.emitRejected(String(type) as RejectedEvent['command'], '', '', '', '', '', '', Side.Buy, RejectReason.Unsupported,
      `unknown command type ${String(type)}`, null);
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Takes a live order out of the book (or the stop list) without a fill: cancel or expiry. Emits the
   * order's event, then the level's book delta, and recycles the order.
   */
  private takeOut(book: InstrumentBook, order: Order, status: OrderStatus, reason: CancelReason, requestId: string): void {
    const level = order.level;
    if (order.pendingStop) book.stops.remove(order);
    else if (level !== null) level.remove(order);
    order.leavesQty = 0;
    order.visibleQty = 0;
    order.status = status;
    const bus = this.state.bus;
    if (status === OrderStatus.Expired) bus.emitExpired(order);
    else bus.emitCancelled(order, reason, requestId);
    if (level !== null) this.emitLevelAfterRemoval(book, order.side, level);
    this.state.finish(order);
  }

  private emitLevelAfterRemoval(book: InstrumentBook, side: Side, level: NonNullable<Order['level']>): void {
    this.state.bus.emitBookDelta(book.spec.symbol, side, level.price, level.visibleQty, level.orderCount);
    if (level.orderCount === 0) book.sideOf(side).removeLevel(level);
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
