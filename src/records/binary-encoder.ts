// Writes venue events as binary records (binary-format.ts) into the turn's staging. Runs synchronously inside the
// venue's event listener: integers go in as they are inside the venue, strings as their bytes, enumerations as their
// codes; nothing is formatted and nothing allocated per event. The instrument's decimals are stored beside its
// prices and quantities (looked up once per symbol change) so that a reader renders exact decimal strings.
//
// Layouts after the 32-byte record head (i64 = 8 bytes, u8 = 1, str = length-prefixed bytes):
//   <order>    orderId price stopPx qty cumQty leavesQty maxFloor minQty expireTime: i64 | side ordType tif status
//              priceDecimals qtyDecimals postOnly 0: u8                                            (80 bytes)
//   <ostr>     session firm account clOrdId origClOrdId symbol: str
//   accepted, expired, triggered   <order> <ostr>
//   replaced                       <order> keptPriority u8 <ostr>
//   cancelled                      <order> <ostr> reason requestId
//   restated                       <order> <ostr> reason
//   rejected                       orderId i64 | side u8 | command session firm account clOrdId origClOrdId symbol
//                                  sideCode (only for a side the venue does not know) reason text
//   trade                          matchId price qty i64 | aggressorSide priceDecimals qtyDecimals u8 |
//                                  buy, sell: orderId cumQty leavesQty i64 role status u8 |
//                                  symbol | buy: session firm account clOrdId | sell: the same
//   massCancelDone                 cancelled i64 | requestedBy requestId
//   tradingStatus                  symbol status reason
//   routed                         <order> price qty i64 <ostr> kind route execId requestId text
// status is the FIX OrdStatus character; side, ordType and tif the FIX codes.

import { Side } from '../venue/model/enums.js';
import type { OrderView, RejectedEvent, RoutedEvent, TradeEvent, VenueEvent } from '../venue/model/events.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { ROLE_MAKER, ROLE_TAKER, TYPE_CODES } from './binary-format.js';
import type { RecordStaging } from './record-staging.js';

interface Scales {
  price: number;
  qty: number;
}

/** Scales for a symbol the venue does not list (only rejects carry one, and they carry no price). */
const NO_SCALES: Scales = { price: 0, qty: 0 };
const MAX_DATE_MS = 8.64e15;
// Module-local copies: an imported binding is a getter call under tsx, and these are read per event.
const CODES: Readonly<Record<string, number | undefined>> = { ...TYPE_CODES };
const MAKER = ROLE_MAKER;
const TAKER = ROLE_TAKER;

/** Times Date cannot print are stored as 0, as the text format printed them (1970-01-01). */
function storableTime(ms: number): number {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : 0;
}

export class BinaryRecordEncoder {
  private readonly scales = new Map<string, Scales>();
  private lastSymbol = '';
  private lastScales: Scales = NO_SCALES;

  constructor(instruments: readonly InstrumentSpec[]) {
    for (const i of instruments) this.scales.set(i.symbol, { price: i.priceDecimals, qty: i.qtyDecimals });
  }

  /** True for the events the record keeps (not book deltas, nor types added to the contract later). */
  keeps(e: VenueEvent): boolean {
    return e.type !== 'bookDelta' && CODES[e.type] !== undefined;
  }

  /** Writes the event's record (filed under `date`) into out. Call only for events it keeps. */
  encode(e: VenueEvent, date: string, out: RecordStaging): void {
    const code = CODES[e.type];
    if (code === undefined) throw new Error(`the record does not keep ${e.type} events`);
    out.beginRecord(date, code, e.seq, e.commandSeq, storableTime(e.time));
    switch (e.type) {
      case 'trade':
        this.trade(e, out);
        break;
      case 'accepted':
      case 'expired':
      case 'triggered':
        this.orderFixed(e.order, out);
        this.orderStrings(e.order, out);
        break;
      case 'replaced':
        this.orderFixed(e.order, out);
        out.u8(e.keptPriority ? 1 : 0);
        this.orderStrings(e.order, out);
        break;
      case 'cancelled':
        this.orderFixed(e.order, out);
        this.orderStrings(e.order, out);
        out.str(e.reason);
        out.str(e.requestId);
        break;
      case 'restated':
        this.orderFixed(e.order, out);
        this.orderStrings(e.order, out);
        out.str(e.reason);
        break;
      case 'rejected':
        this.rejected(e, out);
        break;
      case 'massCancelDone':
        out.i64(e.cancelled);
        out.str(e.requestedBy);
        out.str(e.requestId);
        break;
      case 'tradingStatus':
        out.str(e.symbol);
        out.str(e.status);
        out.str(e.reason);
        break;
      case 'routed':
        this.routed(e, out);
        break;
      default:
        throw new Error(`the record does not keep ${e.type} events`);
    }
    out.endRecord(e.seq);
  }

  private scalesOf(symbol: string): Scales {
    if (symbol !== this.lastSymbol) {
      this.lastSymbol = symbol;
      this.lastScales = this.scales.get(symbol) ?? NO_SCALES;
    }
    return this.lastScales;
  }

  private orderFixed(o: OrderView, out: RecordStaging): void {
    const s = this.scalesOf(o.symbol);
    out.i64(o.orderId);
    out.i64(o.price);
    out.i64(o.stopPx);
    out.i64(o.qty);
    out.i64(o.cumQty);
    out.i64(o.leavesQty);
    out.i64(o.maxFloor);
    out.i64(o.minQty);
    out.i64(storableTime(o.expireTime));
    out.u8(o.side);
    out.u8(o.ordType);
    out.u8(o.timeInForce);
    out.u8(o.status.charCodeAt(0));
    out.u8(s.price);
    out.u8(s.qty);
    out.u8(o.postOnly ? 1 : 0);
    out.u8(0);
  }

  private orderStrings(o: OrderView, out: RecordStaging): void {
    out.str(o.session);
    out.str(o.firm);
    out.str(o.account);
    out.str(o.clOrdId);
    out.str(o.origClOrdId);
    out.str(o.symbol);
  }

  private rejected(e: RejectedEvent, out: RecordStaging): void {
    const known = e.side === Side.Buy || e.side === Side.Sell;
    out.i64(e.order === null ? 0 : e.order.orderId);
    out.u8(known ? e.side : 0);
    out.str(e.command);
    out.str(e.session);
    out.str(e.firm);
    out.str(e.account);
    out.str(e.clOrdId);
    out.str(e.origClOrdId);
    out.str(e.symbol);
    if (!known) {
      // A refused request may carry a side the venue does not know: kept as sent (rare; a string only here).
      const sent = (e as { sideCode?: string }).sideCode;
      out.str(sent === undefined || sent === '' ? String(e.side) : sent);
    }
    out.str(e.reason);
    out.str(e.text);
  }

  private routed(e: RoutedEvent, out: RecordStaging): void {
    this.orderFixed(e.order, out);
    out.i64(e.price);
    out.i64(e.qty);
    this.orderStrings(e.order, out);
    out.str(e.kind);
    out.str(e.route);
    out.str(e.execId);
    out.str(e.requestId);
    out.str(e.text);
  }

  private partyFixed(o: OrderView, role: number, out: RecordStaging): void {
    out.i64(o.orderId);
    out.i64(o.cumQty);
    out.i64(o.leavesQty);
    out.u8(role);
    out.u8(o.status.charCodeAt(0));
  }

  private partyStrings(o: OrderView, out: RecordStaging): void {
    out.str(o.session);
    out.str(o.firm);
    out.str(o.account);
    out.str(o.clOrdId);
  }

  private trade(e: TradeEvent, out: RecordStaging): void {
    const s = this.scalesOf(e.symbol);
    const makerBuys = e.maker.side === Side.Buy;
    const buy = makerBuys ? e.maker : e.taker;
    const sell = makerBuys ? e.taker : e.maker;
    out.i64(e.matchId);
    out.i64(e.price);
    out.i64(e.qty);
    out.u8(e.aggressorSide);
    out.u8(s.price);
    out.u8(s.qty);
    this.partyFixed(buy, makerBuys ? MAKER : TAKER, out);
    this.partyFixed(sell, makerBuys ? TAKER : MAKER, out);
    out.str(e.symbol);
    this.partyStrings(buy, out);
    this.partyStrings(sell, out);
  }
}
