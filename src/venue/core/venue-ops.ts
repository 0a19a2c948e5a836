// Commands that are not order entry: mass cancel, halt/resume, the passage of time (GTD expiry), end of
// day (Day expiry), self-trade prevention settings, refusals decided before the book, unknown commands.

import type {
  EndOfDayCommand,
  MassCancelCommand,
  RejectCommand,
  SetStpModeCommand,
  TimeCommand,
  TradingStatusCommand,
} from '../model/commands.js';
import { CancelReason, OrderStatus, RejectReason, Side, StpMode, TimeInForce, TradingStatus } from '../model/enums.js';
import type { RejectedEvent } from '../model/events.js';
import type { AuctionCall } from './auction-call.js';
import type { CoreState } from './core-state.js';
import type { InstrumentBook } from './instrument-book.js';
import type { Order } from './order.js';
import { takeOut } from './take-out.js';

const MASS_CANCEL_REASON: Record<MassCancelCommand['reason'], CancelReason> = {
  user: CancelReason.MassCancel,
  ops: CancelReason.MassCancel,
  disconnect: CancelReason.Disconnect,
  'kill-switch': CancelReason.KillSwitch,
};

export class VenueOps {
  private readonly state: CoreState;
  private readonly auction: AuctionCall;

  constructor(state: CoreState, auction: AuctionCall) {
    this.state = state;
    this.auction = auction;
  }

  massCancel(cmd: MassCancelCommand): void {
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
      count++;
      if (order.route !== '') {
        // Cancelled when its external venue confirms (a pending-cancel report now).
        state.routed.cancelOnBehalf(order, reason, cmd.requestId, false);
        continue;
      }
      takeOut(this.state, state.instruments[order.instrument]!, order, OrderStatus.Cancelled, reason, cmd.requestId);
    }
    state.bus.emitMassCancelDone(cmd.requestedBy, cmd.requestId, count);
  }

  tradingStatus(cmd: TradingStatusCommand): void {
    const book = this.state.bySymbol.get(cmd.symbol);
    if (book === undefined) {
      this.state.bus.emitRejected(cmd.type, '', '', '', '', '', cmd.symbol, Side.Buy, RejectReason.UnknownSymbol, `unknown symbol ${cmd.symbol}`, null);
      return;
    }
    book.status = cmd.type === 'halt' ? TradingStatus.Halted : TradingStatus.Open;
    this.state.bus.emitTradingStatus(book.spec.symbol, book.status, cmd.reason ?? '');
    if (cmd.type === 'resume') this.auction.resumed(book);
  }

  expireGtd(cmd: TimeCommand): void {
    const due: Order[] = [];
    for (const order of this.state.gtd.values()) if (order.expireTime <= cmd.time) due.push(order);
    this.expireAll(due);
  }

  endOfDay(cmd: EndOfDayCommand): void {
    if (typeof cmd.tradeDate === 'string' && cmd.tradeDate !== '') this.state.endedTradeDate = cmd.tradeDate;
    const due: Order[] = [];
    this.state.orders.forEach((order) => {
      if (order.timeInForce === TimeInForce.Day) due.push(order);
    });
    this.expireAll(due);
  }

  private expireAll(due: Order[]): void {
    due.sort((a, b) => a.orderId - b.orderId);
    for (const order of due) {
      if (order.route !== '') {
        // Expired when its external venue confirms the cancel (a routed order's time in force is kept here).
        this.state.routed.cancelOnBehalf(order, CancelReason.UserRequest, '', true);
        continue;
      }
      takeOut(this.state, this.state.instruments[order.instrument]!, order, OrderStatus.Expired, CancelReason.UserRequest, '');
    }
  }

  setStp(cmd: SetStpModeCommand): void {
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
  refusal(cmd: RejectCommand): void {
    const command = cmd.command === 'cancel' || cmd.command === 'replace' ? cmd.command : 'new';
    const order = command === 'new' ? null : this.state.clOrdIds.get(cmd.session, cmd.origClOrdId) ?? null;
    const side = cmd.side === Side.Buy || cmd.side === Side.Sell ? cmd.side : 0;
    const code = (n: number): number => (Number.isSafeInteger(n) && n >= 0 ? n : -1);
    this.state.bus.emitRejected(command, cmd.session, cmd.firm, cmd.account, cmd.clOrdId, cmd.origClOrdId, cmd.symbol, side,
      cmd.reason, cmd.text, order, typeof cmd.sideCode === 'string' ? cmd.sideCode : '', code(cmd.ordRejReason), code(cmd.cxlRejReason));
  }

  unknownCommand(cmd: never): void {
    const type = (cmd as { type?: unknown }).type;
    this.state.bus.emitRejected(String(type) as RejectedEvent['command'], '', '', '', '', '', '', Side.Buy, RejectReason.Unsupported,
      `unknown command type ${String(type)}`, null);
  }

}
