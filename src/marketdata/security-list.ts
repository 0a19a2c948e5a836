// SecurityListRequest(x) -> SecurityList(y): every instrument (type 4) or the one named (type 0). Per instrument:
// Symbol, SecurityDesc (base/quote), Currency (the quote asset), RoundLot (lot size), MinTradeVol (minimum
// quantity). FIX 4.4 has no MinPriceIncrement (it came with FIX 5.0) and no trading status in SecListGrp, so the tick
// size, limits and status go where the dictionary allows free text: InstrAttrib entries of type 99 ("TickSize=0.01").
// Long lists are split into fragments (TotNoRelatedSym, LastFragment).

import {
  type FieldWriter,
  type FixMessageView,
  InstrAttribType,
  MsgType,
  SecurityListRequestType,
  SecurityRequestResult,
  type SessionHandle,
  SubscriptionRequestType,
  Tag,
} from '../fix/index.js';
import type { Logger } from '../shared/logger.js';
import { formatDecimal } from '../venue/model/decimal.js';
import type { TradingStatus } from '../venue/model/enums.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';

export class SecurityListResponder {
  private responses = 0;
  // State of the message being written (bound writers, no closure per message).
  private reqId = '';
  private responseId = '';
  private result = 0;
  private list: readonly InstrumentSpec[] = [];
  private from = 0;
  private to = 0;

  constructor(
    private readonly instruments: readonly InstrumentSpec[],
    private readonly statusOf: (symbol: string) => TradingStatus,
    private readonly maxPerMessage: number,
    private readonly logger: Logger,
  ) {}

  handle(session: SessionHandle, view: FixMessageView): void {
    this.reqId = view.getString(Tag.SecurityReqID) ?? '';
    this.responseId = `SL${++this.responses}`;
    const type = view.getInt(Tag.SecurityListRequestType);
    const subscription = view.getString(Tag.SubscriptionRequestType);
    if (subscription !== undefined && subscription !== SubscriptionRequestType.Snapshot) {
      return this.refuse(session, SecurityRequestResult.InvalidOrUnsupported, `SubscriptionRequestType(263) ${subscription} is not supported: the instrument list is sent as a snapshot (0)`);
    }
    if (type === SecurityListRequestType.AllSecurities) return this.answer(session, this.instruments);
    if (type === SecurityListRequestType.Symbol) {
      const symbol = view.getString(Tag.Symbol);
      if (symbol === undefined) return this.refuse(session, SecurityRequestResult.InvalidOrUnsupported, 'SecurityListRequestType(559)=0 needs a Symbol(55)');
      const spec = this.instruments.find((i) => i.symbol === symbol);
      if (spec === undefined) return this.refuse(session, SecurityRequestResult.NoInstrumentsFound, `no instrument ${symbol}`);
      return this.answer(session, [spec]);
    }
    this.refuse(
      session,
      SecurityRequestResult.InvalidOrUnsupported,
      `SecurityListRequestType(559) ${view.getString(Tag.SecurityListRequestType) ?? 'missing'} is not supported: 0 (one symbol) or 4 (all securities)`,
    );
  }

  private refuse(session: SessionHandle, result: number, text: string): void {
    // SecurityList has no top-level Text in FIX 4.4: the result code is the answer; the text goes to the log.
    this.logger.debug('security list request refused', { session: session.key, securityReqId: this.reqId, result, text });
    this.result = result;
    this.list = [];
    this.from = this.to = 0;
    session.send(MsgType.SecurityList, this.write);
  }

  private answer(session: SessionHandle, list: readonly InstrumentSpec[]): void {
    this.result = SecurityRequestResult.Valid;
    this.list = list;
    for (this.from = 0; this.from < list.length; this.from = this.to) {
      this.to = Math.min(list.length, this.from + this.maxPerMessage);
      session.send(MsgType.SecurityList, this.write);
    }
    this.list = [];
  }

  private readonly write = (w: FieldWriter): void => {
    w.str(Tag.SecurityReqID, this.reqId);
    w.str(Tag.SecurityResponseID, this.responseId);
    w.int(Tag.SecurityRequestResult, this.result);
    if (this.list.length === 0) return;
    w.int(Tag.TotNoRelatedSym, this.list.length);
    w.bool(Tag.LastFragment, this.to === this.list.length);
    w.group(Tag.NoRelatedSym, this.to - this.from);
    for (let i = this.from; i < this.to; i++) this.writeInstrument(w, this.list[i]!);
    w.endGroup();
  };

  private writeInstrument(w: FieldWriter, spec: InstrumentSpec): void {
    const qd = spec.qtyDecimals;
    w.instance();
    w.str(Tag.Symbol, spec.symbol);
    w.str(Tag.SecurityDesc, `${spec.baseAsset}/${spec.quoteAsset}`);
    w.str(Tag.Currency, spec.quoteAsset);
    w.decimal(Tag.RoundLot, spec.lotSize, qd);
    w.decimal(Tag.MinTradeVol, spec.minQty > 0 ? spec.minQty : spec.lotSize, qd);
    const attributes = [
      `TickSize=${formatDecimal(spec.tickSize, spec.priceDecimals)}`,
      `MaxQty=${formatDecimal(spec.maxQty, qd)}`,
      `TradingStatus=${this.statusOf(spec.symbol)}`,
    ];
    if (spec.minNotional > 0) attributes.push(`MinNotional=${formatDecimal(spec.minNotional, spec.priceDecimals + qd)}`);
    w.group(Tag.NoInstrAttrib, attributes.length);
    for (const a of attributes) w.instance().int(Tag.InstrAttribType, InstrAttribType.Text).str(Tag.InstrAttribValue, a);
    w.endGroup();
  }
}
