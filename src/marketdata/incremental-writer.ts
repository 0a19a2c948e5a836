// MarketDataIncrementalRefresh(X) for one subscription at the end of a turn: the entries its views computed (only
// the sides it asked for) and the trades of its instruments, all instruments in one message, split into several
// when there are more entries than fit in one.

import { type FieldWriter, MsgType, type SessionHandle, Tag } from '../fix/index.js';
import type { EntryFields } from './entry-fields.js';
import { Action } from './entry-list.js';
import { EntryMask } from './md-codes.js';
import type { Subscription } from './subscription.js';

export class IncrementalWriter {
  private sub: Subscription | null = null;
  private chunk = 0;
  // Cursor: instrument index, position in its view's entries, then in its trades.
  private feedIndex = 0;
  private entryIndex = 0;
  private tradeIndex = 0;
  private imbalanceDone = false;

  constructor(
    private readonly fields: EntryFields,
    private readonly maxEntries: number,
  ) {}

  /** Entries this turn holds for the subscription. */
  static count(sub: Subscription): number {
    const wantBids = (sub.types & EntryMask.Bid) !== 0;
    const wantOffers = (sub.types & EntryMask.Offer) !== 0;
    const wantTrades = (sub.types & EntryMask.Trade) !== 0;
    const wantImbalance = (sub.types & EntryMask.Imbalance) !== 0;
    let n = 0;
    for (let i = 0; i < sub.feeds.length; i++) {
      const e = sub.views[i]!.entries;
      if (wantBids) n += e.bidCount;
      if (wantOffers) n += e.offerCount;
      if (wantTrades) n += sub.feeds[i]!.trades.length;
      if (wantImbalance && sub.feeds[i]!.hasIndicativeEntry) n++;
    }
    return n;
  }

  /** Sends the turn's entries (total = count(sub), > 0). */
  send(session: SessionHandle, sub: Subscription, total: number): void {
    this.sub = sub;
    this.feedIndex = this.entryIndex = this.tradeIndex = 0;
    this.imbalanceDone = false;
    for (let sent = 0; sent < total; sent += this.chunk) {
      this.chunk = Math.min(total - sent, this.maxEntries);
      session.send(MsgType.MarketDataIncrementalRefresh, this.write);
    }
    this.sub = null;
  }

  private readonly write = (w: FieldWriter): void => {
    const sub = this.sub!;
    w.str(Tag.MDReqID, sub.reqId);
    w.group(Tag.NoMDEntries, this.chunk);
    for (let k = 0; k < this.chunk; k++) this.writeNext(w, sub);
    w.endGroup();
  };

  /** Writes the entry at the cursor and advances it, skipping sides the subscription did not ask for. */
  private writeNext(w: FieldWriter, sub: Subscription): void {
    for (;;) {
      const feed = sub.feeds[this.feedIndex]!;
      const entries = sub.views[this.feedIndex]!.entries;
      while (this.entryIndex < entries.length) {
        const i = this.entryIndex++;
        const isBid = entries.isBidAt(i);
        if ((sub.types & (isBid ? EntryMask.Bid : EntryMask.Offer)) === 0) continue;
        this.fields.level(w, feed.spec, entries.actionAt(i), isBid, entries.priceAt(i), entries.qtyAt(i), entries.countAt(i));
        return;
      }
      const trades = feed.trades;
      if ((sub.types & EntryMask.Trade) !== 0 && this.tradeIndex < trades.length) {
        const t = this.tradeIndex++;
        this.fields.trade(w, feed.spec, true, trades.priceAt(t), trades.qtyAt(t), trades.timeAt(t), trades.matchIdAt(t));
        return;
      }
      if ((sub.types & EntryMask.Imbalance) !== 0 && !this.imbalanceDone && feed.hasIndicativeEntry) {
        this.imbalanceDone = true;
        const gone = feed.indicativePrice === 0;
        const action = feed.indicativeBefore === 0 ? Action.New : gone ? Action.Delete : Action.Change;
        const price = gone ? feed.indicativeBefore : feed.indicativePrice;
        this.fields.imbalance(w, feed.spec, action, price, feed.indicativeVolume, feed.indicativeImbalance);
        return;
      }
      this.feedIndex++;
      this.entryIndex = 0;
      this.tradeIndex = 0;
      this.imbalanceDone = false;
    }
  }
}
