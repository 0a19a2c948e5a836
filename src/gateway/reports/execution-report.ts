// The body of an ExecutionReport(8), written from one reused content object so that reporting an event costs
// no closure or object per message: fill `content`, then pass the bound `write` to session.send(). Quantities,
// prices and ids go to the encoder as scaled integers (w.decimal / w.int), never through a string.

import { type FieldWriter, Tag } from '../../fix/index.js';
import type { OrderView } from '../../venue/model/events.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import { ordTypeToFix, sideToFix, timeInForceToFix } from '../fix-mappings.js';
import { formatAveragePrice } from './average-price.js';
import { TradeDateFormatter } from './trade-date.js';

/** LastLiquidityInd(851). */
export const Liquidity = { None: 0, Added: 1, Removed: 2, RoutedOut: 3 } as const;

export class ExecutionReportContent {
  order: OrderView | null = null;
  spec: InstrumentSpec | null = null;
  /** OrderID(37); 'NONE' for a rejected new order. */
  orderId = '';
  clOrdId = '';
  origClOrdId = '';
  /** ExecID(17) as text; when empty, execSeq (and execSuffix) make it: the event seq, 'B'/'S' for a fill's side. */
  execId = '';
  execSeq = 0;
  /** Char code after execSeq (0: none). */
  execSuffix = 0;
  execType = '';
  ordStatus = '';
  /** FIX Side code ('1', '2', ...) when there is no order to read it from. */
  side = '';
  account = '';
  symbol = '';
  lastQty = 0;
  lastPx = 0;
  liquidity: number = Liquidity.None;
  /** LastMkt(30): where a routed order's fill happened (the route's name). */
  lastMkt = '';
  /** SecondaryExecID(527): the venue's match id of a fill, for reconciliation with trade capture. */
  matchId = 0;
  ordRejReason = -1;
  execRestatementReason = -1;
  text = '';
  transactTime = 0;
  /** CopyMsgIndicator(797) on drop copies. */
  copy = false;
  /** MassStatusReqID(584) / TotNumReports(911) / LastRptRequested(912) for mass status answers. */
  massStatusReqId = '';
  totNumReports = 0;
  lastReport = false;

  reset(): void {
    this.order = null;
    this.spec = null;
    this.orderId = this.clOrdId = this.origClOrdId = this.execId = this.execType = this.ordStatus = '';
    this.side = this.account = this.symbol = this.text = this.massStatusReqId = this.lastMkt = '';
    this.lastQty = this.lastPx = this.matchId = this.transactTime = this.totNumReports = this.execSeq = this.execSuffix = 0;
    this.liquidity = Liquidity.None;
    this.ordRejReason = this.execRestatementReason = -1;
    this.copy = this.lastReport = false;
  }
}

export class ExecutionReportWriter {
  readonly content = new ExecutionReportContent();
  private readonly dates = new TradeDateFormatter();

  /** Writes the body from `content`; pass it (bound) to SessionHandle.send('8', ...). */
  readonly write = (w: FieldWriter): void => {
    const c = this.content;
    const o = c.order;
    const spec = c.spec;
    if (o !== null && spec !== null) {
      const pd = spec.priceDecimals;
      const qd = spec.qtyDecimals;
      w.str(Tag.Account, o.account);
      // The average of fills at one price divides exactly (the common case); otherwise it needs extra places.
      if (o.cumQty === 0) w.decimal(Tag.AvgPx, 0, pd);
      else if (o.cumNotional % o.cumQty === 0) w.decimal(Tag.AvgPx, o.cumNotional / o.cumQty, pd);
      else w.str(Tag.AvgPx, formatAveragePrice(o.cumNotional, o.cumQty, pd));
      w.str(Tag.ClOrdID, c.clOrdId || o.clOrdId);
      w.decimal(Tag.CumQty, o.cumQty, qd);
      if (c.execId !== '') w.str(Tag.ExecID, c.execId);
      else w.intSuffixed(Tag.ExecID, c.execSeq, c.execSuffix);
      if (c.lastQty > 0) {
        if (c.lastMkt !== '') w.str(Tag.LastMkt, c.lastMkt);
        w.decimal(Tag.LastPx, c.lastPx, pd);
        w.decimal(Tag.LastQty, c.lastQty, qd);
      }
      if (c.orderId !== '') w.str(Tag.OrderID, c.orderId);
      else w.int(Tag.OrderID, o.orderId);
      w.decimal(Tag.OrderQty, o.qty, qd);
      w.char(Tag.OrdStatus, c.ordStatus || o.status);
      w.char(Tag.OrdType, ordTypeToFix(o.ordType));
      const orig = c.origClOrdId || o.origClOrdId;
      if (orig !== '') w.str(Tag.OrigClOrdID, orig);
      if (o.price > 0) w.decimal(Tag.Price, o.price, pd);
      w.char(Tag.Side, sideToFix(o.side));
      w.str(Tag.Symbol, o.symbol);
      if (c.text !== '') w.str(Tag.Text, c.text);
      w.char(Tag.TimeInForce, timeInForceToFix(o.timeInForce));
      w.timestamp(Tag.TransactTime, c.transactTime);
      w.str(Tag.TradeDate, this.dates.format(c.transactTime));
      if (o.stopPx > 0) w.decimal(Tag.StopPx, o.stopPx, pd);
      if (c.ordRejReason >= 0) w.int(Tag.OrdRejReason, c.ordRejReason);
      if (o.maxFloor > 0) w.decimal(Tag.MaxFloor, o.maxFloor, qd);
      if (o.expireTime > 0) w.timestamp(Tag.ExpireTime, o.expireTime);
      w.char(Tag.ExecType, c.execType);
      w.decimal(Tag.LeavesQty, o.leavesQty, qd);
    } else {
      // No order exists (a refused NewOrderSingle): echo what identifies the request.
      if (c.account !== '') w.str(Tag.Account, c.account);
      w.str(Tag.AvgPx, '0');
      // Absent rather than empty (a mass status answer with no orders has none): 11= is a Reject for a strict engine.
      if (c.clOrdId !== '') w.str(Tag.ClOrdID, c.clOrdId);
      w.str(Tag.CumQty, '0');
      if (c.execId !== '') w.str(Tag.ExecID, c.execId);
      else w.intSuffixed(Tag.ExecID, c.execSeq, c.execSuffix);
      w.str(Tag.OrderID, c.orderId || 'NONE');
      w.char(Tag.OrdStatus, c.ordStatus);
      if (c.origClOrdId !== '') w.str(Tag.OrigClOrdID, c.origClOrdId);
      w.char(Tag.Side, c.side);
      w.str(Tag.Symbol, c.symbol);
      if (c.text !== '') w.str(Tag.Text, c.text);
      w.timestamp(Tag.TransactTime, c.transactTime);
      w.str(Tag.TradeDate, this.dates.format(c.transactTime));
      if (c.ordRejReason >= 0) w.int(Tag.OrdRejReason, c.ordRejReason);
      w.char(Tag.ExecType, c.execType);
      w.str(Tag.LeavesQty, '0');
    }
    if (c.execRestatementReason >= 0) w.int(Tag.ExecRestatementReason, c.execRestatementReason);
    if (c.matchId > 0) w.int(Tag.SecondaryExecID, c.matchId);
    if (c.massStatusReqId !== '') {
      w.str(Tag.MassStatusReqID, c.massStatusReqId);
      w.int(Tag.TotNumReports, c.totNumReports);
      w.bool(Tag.LastRptRequested, c.lastReport);
    }
    if (c.liquidity !== Liquidity.None) w.int(Tag.LastLiquidityInd, c.liquidity);
    if (c.copy && w.allows(Tag.CopyMsgIndicator)) w.bool(Tag.CopyMsgIndicator, true);
  };
}
