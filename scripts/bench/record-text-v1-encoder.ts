// Writes venue events as v1 text lines (src/records/record-format.ts) into a LineBuffer: what the venue's record
// wrote per event before the binary format (src/records/binary-encoder.ts). Not part of the venue any more: it
// lives beside the benchmark it is the same-run baseline of (`npm run bench:record`), and tests use it to write
// the text day files earlier versions left on disk and to check that binary records render to the same lines.
// It writes bytes field by field and builds no strings: the ISO time is cached across the events of one command,
// decimals are printed with the scales of the event's instrument (looked up once per symbol change).

import { Side } from '../../src/venue/model/enums.js';
import type { OrderView, RejectedEvent, RoutedEvent, TradeEvent, VenueEvent } from '../../src/venue/model/events.js';
import type { InstrumentSpec } from '../../src/venue/model/instrument.js';
import type { LineBuffer } from '../../src/records/line-buffer.js';
import { ordTypeWord, sideWord, statusWord, tifWord } from '../../src/records/record-format.js';

interface Scales {
  price: number;
  qty: number;
}

/** Scales for a symbol the venue does not list (only rejects carry one, and they carry no price). */
const NO_SCALES: Scales = { price: 0, qty: 0 };

export class RecordEncoder {
  private readonly scales = new Map<string, Scales>();
  private lastSymbol = '';
  private lastScales: Scales = NO_SCALES;
  readonly times = new IsoTimeCache();

  constructor(instruments: readonly InstrumentSpec[]) {
    for (const i of instruments) this.scales.set(i.symbol, { price: i.priceDecimals, qty: i.qtyDecimals });
  }

  /** True for the events the record keeps (not book deltas, nor types added to the contract later). */
  keeps(e: VenueEvent): boolean {
    switch (e.type) {
      case 'trade':
      case 'accepted':
      case 'expired':
      case 'triggered':
      case 'replaced':
      case 'cancelled':
      case 'restated':
      case 'rejected':
      case 'massCancelDone':
      case 'tradingStatus':
      case 'routed':
        return true;
      default:
        return false;
    }
  }

  /** Writes the event's line (filed under `date`) into out. Call only for events it keeps. */
  encode(e: VenueEvent, date: string, out: LineBuffer): void {
    out.begin(date);
    out.word(e.type);
    out.tab();
    out.int(e.seq);
    out.tab();
    out.int(e.commandSeq);
    out.tab();
    out.word(this.times.iso(e.time));
    out.tab();
    switch (e.type) {
      case 'trade':
        this.trade(e, out);
        break;
      case 'accepted':
      case 'expired':
      case 'triggered':
        this.order(e.order, out);
        break;
      case 'replaced':
        this.order(e.order, out);
        out.tab();
        out.word(e.keptPriority ? '1' : '0');
        break;
      case 'cancelled':
        this.order(e.order, out);
        out.tab();
        out.text(e.reason);
        out.tab();
        out.text(e.requestId);
        break;
      case 'restated':
        this.order(e.order, out);
        out.tab();
        out.text(e.reason);
        break;
      case 'rejected':
        this.rejected(e, out);
        break;
      case 'massCancelDone':
        out.text(e.requestedBy);
        out.tab();
        out.text(e.requestId);
        out.tab();
        out.int(e.cancelled);
        break;
      case 'tradingStatus':
        out.text(e.symbol);
        out.tab();
        out.text(e.status);
        out.tab();
        out.text(e.reason);
        break;
      case 'routed':
        this.routed(e, out);
        break;
      default:
        throw new Error(`the record does not keep ${e.type} events`);
    }
    out.end(e.seq);
  }

  private scalesOf(symbol: string): Scales {
    if (symbol !== this.lastSymbol) {
      this.lastSymbol = symbol;
      this.lastScales = this.scales.get(symbol) ?? NO_SCALES;
    }
    return this.lastScales;
  }

  private rejected(e: RejectedEvent, out: LineBuffer): void {
    out.text(e.command);
    for (const s of [e.session, e.firm, e.account, e.clOrdId, e.origClOrdId, e.symbol]) {
      out.tab();
      out.text(s);
    }
    out.tab();
    // A refused request may carry a side the venue does not know: it is kept as sent, after a "?".
    if (e.side === Side.Buy || e.side === Side.Sell) {
      out.word(sideWord(e.side));
    } else {
      const sent = (e as { sideCode?: string }).sideCode;
      out.word('?');
      out.text(sent === undefined || sent === '' ? String(e.side) : sent);
    }
    out.tab();
    out.text(e.reason);
    out.tab();
    out.text(e.text);
    out.tab();
    out.int(e.order === null ? 0 : e.order.orderId);
  }

  private order(o: OrderView, out: LineBuffer): void {
    const s = this.scalesOf(o.symbol);
    out.int(o.orderId);
    out.tab();
    out.text(o.session);
    out.tab();
    out.text(o.firm);
    out.tab();
    out.text(o.account);
    out.tab();
    out.text(o.clOrdId);
    out.tab();
    out.text(o.origClOrdId);
    out.tab();
    out.text(o.symbol);
    out.tab();
    out.word(sideWord(o.side));
    out.tab();
    out.word(ordTypeWord(o.ordType));
    out.tab();
    out.word(tifWord(o.timeInForce));
    out.tab();
    out.optDec(o.price, s.price);
    out.tab();
    out.optDec(o.stopPx, s.price);
    out.tab();
    out.dec(o.qty, s.qty);
    out.tab();
    out.dec(o.cumQty, s.qty);
    out.tab();
    out.dec(o.leavesQty, s.qty);
    out.tab();
    out.word(statusWord(o.status));
    out.tab();
    out.optDec(o.maxFloor, s.qty);
    out.tab();
    out.optDec(o.minQty, s.qty);
    out.tab();
    if (o.expireTime !== 0) out.word(new Date(Number.isFinite(o.expireTime) && Math.abs(o.expireTime) <= 8.64e15 ? o.expireTime : 0).toISOString());
    out.tab();
    out.word(o.postOnly ? '1' : '0');
  }

  /** A routed order's step: the order, then kind, route, fill price and quantity (empty unless a fill), ids, text. */
  private routed(e: RoutedEvent, out: LineBuffer): void {
    this.order(e.order, out);
    const s = this.scalesOf(e.order.symbol);
    out.tab();
    out.word(e.kind);
    out.tab();
    out.text(e.route);
    out.tab();
    out.optDec(e.price, s.price);
    out.tab();
    out.optDec(e.qty, s.qty);
    out.tab();
    out.text(e.execId);
    out.tab();
    out.text(e.requestId);
    out.tab();
    out.text(e.text);
  }

  private party(o: OrderView, role: string, qtyDecimals: number, out: LineBuffer): void {
    out.int(o.orderId);
    out.tab();
    out.text(o.session);
    out.tab();
    out.text(o.firm);
    out.tab();
    out.text(o.account);
    out.tab();
    out.text(o.clOrdId);
    out.tab();
    out.word(role);
    out.tab();
    out.dec(o.cumQty, qtyDecimals);
    out.tab();
    out.dec(o.leavesQty, qtyDecimals);
    out.tab();
    out.word(statusWord(o.status));
  }

  private trade(e: TradeEvent, out: LineBuffer): void {
    const s = this.scalesOf(e.symbol);
    out.text(e.symbol);
    out.tab();
    out.int(e.matchId);
    out.tab();
    out.dec(e.price, s.price);
    out.tab();
    out.dec(e.qty, s.qty);
    out.tab();
    out.word(sideWord(e.aggressorSide));
    out.tab();
    const makerBuys = e.maker.side === Side.Buy;
    this.party(makerBuys ? e.maker : e.taker, makerBuys ? 'maker' : 'taker', s.qty, out);
    out.tab();
    this.party(makerBuys ? e.taker : e.maker, makerBuys ? 'taker' : 'maker', s.qty, out);
  }
}

/**
 * Formats times as ISO strings, remembering the last one: consecutive events of one command share a time,
 * so most calls return the cached string without building a Date.
 */
class IsoTimeCache {
  private lastMs = NaN;
  private lastIso = '';
  private lastDate = '';

  iso(ms: number): string {
    if (ms !== this.lastMs) this.refresh(ms);
    return this.lastIso;
  }

  date(ms: number): string {
    if (ms !== this.lastMs) this.refresh(ms);
    return this.lastDate;
  }

  private refresh(ms: number): void {
    this.lastMs = ms;
    // A time outside what Date can print (NaN, ±8.64e15) must not throw inside an event listener.
    this.lastIso = new Date(Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : 0).toISOString();
    this.lastDate = this.lastIso.slice(0, 10);
  }
}
