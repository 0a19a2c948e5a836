// The fields of one NoMDEntries(268) instance, for snapshots (W: MDFullGrp) and incrementals (X: MDIncGrp).
// Prices and sizes are printed exactly from the core's scaled integers. Only fields FIX44.xml allows in each group:
// MDUpdateAction, MDEntryID and Symbol exist in MDIncGrp only.

import { type FieldWriter, MdEntryType, MdUpdateAction, Tag } from '../fix/index.js';
import { formatDecimal } from '../venue/model/decimal.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { Action } from './entry-list.js';
import { UtcStampWriter } from './utc-stamp.js';

const ACTION_CODES = [MdUpdateAction.New, MdUpdateAction.Change, MdUpdateAction.Delete] as const;

export class EntryFields {
  private readonly stamps = new UtcStampWriter();

  /** A price level; `action` -1 in a snapshot. A deleted level carries its price only. */
  level(w: FieldWriter, spec: InstrumentSpec, action: Action | -1, isBid: boolean, price: number, qty: number, count: number): void {
    // Fields in the group's dictionary order, which lets the encoder write the message without sorting it.
    w.instance();
    if (action >= 0) w.char(Tag.MDUpdateAction, ACTION_CODES[action as Action]);
    w.char(Tag.MDEntryType, isBid ? MdEntryType.Bid : MdEntryType.Offer);
    if (action >= 0) w.str(Tag.Symbol, spec.symbol);
    w.decimal(Tag.MDEntryPx, price, spec.priceDecimals);
    if (action !== Action.Delete) {
      w.decimal(Tag.MDEntrySize, qty, spec.qtyDecimals);
      w.int(Tag.NumberOfOrders, count);
    }
  }

  /**
   * The indicative auction price (MDEntryType A): `action` -1 in a snapshot; a delete (the call ended) carries
   * the last price only.
   */
  imbalance(w: FieldWriter, spec: InstrumentSpec, action: Action | -1, price: number, volume: number, imbalance: number): void {
    w.instance();
    if (action >= 0) w.char(Tag.MDUpdateAction, ACTION_CODES[action as Action]);
    w.char(Tag.MDEntryType, MdEntryType.Imbalance);
    if (action >= 0) w.str(Tag.Symbol, spec.symbol);
    w.decimal(Tag.MDEntryPx, price, spec.priceDecimals);
    if (action === Action.Delete) return;
    w.decimal(Tag.MDEntrySize, volume, spec.qtyDecimals);
    w.str(Tag.Text, surplusText(imbalance, spec.qtyDecimals));
  }

  /**
   * A trade print: new in an incremental (with the match id as MDEntryID), the last trade in a snapshot. qty and
   * time are 0 when only the price is known (the core's last price after a restart).
   */
  trade(w: FieldWriter, spec: InstrumentSpec, incremental: boolean, price: number, qty: number, time: number, matchId: number): void {
    w.instance();
    if (incremental) w.char(Tag.MDUpdateAction, MdUpdateAction.New);
    w.char(Tag.MDEntryType, MdEntryType.Trade);
    if (incremental) {
      if (matchId > 0) w.int(Tag.MDEntryID, matchId);
      w.str(Tag.Symbol, spec.symbol);
    }
    w.decimal(Tag.MDEntryPx, price, spec.priceDecimals);
    if (qty > 0) w.decimal(Tag.MDEntrySize, qty, spec.qtyDecimals);
    if (time > 0) {
      this.stamps.date(w, Tag.MDEntryDate, time);
      this.stamps.time(w, Tag.MDEntryTime, time);
    }
  }
}

/** The surplus of an indicative price in words, the quantity exact at the instrument's scale. */
function surplusText(imbalance: number, qtyDecimals: number): string {
  if (imbalance === 0) return 'no surplus';
  return `${imbalance > 0 ? 'buy' : 'sell'} surplus ${formatDecimal(Math.abs(imbalance), qtyDecimals)}`;
}
