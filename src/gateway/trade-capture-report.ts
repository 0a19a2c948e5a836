// TradeCaptureReport(AE) for one recorded trade: the match id as TradeReportID and TrdMatchID, price and quantity
// as LastPx/LastQty (the record's exact decimal strings), TradeDate and TransactTime, and both sides in NoSides with
// OrderID, ClOrdID, Account and the firm as an executing-firm party. A side of a firm the requester is not entitled
// to is reported anonymously (Side, OrderID NONE): a member sees that its order traded, never who was on the other side.
// Every field is one FIX44.xml allows in AE or in TrdCapRptSideGrp.

import { type FieldWriter, Tag } from '../fix/index.js';
import type { TradeEntry, TradeParty } from '../records/index.js';
import { Side } from '../venue/model/enums.js';
import { sideToFix } from './fix-mappings.js';

/** PartyIDSource(447) D: proprietary (the venue's own firm ids). PartyRole(452) 1: executing firm. */
const PROPRIETARY = 'D';
const EXECUTING_FIRM = 1;
/** TrdType(828) 0: regular trade. */
const REGULAR_TRADE = 0;

export class TradeReportWriter {
  trade: TradeEntry | null = null;
  requestId = '';
  total = 0;
  last = false;
  /** Which sides the requester may see in full. */
  showBuy = true;
  showSell = true;

  /** Writes the body from the fields above; pass it to SessionHandle.send('AE', ...). */
  readonly write = (w: FieldWriter): void => {
    const t = this.trade!;
    const id = String(t.matchId);
    w.str(Tag.TradeReportID, id);
    w.str(Tag.TradeRequestID, this.requestId);
    w.int(Tag.TrdType, REGULAR_TRADE);
    w.int(Tag.TotNumTradeReports, this.total);
    w.bool(Tag.LastRptRequested, this.last);
    w.str(Tag.TrdMatchID, id);
    w.bool(Tag.PreviouslyReported, false);
    w.str(Tag.Symbol, t.symbol);
    w.str(Tag.LastQty, t.qty);
    w.str(Tag.LastPx, t.price);
    w.str(Tag.TradeDate, t.tradeDate.replaceAll('-', ''));
    w.timestamp(Tag.TransactTime, t.time);
    w.group(Tag.NoSides, 2);
    this.side(w, Side.Buy, t.buy, this.showBuy);
    this.side(w, Side.Sell, t.sell, this.showSell);
    w.endGroup();
  };

  private side(w: FieldWriter, side: Side, p: TradeParty, visible: boolean): void {
    w.instance();
    w.char(Tag.Side, sideToFix(side));
    if (!visible) {
      w.str(Tag.OrderID, 'NONE');
      return;
    }
    w.str(Tag.OrderID, String(p.orderId));
    if (p.clOrdId !== '') w.str(Tag.ClOrdID, p.clOrdId);
    w.group(Tag.NoPartyIDs, 1).instance().str(Tag.PartyID, p.firm).char(Tag.PartyIDSource, PROPRIETARY).int(Tag.PartyRole, EXECUTING_FIRM).endGroup();
    if (p.account !== '') w.str(Tag.Account, p.account);
    // FIX 4.4 has no aggressor flag in the side group: the liquidity role goes in the side's Text.
    w.str(Tag.Text, p.role);
  }
}
