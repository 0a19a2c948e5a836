// Order entry: NewOrderSingle(D), OrderCancelRequest(F), OrderCancelReplaceRequest(G) become venue commands;
// OrderStatusRequest(H) and OrderMassStatusRequest(AF) are answered from the live book; OrderMassCancelRequest(q)
// becomes a mass cancel answered by an OrderMassCancelReport(r). Requests the venue cannot take are refused
// through the journal (see refusals.ts), so every refusal has an ExecID and a place in the record.

import {
  BusinessRejectReason,
  type FixMessageView,
  type InboundContext,
  MsgType,
  OrdRejReason,
  type SessionHandle,
  StringInterner,
  Tag,
} from '../../fix/index.js';
import type { FirmSettings, SessionSettings } from '../../config/settings.js';
import type { CancelCommand, MassCancelCommand, NewOrderCommand, ReplaceCommand } from '../../venue/model/commands.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import { RejectReason, Side } from '../../venue/model/enums.js';
import { sideFromFix } from '../fix-mappings.js';
import type { VenuePort } from '../venue-port.js';
import { OrderFields, readOrderFields } from './order-fields.js';
import { refusal } from './refusals.js';
import type { StatusReporter } from './status-reporter.js';
import type { MassCancelReports } from './mass-cancel-reports.js';

type Problem = { reason: RejectReason; text: string; ordRejReason: number };

/** The member session an order-entry message came from, as the handler needs it. */
export interface OrderEntryOrigin {
  settings: SessionSettings;
  firm: FirmSettings;
}

export class OrderEntryHandler {
  private readonly fields = new OrderFields();
  /** Account of the order request being read (see readOrderRequest). */
  private account = '';
  /** Symbols and accounts seen valid: read from later messages without decoding a string per order. */
  private readonly known = new StringInterner();

  constructor(
    private readonly venue: VenuePort,
    private readonly instruments: ReadonlyMap<string, InstrumentSpec>,
    private readonly status: StatusReporter,
    private readonly massCancels: MassCancelReports,
  ) {}

  /** Handles one order-entry message; returns false when the MsgType is not an order-entry message. */
  handle(origin: OrderEntryOrigin, session: SessionHandle, view: FixMessageView, ctx: InboundContext): boolean {
    switch (view.msgType) {
      case MsgType.NewOrderSingle:
        this.newOrder(origin, view);
        return true;
      case MsgType.OrderCancelRequest:
        this.cancel(origin, view);
        return true;
      case MsgType.OrderCancelReplaceRequest:
        this.replace(origin, view);
        return true;
      case MsgType.OrderStatusRequest:
        this.status.orderStatus(origin, session, view);
        return true;
      case MsgType.OrderMassStatusRequest:
        this.status.massStatus(origin, session, view, ctx);
        return true;
      case MsgType.OrderMassCancelRequest:
        this.massCancel(origin, session, view, ctx);
        return true;
      default:
        return false;
    }
  }

  /** Refuses an order-entry message the throttle stopped, with the same answer a venue refusal would get. */
  refuseThrottled(origin: OrderEntryOrigin, view: FixMessageView, ctx: InboundContext, limit: number): void {
    const text = `throttled: more than ${limit} messages per second`;
    const clOrdId = view.getString(Tag.ClOrdID) ?? '';
    const account = this.accountOf(origin, view) ?? origin.firm.defaultAccount;
    const sideCode = view.getString(Tag.Side) ?? '';
    const symbol = this.symbolOf(view);
    const o = { session: origin.settings.id, firm: origin.firm.id, account };
    switch (view.msgType) {
      case MsgType.NewOrderSingle:
        this.venue.submit(refusal('new', o, clOrdId, '', symbol, sideFromFix(sideCode), sideCode, RejectReason.Other, text, OrdRejReason.Other));
        break;
      case MsgType.OrderCancelRequest:
      case MsgType.OrderCancelReplaceRequest:
        this.venue.submit(
          refusal(view.msgType === MsgType.OrderCancelRequest ? 'cancel' : 'replace', o, clOrdId, view.getString(Tag.OrigClOrdID) ?? '', symbol, sideFromFix(sideCode), sideCode, RejectReason.Other, text),
        );
        break;
      default:
        ctx.businessReject(BusinessRejectReason.Other, text);
    }
  }

  /**
   * Reads what a D and a G share: the account (left in this.account, '' when foreign), the instrument and the
   * order fields (in this.fields). Returns null when all can become a command, else the first problem.
   */
  private readOrderRequest(origin: OrderEntryOrigin, view: FixMessageView, symbol: string, now: number, unknownAccountReason: number): Problem | null {
    const account = this.accountOf(origin, view);
    this.account = account ?? '';
    if (account === null) {
      return { reason: RejectReason.Other, text: `Account(1) ${view.getString(Tag.Account)} does not belong to firm ${origin.firm.id}`, ordRejReason: unknownAccountReason };
    }
    const spec = this.instruments.get(symbol);
    if (spec === undefined) return { reason: RejectReason.UnknownSymbol, text: `unknown symbol ${symbol}`, ordRejReason: OrdRejReason.UnknownSymbol };
    return readOrderFields(view, spec, now, this.fields) ? null : this.fields.error;
  }

  /** Account(1) if it belongs to the session's firm; the firm's default when absent; null when foreign. */
  private accountOf(origin: OrderEntryOrigin, view: FixMessageView): string | null {
    const account = view.getInterned(Tag.Account, this.known);
    if (account === undefined || account === '') return origin.firm.defaultAccount;
    if (!origin.firm.accounts.includes(account)) return null;
    this.known.add(account);
    return account;
  }

  /** Symbol(55), the instrument's own string when it is one the venue lists. */
  private symbolOf(view: FixMessageView): string {
    const symbol = view.getInterned(Tag.Symbol, this.known) ?? '';
    if (this.instruments.has(symbol)) this.known.add(symbol);
    return symbol;
  }

  private newOrder(origin: OrderEntryOrigin, view: FixMessageView): void {
    const now = Date.now();
    const clOrdId = view.getString(Tag.ClOrdID) ?? '';
    const symbol = this.symbolOf(view);
    const sessionId = origin.settings.id;
    const firm = origin.firm.id;
    const f = this.fields;
    const problem = this.readOrderRequest(origin, view, symbol, now, OrdRejReason.UnknownAccount);
    const account = this.account;
    if (problem !== null) {
      const sideCode = view.getString(Tag.Side) ?? '';
      const o = { session: sessionId, firm, account: account || (view.getString(Tag.Account) ?? '') };
      this.venue.submit(refusal('new', o, clOrdId, '', symbol, sideFromFix(sideCode), sideCode, problem.reason, problem.text, problem.ordRejReason));
      return;
    }
    const cmd: NewOrderCommand = {
      type: 'new',
      time: now,
      session: sessionId,
      firm,
      account,
      clOrdId,
      symbol,
      side: f.side as Side,
      ordType: f.ordType,
      timeInForce: f.timeInForce,
      price: f.price,
      stopPx: f.stopPx,
      qty: f.qty,
      minQty: f.minQty,
      maxFloor: f.maxFloor,
      postOnly: f.postOnly,
      expireTime: f.expireTime,
      exDestination: f.exDestination,
    };
    this.venue.submit(cmd);
  }

  private cancel(origin: OrderEntryOrigin, view: FixMessageView): void {
    const sideCode = view.getString(Tag.Side) ?? '';
    const side = sideFromFix(sideCode);
    const account = this.accountOf(origin, view);
    const clOrdId = view.getString(Tag.ClOrdID) ?? '';
    const origClOrdId = view.getString(Tag.OrigClOrdID) ?? '';
    const symbol = this.symbolOf(view);
    const o = { session: origin.settings.id, firm: origin.firm.id, account: account ?? '' };
    if (account === null) {
      this.venue.submit(refusal('cancel', o, clOrdId, origClOrdId, symbol, side, sideCode, RejectReason.UnknownOrder, `Account(1) ${view.getString(Tag.Account)} does not belong to firm ${origin.firm.id}`));
      return;
    }
    if (side === 0) {
      this.venue.submit(refusal('cancel', o, clOrdId, origClOrdId, symbol, side, sideCode, RejectReason.UnknownOrder, `Side(54) ${sideCode} is not supported`));
      return;
    }
    const cmd: CancelCommand = {
      type: 'cancel',
      time: Date.now(),
      session: o.session,
      firm: o.firm,
      account,
      clOrdId,
      origClOrdId,
      orderId: orderIdOf(view),
      symbol,
      side,
    };
    this.venue.submit(cmd);
  }

  private replace(origin: OrderEntryOrigin, view: FixMessageView): void {
    const now = Date.now();
    const clOrdId = view.getString(Tag.ClOrdID) ?? '';
    const origClOrdId = view.getString(Tag.OrigClOrdID) ?? '';
    const symbol = this.symbolOf(view);
    const f = this.fields;
    const problem = this.readOrderRequest(origin, view, symbol, now, -1);
    const account = this.account;
    if (problem !== null) {
      const sideCode = view.getString(Tag.Side) ?? '';
      const o = { session: origin.settings.id, firm: origin.firm.id, account };
      this.venue.submit(refusal('replace', o, clOrdId, origClOrdId, symbol, sideFromFix(sideCode), sideCode, problem.reason, problem.text));
      return;
    }
    const cmd: ReplaceCommand = {
      type: 'replace',
      time: now,
      session: origin.settings.id,
      firm: origin.firm.id,
      account,
      clOrdId,
      origClOrdId,
      orderId: orderIdOf(view),
      symbol,
      side: f.side as Side,
      ordType: f.ordType,
      timeInForce: f.timeInForce,
      price: f.price,
      stopPx: f.stopPx,
      qty: f.qty,
      maxFloor: f.maxFloor,
      expireTime: f.expireTime,
    };
    this.venue.submit(cmd);
  }

  /**
   * MassCancelRequestType(530): 1 = every order in a Symbol, 7 = every order. The scope is the session's firm
   * (narrowed by Account(1) and Side(54) when given): a firm's kill button, whichever of its sessions pressed it.
   */
  private massCancel(origin: OrderEntryOrigin, session: SessionHandle, view: FixMessageView, ctx: InboundContext): void {
    const requestId = view.getString(Tag.ClOrdID) ?? '';
    const type = view.getString(Tag.MassCancelRequestType) ?? '';
    const symbol = this.symbolOf(view);
    const sideCode = view.getString(Tag.Side);
    const side = sideCode === undefined ? 0 : sideFromFix(sideCode);
    const account = view.getString(Tag.Account) ?? '';
    let problem = '';
    let rejectReason = 0;
    if (type !== '1' && type !== '7') {
      problem = `MassCancelRequestType(530) ${type} is not supported: 1 (by symbol) or 7 (all orders)`;
      rejectReason = 0; // mass cancel not supported
    } else if (type === '1' && !this.instruments.has(symbol)) {
      problem = `unknown symbol ${symbol}`;
      rejectReason = 1; // invalid or unknown security
    } else if (sideCode !== undefined && side === 0) {
      problem = `Side(54) ${sideCode} is not supported`;
      rejectReason = 99;
    } else if (account !== '' && !origin.firm.accounts.includes(account)) {
      problem = `Account(1) ${account} does not belong to firm ${origin.firm.id}`;
      rejectReason = 99;
    }
    if (problem !== '') {
      this.massCancels.rejected(session, requestId, type, symbol, sideCode ?? '', rejectReason, problem);
      return;
    }
    void ctx;
    const cmd: MassCancelCommand = {
      type: 'massCancel',
      time: Date.now(),
      requestedBy: origin.settings.id,
      requestId,
      firm: origin.firm.id,
      account,
      session: '',
      symbol: type === '1' ? symbol : '',
      side,
      reason: 'user',
    };
    this.massCancels.expect(requestId, type, cmd.symbol, sideCode ?? '');
    this.venue.submit(cmd);
  }
}

/** OrderID(37) when the member sent one of ours; 0 otherwise (it may send 'NONE' or its own). */
function orderIdOf(view: FixMessageView): number {
  const id = view.getInt(Tag.OrderID);
  return id !== undefined && Number.isSafeInteger(id) && id > 0 ? id : 0;
}
