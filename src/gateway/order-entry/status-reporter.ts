// OrderStatusRequest(H) and OrderMassStatusRequest(AF): ExecutionReports with ExecType=I (order status)
// describing orders as they are now. Live orders come from the book; an order that is done is looked up in
// the execution record when one is wired in. Status reports change nothing, so they are not journaled: their
// ExecIDs come from a per-start prefix and a counter, which never repeats across restarts.

import {
  BusinessRejectReason,
  ExecType,
  type FixMessageView,
  type InboundContext,
  MsgType,
  OrdRejReason,
  type SessionHandle,
  Tag,
} from '../../fix/index.js';
import type { OrderView } from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import { OrderStatus } from '../../venue/model/enums.js';
import { sideFromFix } from '../fix-mappings.js';
import { ExecutionReportWriter } from '../reports/execution-report.js';
import type { VenueQueryPort } from '../venue-port.js';
import type { OrderEntryOrigin } from './order-entry-handler.js';

/** Final state of an order that is no longer live (from the execution record). */
export interface DoneOrderLookup {
  lastState(session: string, clOrdId: string): OrderView | undefined;
}

export class StatusReporter {
  private readonly er = new ExecutionReportWriter();
  private readonly prefix = `S${Date.now().toString(36)}-`;
  private counter = 0;

  constructor(
    private readonly queries: VenueQueryPort,
    private readonly instruments: ReadonlyMap<string, InstrumentSpec>,
    private readonly done: DoneOrderLookup | null,
  ) {}

  private nextExecId(): string {
    return this.prefix + String(++this.counter);
  }

  orderStatus(origin: OrderEntryOrigin, session: SessionHandle, view: FixMessageView): void {
    const clOrdId = view.getString(Tag.ClOrdID) ?? '';
    const orderId = view.getInt(Tag.OrderID);
    let order: OrderView | undefined;
    if (orderId !== undefined && Number.isSafeInteger(orderId) && orderId > 0) {
      const byId = this.queries.order(orderId);
      if (byId && byId.firm === origin.firm.id) order = byId;
    }
    order ??= this.queries.orderByClOrdId(origin.settings.id, clOrdId);
    order ??= this.done?.lastState(origin.settings.id, clOrdId);
    const c = this.er.content;
    c.reset();
    c.execId = this.nextExecId();
    c.execType = ExecType.OrderStatus;
    c.transactTime = Date.now();
    const spec = order ? this.instruments.get(order.symbol) : undefined;
    if (order && spec) {
      c.order = order;
      c.spec = spec;
    } else {
      c.clOrdId = clOrdId;
      c.ordStatus = OrderStatus.Rejected;
      c.ordRejReason = OrdRejReason.UnknownOrder;
      c.side = view.getString(Tag.Side) ?? '';
      c.symbol = view.getString(Tag.Symbol) ?? '';
      c.text = 'unknown order';
    }
    session.send(MsgType.ExecutionReport, this.er.write);
  }

  /** MassStatusReqType(585): 1 = orders in a Symbol, 7 = all orders; scope is the session's firm (and Account). */
  massStatus(origin: OrderEntryOrigin, session: SessionHandle, view: FixMessageView, ctx: InboundContext): void {
    const reqId = view.getString(Tag.MassStatusReqID) ?? '';
    const type = view.getString(Tag.MassStatusReqType) ?? '';
    const symbol = view.getString(Tag.Symbol) ?? '';
    const account = view.getString(Tag.Account) ?? '';
    if (type !== '1' && type !== '7') {
      ctx.businessReject(BusinessRejectReason.Other, `MassStatusReqType(585) ${type} is not supported: 1 (by symbol) or 7 (all orders)`);
      return;
    }
    if (type === '1' && !this.instruments.has(symbol)) {
      ctx.businessReject(BusinessRejectReason.UnknownSecurity, `unknown symbol ${symbol}`);
      return;
    }
    if (account !== '' && !origin.firm.accounts.includes(account)) {
      ctx.businessReject(BusinessRejectReason.NotAuthorized, `Account(1) ${account} does not belong to firm ${origin.firm.id}`);
      return;
    }
    const orders = this.queries.liveOrders({ firm: origin.firm.id, account, symbol: type === '1' ? symbol : '' });
    const c = this.er.content;
    if (orders.length === 0) {
      // Nothing matches: one report saying so, as the last of zero.
      c.reset();
      c.execId = this.nextExecId();
      c.execType = ExecType.OrderStatus;
      c.ordStatus = OrderStatus.Rejected;
      c.side = view.getString(Tag.Side) ?? '1';
      c.symbol = symbol || '[N/A]';
      c.text = 'no live orders match';
      c.transactTime = Date.now();
      c.massStatusReqId = reqId;
      c.totNumReports = 0;
      c.lastReport = true;
      session.send(MsgType.ExecutionReport, this.er.write);
      return;
    }
    const now = Date.now();
    for (let i = 0; i < orders.length; i++) {
      const order = orders[i]!;
      c.reset();
      c.order = order;
      c.spec = this.instruments.get(order.symbol) ?? null;
      c.execId = this.nextExecId();
      c.execType = ExecType.OrderStatus;
      c.transactTime = now;
      c.massStatusReqId = reqId;
      c.totNumReports = orders.length;
      c.lastReport = i === orders.length - 1;
      session.send(MsgType.ExecutionReport, this.er.write);
    }
    void sideFromFix;
  }
}
