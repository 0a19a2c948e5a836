// SecurityStatus(f) for halts and resumes: unsolicited (there is no SecurityStatusRequest to answer), with the
// venue's reason as Text. A halt concerns one instrument, which TradingSessionStatus(h) cannot express; h is kept
// for the venue-wide phases of the trading day (src/gateway/trading-session-status.ts).

import { type FieldWriter, MsgType, SecurityTradingStatus, type SessionHandle, Tag } from '../fix/index.js';
import { TradingStatus } from '../venue/model/enums.js';

export class StatusWriter {
  private symbol = '';
  private code = 0;
  private reason = '';
  private time = 0;

  /**
   * `change` true for a status change (open means "resumed"), false for the state at subscription time
   * (sent only when the instrument is not open).
   */
  send(session: SessionHandle, symbol: string, status: TradingStatus, reason: string, time: number, change: boolean): void {
    this.symbol = symbol;
    this.code = securityTradingStatus(status, change);
    this.reason = reason;
    this.time = time;
    session.send(MsgType.SecurityStatus, this.write);
  }

  private readonly write = (w: FieldWriter): void => {
    w.str(Tag.Symbol, this.symbol);
    if (this.reason !== '') w.str(Tag.Text, this.reason);
    w.timestamp(Tag.TransactTime, this.time);
    w.bool(Tag.UnsolicitedIndicator, true);
    w.int(Tag.SecurityTradingStatus, this.code);
  };
}

export function securityTradingStatus(status: TradingStatus, change: boolean): number {
  switch (status) {
    case TradingStatus.Halted:
      return SecurityTradingStatus.Halt;
    case TradingStatus.Closed:
      return SecurityTradingStatus.NotAvailableForTrading;
    default:
      return change ? SecurityTradingStatus.Resume : SecurityTradingStatus.ReadyToTrade;
  }
}
