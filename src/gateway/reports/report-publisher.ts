// Turns venue events into the FIX messages members and compliance receive: an ExecutionReport (or
// OrderCancelReject) to the session that owns the order, and the same report, marked as a copy, to every
// drop-copy session entitled to the order's firm. ExecIDs derive from event sequence numbers, which the
// journal makes unique for the life of the venue.

import { type BodyWriter, CxlRejResponseTo, ExecType, MsgType, type SessionHandle } from '../../fix/index.js';
import type {
  CancelledEvent,
  MassCancelDoneEvent,
  OrderView,
  RejectedEvent,
  RoutedEvent,
  TradeEvent,
  VenueEvent,
} from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import { OrderStatus, Side } from '../../venue/model/enums.js';
import { cxlRejReasonFor, ordRejReasonFor, sideToFix } from '../fix-mappings.js';
import type { SessionDirectory, SessionEntry } from '../session-directory.js';
import { CancelRejectWriter } from './cancel-reject.js';
import { cancelText } from './cancel-texts.js';
import { ExecutionReportWriter, Liquidity } from './execution-report.js';
import { formatDecimal } from '../../venue/model/decimal.js';

const CHAR_B = 0x42;
const CHAR_S = 0x53;

/** Answers a mass cancel request (written by the order-entry side, which knows the request). */
export interface MassCancelReporter {
  onMassCancelDone(event: MassCancelDoneEvent): void;
}

/** Something the publisher could not deliver (a store failure), for the gateway to act on. */
export type SendFailure = (session: string, error: Error) => void;

export class ReportPublisher {
  private readonly er = new ExecutionReportWriter();
  private readonly cxl = new CancelRejectWriter();
  private readonly refusalPrefix = `R${Date.now().toString(36)}-`;
  private refusals = 0;
  /**
   * While set, reports go only where it accepts them (the start-up catch-up; see report-catch-up.ts): the session
   * and the report's ExecID ('' for an OrderCancelReject).
   */
  deliverOnly: ((sessionId: string, execId: string) => boolean) | null = null;

  constructor(
    private readonly directory: SessionDirectory,
    private readonly instruments: ReadonlyMap<string, InstrumentSpec>,
    private readonly massCancels: MassCancelReporter,
    private readonly onSendFailure: SendFailure,
  ) {}

  onEvent(e: VenueEvent): void {
    switch (e.type) {
      case 'accepted':
        // A routed order is pending new until its external venue acknowledges it.
        this.orderReport(e.order, e.order.status === OrderStatus.PendingNew ? ExecType.PendingNew : ExecType.New, e.seq, 0, e.time, '');
        break;
      case 'rejected':
        if (e.command === 'new') this.rejectNew(e);
        else if (e.command === 'cancel' || e.command === 'replace') this.rejectAmend(e);
        break;
      case 'trade':
        this.trade(e, e.maker, Liquidity.Added);
        this.trade(e, e.taker, Liquidity.Removed);
        break;
      case 'cancelled':
        this.cancelled(e);
        break;
      case 'replaced':
        this.orderReport(e.order, ExecType.Replaced, e.seq, 0, e.time, '');
        break;
      case 'expired':
        this.orderReport(e.order, ExecType.Expired, e.seq, 0, e.time, '');
        break;
      case 'triggered': {
        const spec = this.instruments.get(e.order.symbol);
        const stop = spec ? formatDecimal(e.order.stopPx, spec.priceDecimals) : String(e.order.stopPx);
        this.er.content.reset();
        this.er.content.execRestatementReason = 99;
        this.orderReport(e.order, ExecType.Restated, e.seq, 0, e.time, `stop triggered at ${stop}`, false);
        break;
      }
      case 'restated':
        // An iceberg refresh changes nothing the member sees in its order; a self-trade decrement does.
        if (e.reason === 'self-trade-decrement') {
          this.er.content.reset();
          this.er.content.execRestatementReason = 99;
          this.orderReport(e.order, ExecType.Restated, e.seq, 0, e.time, 'quantity reduced by self-trade prevention', false);
        }
        break;
      case 'massCancelDone':
        this.massCancels.onMassCancelDone(e);
        break;
      case 'routed':
        this.routed(e);
        break;
      default:
        break;
    }
  }

  private trade(e: TradeEvent, order: OrderView, liquidity: number): void {
    const c = this.er.content;
    c.reset();
    c.lastQty = e.qty;
    c.lastPx = e.price;
    c.liquidity = liquidity;
    c.matchId = e.matchId;
    this.orderReport(order, ExecType.Trade, e.seq, order.side === Side.Buy ? CHAR_B : CHAR_S, e.time, '', false);
  }

  private cancelled(e: CancelledEvent): void {
    const c = this.er.content;
    c.reset();
    if (e.reason === 'user' && e.requestId !== '') {
      // Answer to an OrderCancelRequest: ClOrdID is the request's, OrigClOrdID the order's.
      c.clOrdId = e.requestId;
      c.origClOrdId = e.order.clOrdId;
    }
    this.orderReport(e.order, ExecType.Cancelled, e.seq, 0, e.time, e.text || cancelText(e.reason, e.requestId), false);
  }

  /** Steps of an order routed to an external venue (see RoutedEvent). */
  private routed(e: RoutedEvent): void {
    const c = this.er.content;
    c.reset();
    const id = e.seq;
    switch (e.kind) {
      case 'new':
        this.orderReport(e.order, ExecType.New, id, 0, e.time, '', false);
        return;
      case 'fill':
        c.lastQty = e.qty;
        c.lastPx = e.price;
        c.liquidity = Liquidity.RoutedOut;
        c.lastMkt = e.route;
        this.orderReport(e.order, ExecType.Trade, id, 0, e.time, '', false);
        return;
      case 'pendingCancel':
      case 'pendingReplace':
        if (e.kind === 'pendingReplace' || (e.reason === 'user' && e.requestId !== '')) {
          // Answer to the member's request: ClOrdID is the request's, OrigClOrdID the order's.
          c.clOrdId = e.requestId;
          c.origClOrdId = e.order.clOrdId;
        }
        this.orderReport(e.order, e.kind === 'pendingCancel' ? ExecType.PendingCancel : ExecType.PendingReplace, id, 0, e.time, '', false);
        return;
      case 'rejected':
        c.ordRejReason = ordRejReasonFor('other');
        this.orderReport(e.order, ExecType.Rejected, id, 0, e.time, e.text, false);
        return;
      case 'restated':
        c.execRestatementReason = 99;
        this.orderReport(e.order, ExecType.Restated, id, 0, e.time, e.text, false);
        return;
    }
  }

  /** Fills the common content and sends. `reset` false when the caller already set event-specific fields. */
  private orderReport(order: OrderView, execType: string, execSeq: number, execSuffix: number, time: number, text: string, reset = true): void {
    const c = this.er.content;
    if (reset) c.reset();
    const spec = this.instruments.get(order.symbol);
    if (spec === undefined) return;
    c.order = order;
    c.spec = spec;
    c.execType = execType;
    c.execSeq = execSeq;
    c.execSuffix = execSuffix;
    c.transactTime = time;
    c.text = text;
    this.deliver(order.session, order.firm, MsgType.ExecutionReport, this.er.write, c, '', execSeq, execSuffix);
  }

  private rejectNew(e: RejectedEvent): void {
    const c = this.er.content;
    c.reset();
    c.orderId = 'NONE';
    c.clOrdId = e.clOrdId;
    // A refusal outside the sequenced stream (seq 0: the journal is unavailable) still needs an ExecID of its own.
    c.execId = e.seq > 0 ? String(e.seq) : `${this.refusalPrefix}${++this.refusals}`;
    c.execType = ExecType.Rejected;
    c.ordStatus = OrderStatus.Rejected;
    c.side = e.side === 0 ? e.sideCode : sideToFix(e.side);
    c.account = e.account;
    c.symbol = e.symbol;
    c.ordRejReason = e.ordRejReason >= 0 ? e.ordRejReason : ordRejReasonFor(e.reason);
    c.text = e.text;
    c.transactTime = e.time;
    this.deliver(e.session, e.firm, MsgType.ExecutionReport, this.er.write, c, c.execId, 0, 0);
  }

  private rejectAmend(e: RejectedEvent): void {
    const c = this.cxl.content;
    c.account = e.account;
    c.clOrdId = e.clOrdId;
    c.origClOrdId = e.origClOrdId;
    c.orderId = e.order ? String(e.order.orderId) : 'NONE';
    c.ordStatus = e.order ? e.order.status : OrderStatus.Rejected;
    c.responseTo = e.command === 'cancel' ? CxlRejResponseTo.Cancel : CxlRejResponseTo.Replace;
    c.reason = e.cxlRejReason >= 0 ? e.cxlRejReason : cxlRejReasonFor(e.reason);
    c.text = e.text;
    c.transactTime = e.time;
    c.copy = false;
    this.deliver(e.session, e.firm, MsgType.OrderCancelReject, this.cxl.write, c, '', 0, 0);
  }

  /** Sends to the owning session, then (marked as copies) to the firm's drop-copy sessions. */
  private deliver(
    session: string,
    firm: string,
    msgType: string,
    write: BodyWriter,
    content: { copy: boolean },
    execId: string,
    execSeq: number,
    execSuffix: number,
  ): void {
    // The ExecID as text only for the start-up catch-up's filter ('' for an OrderCancelReject).
    if (this.deliverOnly !== null && execId === '' && execSeq > 0) execId = `${execSeq}${execSuffix === 0 ? '' : String.fromCharCode(execSuffix)}`;
    const owner = this.directory.get(session);
    if (owner?.handle) this.send(owner, msgType, write, execId);
    const copies = this.directory.dropCopiesOf(firm);
    if (copies.length === 0) return;
    content.copy = true;
    for (let i = 0; i < copies.length; i++) this.send(copies[i]!, msgType, write, execId);
  }

  private send(entry: SessionEntry, msgType: string, write: BodyWriter, execId: string): void {
    const handle: SessionHandle | null = entry.handle;
    if (handle === null) return;
    if (this.deliverOnly !== null && !this.deliverOnly(entry.settings.id, execId)) return;
    try {
      handle.send(msgType, write);
    } catch (err) {
      this.onSendFailure(entry.settings.id, err as Error);
    }
  }
}
