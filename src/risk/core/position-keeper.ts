// Applies trades to positions: for each side of a trade, the account's base-asset position moves by the
// quantity and its quote-asset position by the notional, and the firm totals follow. A trade is applied
// to a position only if its event seq is after the position's lastSeq, which is stored with the position
// in Redis: replaying the journal after a crash then applies exactly the trades Redis had not yet seen,
// never one twice. (The freshness of all four positions is decided before any is touched, so a trade of
// an account with itself still counts on both sides.)

import { Side } from '../../venue/model/enums.js';
import type { TradeEvent } from '../../venue/model/events.js';
import * as exactInt from '../exact/exact-int.js';
import type { ExactInt } from '../exact/exact-int.js';
import * as safeMath from '../exact/safe-math.js';
import type { RiskSlot } from '../limits/risk-slot.js';
import * as positionMath from '../positions/position.js';
import type { FillDelta } from '../positions/position.js';
import type { RiskChangeSink } from './change-sink.js';

// Hot path: under tsx (tests, benchmarks) an imported binding is read through a getter at every use
// (~10 ns); the module-local copies below are plain reads.
const { xabs, xadd, xmul, xneg, xsub } = exactInt;
const { addExact } = safeMath;
const { applyBaseFill, applyQuoteFill } = positionMath;
const BUY = Side.Buy;

export class PositionKeeper {
  private readonly delta: FillDelta = { cost: 0, realised: 0 };

  constructor(private readonly sink: RiskChangeSink) {}

  /** Returns true when the trade changed any position (false when every position had already seen it). */
  applyTrade(e: TradeEvent, maker: RiskSlot, taker: RiskSlot): boolean {
    const seq = e.seq;
    const makerBase = seq > maker.basePosition.lastSeq;
    const makerQuote = seq > maker.quotePosition.lastSeq;
    const takerBase = seq > taker.basePosition.lastSeq;
    const takerQuote = seq > taker.quotePosition.lastSeq;
    if (!makerBase && !makerQuote && !takerBase && !takerQuote) return false;
    const inst = maker.inst;
    const qty = xmul(e.qty, inst.qtyToBase);
    const price = e.price;
    const unit = inst.unitToQuote;
    const notional = xmul(xmul(qty, price), unit);
    if (makerBase) this.base(maker, e.maker.side, qty, price, unit, seq);
    if (makerQuote) this.quote(maker, e.maker.side, notional, seq);
    if (takerBase) this.base(taker, e.taker.side, qty, price, unit, seq);
    if (takerQuote) this.quote(taker, e.taker.side, notional, seq);
    return true;
  }

  /**
   * A routed order's fill at an external venue: one side only, the counterparty is outside the venue. Same
   * freshness rule as a trade (applied only to positions that have not seen this event seq).
   */
  applyFill(seq: number, side: Side, fillQty: number, price: number, slot: RiskSlot): boolean {
    const fresh = seq > slot.basePosition.lastSeq;
    const freshQuote = seq > slot.quotePosition.lastSeq;
    if (!fresh && !freshQuote) return false;
    const inst = slot.inst;
    const qty = xmul(fillQty, inst.qtyToBase);
    const unit = inst.unitToQuote;
    if (fresh) this.base(slot, side, qty, price, unit, seq);
    if (freshQuote) this.quote(slot, side, xmul(xmul(qty, price), unit), seq);
    return true;
  }

  private base(slot: RiskSlot, side: Side, qty: ExactInt, price: number, unit: number, seq: number): void {
    const pos = slot.basePosition;
    const d = side === BUY ? qty : xneg(qty);
    const before = pos.costAbsNum;
    const delta = this.delta;
    applyBaseFill(pos, d, price, unit, delta);
    pos.syncMirrors();
    pos.lastSeq = seq;
    const firm = slot.firmBase;
    firm.net = xadd(firm.net, d);
    firm.cost = xadd(firm.cost, delta.cost);
    firm.realised = xadd(firm.realised, delta.realised);
    firm.volume = xadd(firm.volume, xabs(qty));
    firm.syncMirrors();
    const change = pos.costAbsNum - before;
    if (change !== 0) {
      slot.accountCredit.filled = addExact(slot.accountCredit.filled, change);
      slot.firmCredit.filled = addExact(slot.firmCredit.filled, change);
    }
    this.sink.positionChanged(pos);
  }

  private quote(slot: RiskSlot, side: Side, notional: ExactInt, seq: number): void {
    const pos = slot.quotePosition;
    const signed = side === BUY ? notional : xneg(notional);
    applyQuoteFill(pos, signed);
    pos.syncMirrors();
    pos.lastSeq = seq;
    const firm = slot.firmQuote;
    firm.net = xsub(firm.net, signed);
    firm.volume = xadd(firm.volume, notional);
    firm.syncMirrors();
    this.sink.positionChanged(pos);
  }
}
