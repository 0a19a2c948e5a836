// Routed orders: orders the order router sent to an external venue (Binance, another FIX venue). The core keeps
// them in its order table, so cancels, replaces, status requests, mass cancels and risk see them like any other
// order, but never in a book: they cannot trade here. What happens to them outside is learnt from
// RouteReportCommands, which become the ordinary events (accepted, replaced, cancelled, expired, rejected) plus
// RoutedEvents for the steps the local book has no word for (acknowledged, a one-sided fill, pending cancel or
// replace, refused by the external venue).
//
// One request at a time per order: a member's cancel or replace while another is pending is refused
// (CxlRejReason 3, already pending). A cancel the venue itself asks for (mass cancel, kill switch, disconnect,
// end of day) that finds a replace pending waits for its answer, then goes out.
//
// Reports are idempotent (a fill seen before, an answer to a request that is not pending, anything about an order
// that is no longer live: nothing happens), and state changes only on commands, so a replay reproduces it all.

import type { CancelCommand, ReplaceCommand, RouteReportCommand } from '../model/commands.js';
import { CancelReason, OrderStatus, RejectReason, TimeInForce } from '../model/enums.js';
import type { CoreState } from './core-state.js';
import type { Order } from './order.js';
import { hasLimitPrice, hasStopPrice } from '../model/order-types.js';

/** CxlRejReason(102) 3: a cancel or replace of the order is already pending. */
const ALREADY_PENDING = 3;

export interface PendingRequest {
  kind: 'cancel' | 'replace';
  /** Command seq of the request: it names the request at the external venue (src/routing/client-ids.ts). */
  requestSeq: number;
  /** A member's own cancel or replace (answered one by one); false when the venue asked (mass cancel, expiry). */
  member: boolean;
  /** Who asked, to answer a refusal; clOrdId is the request's ClOrdID (a mass cancel's id, or '' for the venue). */
  session: string;
  account: string;
  clOrdId: string;
  origClOrdId: string;
  /** cancel: on whose behalf, and whether the order ends expired (Day/GTD orders at the end of their time). */
  reason: CancelReason;
  expire: boolean;
  /** replace: the new terms. */
  timeInForce: TimeInForce;
  price: number;
  stopPx: number;
  qty: number;
  maxFloor: number;
  expireTime: number;
}

/** A venue-initiated cancel waiting for a pending replace to be answered. */
export interface QueuedCancel {
  reason: CancelReason;
  requestId: string;
  expire: boolean;
  requestSeq: number;
}

export class RoutedState {
  acknowledged = false;
  externalOrderId = '';
  /** 0 for the order as first sent; after a confirmed replace, the command seq of that replace. */
  incarnation = 0;
  /** Quantity filled before the current external incarnation (venues that replace by cancel + new). */
  baseQty = 0;
  pending: PendingRequest | null = null;
  queuedCancel: QueuedCancel | null = null;
  /** External execution ids applied so far: a fill reported twice counts once. */
  readonly execIds = new Set<string>();

  constructor(readonly route: string) {}
}

function reservationKey(session: string, clOrdId: string): string {
  return `${session}\u0001${clOrdId}`;
}

export class RoutedOrders {
  /** Live routed orders' routing state, by order id. */
  readonly states = new Map<number, RoutedState>();
  /** New ClOrdIDs of pending replaces (session + ClOrdID): no other order may take them meanwhile. */
  private readonly reserved = new Set<string>();

  constructor(private readonly state: CoreState) {}

  /** Whether a pending replace has claimed this ClOrdID on the session. */
  isReserved(session: string, clOrdId: string): boolean {
    return this.reserved.size > 0 && this.reserved.has(reservationKey(session, clOrdId));
  }

  /** A new order accepted for an external route: indexed, never booked, pending new until the venue answers. */
  accept(order: Order, route: string): void {
    order.route = route;
    order.status = OrderStatus.PendingNew;
    this.states.set(order.orderId, new RoutedState(route));
    this.state.bus.emitAccepted(order);
  }

  /** Rebuilds an order's routing state from a snapshot. */
  restore(orderId: number, rs: RoutedState, session: string): void {
    this.states.set(orderId, rs);
    if (rs.pending?.kind === 'replace') this.reserved.add(reservationKey(session, rs.pending.clOrdId));
  }

  /** A member's cancel of a routed order: passed on, answered when the external venue answers. */
  requestCancel(order: Order, cmd: CancelCommand): void {
    const rs = this.states.get(order.orderId)!;
    if (rs.pending !== null) return this.refuseBusy(order, cmd);
    rs.pending = this.request('cancel', true, cmd.session, cmd.account, cmd.clOrdId, order.clOrdId, CancelReason.UserRequest, false);
    this.emitPending(order, rs);
  }

  /** A member's cancel/replace of a routed order, already validated against the instrument. */
  requestReplace(order: Order, cmd: ReplaceCommand): void {
    const rs = this.states.get(order.orderId)!;
    if (rs.pending !== null) return this.refuseBusy(order, cmd);
    const p = this.request('replace', true, cmd.session, cmd.account, cmd.clOrdId, order.clOrdId, CancelReason.UserRequest, false);
    p.timeInForce = cmd.timeInForce;
    p.price = cmd.price;
    p.stopPx = cmd.stopPx;
    p.qty = cmd.qty;
    p.maxFloor = cmd.maxFloor;
    p.expireTime = cmd.timeInForce === TimeInForce.GTD ? cmd.expireTime : 0;
    rs.pending = p;
    this.reserved.add(reservationKey(order.session, cmd.clOrdId));
    this.emitPending(order, rs);
  }

  /**
   * A cancel the venue asks for (mass cancel, kill switch, disconnect, expiry at the end of the order's time).
   * Nothing new when a cancel is already pending; after the answer when a replace is.
   */
  cancelOnBehalf(order: Order, reason: CancelReason, requestId: string, expire: boolean): void {
    const rs = this.states.get(order.orderId);
    if (rs === undefined || rs.pending?.kind === 'cancel') return;
    if (rs.pending !== null) {
      rs.queuedCancel ??= { reason, requestId, expire, requestSeq: this.state.commandSeq };
      return;
    }
    rs.pending = this.request('cancel', false, order.session, order.account, requestId, order.clOrdId, reason, expire);
    this.emitPending(order, rs);
  }

  /** Applies what the external venue said (see RouteReportCommand). */
  report(cmd: RouteReportCommand): void {
    const order = this.state.orders.get(cmd.orderId);
    const rs = order === undefined ? undefined : this.states.get(order.orderId);
    if (order === undefined || rs === undefined || rs.route !== cmd.route) return;
    switch (cmd.kind) {
      case 'acknowledged': return this.acknowledged(order, rs, cmd.externalOrderId);
      case 'fill': return this.fill(order, rs, cmd);
      case 'cancelled':
      case 'expired': return this.ended(order, rs, cmd);
      case 'rejected': return this.rejected(order, rs, cmd.text);
      case 'replaced': return this.replaced(order, rs, cmd);
      case 'cancelRejected': return this.requestRefused(order, rs, 'cancel', cmd.text);
      case 'replaceRejected': return this.requestRefused(order, rs, 'replace', cmd.text);
      default: return;
    }
  }

  private acknowledged(order: Order, rs: RoutedState, externalOrderId: string): void {
    if (externalOrderId !== '') rs.externalOrderId = externalOrderId;
    if (rs.acknowledged) return;
    rs.acknowledged = true;
    order.status = statusOf(order, rs);
    this.state.bus.emitRouted('new', order, rs.route, 0, 0, '', '', CancelReason.UserRequest, '');
  }

  private fill(order: Order, rs: RoutedState, cmd: RouteReportCommand): void {
    const { qty, price, execId } = cmd;
    // An overfill or a malformed fill is not applied: the router checks and reports such a discrepancy itself.
    if (typeof execId !== 'string' || execId === '' || rs.execIds.has(execId)) return;
    if (!Number.isSafeInteger(qty) || qty <= 0 || qty > order.leavesQty || !Number.isSafeInteger(price) || price <= 0) return;
    rs.execIds.add(execId);
    this.acknowledged(order, rs, cmd.externalOrderId);
    order.cumQty += qty;
    order.leavesQty -= qty;
    order.cumNotional += price * qty;
    order.status = statusOf(order, rs);
    this.state.bus.emitRouted('fill', order, rs.route, price, qty, execId, '', CancelReason.UserRequest, '');
    if (order.leavesQty === 0) {
      this.answerPending(order, rs, RejectReason.TooLateToCancel, `order filled at ${rs.route}`);
      this.done(order, rs);
    }
  }

  /** Cancelled or expired at the external venue: the pending cancel's answer, or the venue's own doing. */
  private ended(order: Order, rs: RoutedState, cmd: RouteReportCommand): void {
    const p = rs.pending;
    const asked = p !== null && p.kind === 'cancel';
    if (!asked) this.answerPending(order, rs, RejectReason.Other, `order ended at ${rs.route}${cmd.text ? `: ${cmd.text}` : ''}`);
    const expire = cmd.kind === 'expired' || (asked && p.expire);
    order.leavesQty = 0;
    order.visibleQty = 0;
    order.status = expire ? OrderStatus.Expired : OrderStatus.Cancelled;
    if (expire) this.state.bus.emitExpired(order);
    else if (asked) this.state.bus.emitCancelled(order, p.reason, p.clOrdId);
    else this.state.bus.emitCancelled(order, cmd.cancelReason || CancelReason.Routed, '', cmd.text);
    this.done(order, rs);
  }

  private rejected(order: Order, rs: RoutedState, text: string): void {
    order.leavesQty = 0;
    order.visibleQty = 0;
    order.status = OrderStatus.Rejected;
    this.state.bus.emitRouted('rejected', order, rs.route, 0, 0, '', '', CancelReason.UserRequest, text);
    this.answerPending(order, rs, RejectReason.Other, `order rejected by ${rs.route}`);
    this.done(order, rs);
  }

  private replaced(order: Order, rs: RoutedState, cmd: RouteReportCommand): void {
    const p = rs.pending;
    if (p === null || p.kind !== 'replace') return;
    rs.pending = null;
    this.reserved.delete(reservationKey(order.session, p.clOrdId));
    const state = this.state;
    state.clOrdIds.remove(order);
    order.origClOrdId = order.clOrdId;
    order.clOrdId = p.clOrdId;
    state.clOrdIds.add(order);
    if (order.timeInForce === TimeInForce.GTD) state.gtd.delete(order.orderId);
    order.timeInForce = p.timeInForce;
    order.expireTime = p.expireTime;
    if (order.timeInForce === TimeInForce.GTD) state.gtd.set(order.orderId, order);
    if (hasLimitPrice(order.ordType)) order.price = p.price;
    if (hasStopPrice(order.ordType)) order.stopPx = p.stopPx;
    order.maxFloor = p.maxFloor;
    rs.incarnation = p.requestSeq;
    rs.baseQty = Number.isSafeInteger(cmd.baseQty) && cmd.baseQty > 0 ? cmd.baseQty : 0;
    if (cmd.externalOrderId !== '') rs.externalOrderId = cmd.externalOrderId;
    if (p.qty <= order.cumQty) {
      order.qty = order.cumQty;
      order.leavesQty = 0;
      order.status = OrderStatus.Filled;
      state.bus.emitReplaced(order, false);
      this.done(order, rs);
      return;
    }
    order.qty = p.qty;
    order.leavesQty = p.qty - order.cumQty;
    order.status = statusOf(order, rs);
    state.bus.emitReplaced(order, false);
    this.sendQueuedCancel(order, rs);
  }

  private requestRefused(order: Order, rs: RoutedState, kind: 'cancel' | 'replace', text: string): void {
    const p = rs.pending;
    if (p === null || p.kind !== kind) return;
    rs.pending = null;
    if (kind === 'replace') this.reserved.delete(reservationKey(order.session, p.clOrdId));
    order.status = statusOf(order, rs);
    const words = `${kind} refused by ${rs.route}${text ? `: ${text}` : ''}`;
    if (p.member) {
      this.state.bus.emitRejected(kind, p.session, order.firm, p.account, p.clOrdId, p.origClOrdId, order.symbol, order.side, RejectReason.Other, words, order);
    } else {
      this.state.bus.emitRouted('restated', order, rs.route, 0, 0, '', '', p.reason, words);
    }
    this.sendQueuedCancel(order, rs);
  }

  /** The order is about to end while a member's request waits: that request is refused with the reason. */
  private answerPending(order: Order, rs: RoutedState, reason: RejectReason, text: string): void {
    const p = rs.pending;
    if (p === null) return;
    rs.pending = null;
    if (p.kind === 'replace') this.reserved.delete(reservationKey(order.session, p.clOrdId));
    if (!p.member) return;
    this.state.bus.emitRejected(p.kind, p.session, order.firm, p.account, p.clOrdId, p.origClOrdId, order.symbol, order.side, reason, text, order);
  }

  private sendQueuedCancel(order: Order, rs: RoutedState): void {
    const q = rs.queuedCancel;
    if (q === null) return;
    rs.queuedCancel = null;
    const p = this.request('cancel', false, order.session, order.account, q.requestId, order.clOrdId, q.reason, q.expire);
    p.requestSeq = q.requestSeq;
    rs.pending = p;
    this.emitPending(order, rs);
  }

  private refuseBusy(order: Order, cmd: CancelCommand | ReplaceCommand): void {
    this.state.bus.emitRejected(cmd.type, cmd.session, cmd.firm, cmd.account, cmd.clOrdId, cmd.origClOrdId, cmd.symbol, cmd.side,
      RejectReason.Other, 'a cancel or replace of this order is already pending', order, '', -1, ALREADY_PENDING);
  }

  private request(
    kind: PendingRequest['kind'], member: boolean, session: string, account: string, clOrdId: string, origClOrdId: string,
    reason: CancelReason, expire: boolean,
  ): PendingRequest {
    return {
      kind, requestSeq: this.state.commandSeq, member, session, account, clOrdId, origClOrdId, reason, expire,
      timeInForce: TimeInForce.GTC, price: 0, stopPx: 0, qty: 0, maxFloor: 0, expireTime: 0,
    };
  }

  private emitPending(order: Order, rs: RoutedState): void {
    const p = rs.pending!;
    order.status = statusOf(order, rs);
    this.state.bus.emitRouted(p.kind === 'cancel' ? 'pendingCancel' : 'pendingReplace', order, rs.route, 0, 0, '', p.clOrdId, p.reason, '');
  }

  private done(order: Order, rs: RoutedState): void {
    if (rs.pending?.kind === 'replace') this.reserved.delete(reservationKey(order.session, rs.pending.clOrdId));
    this.states.delete(order.orderId);
    this.state.finish(order);
  }
}

/** OrdStatus of a live routed order: a pending request first, then what has filled, then whether it was acknowledged. */
function statusOf(order: Order, rs: RoutedState): OrderStatus {
  if (order.leavesQty === 0) return OrderStatus.Filled;
  if (rs.pending !== null) return rs.pending.kind === 'cancel' ? OrderStatus.PendingCancel : OrderStatus.PendingReplace;
  if (order.cumQty > 0) return OrderStatus.PartiallyFilled;
  return rs.acknowledged ? OrderStatus.New : OrderStatus.PendingNew;
}
