// MarketDataSnapshotFullRefresh(W) of one instrument: bids best first, then offers, then the last trade, as the
// subscription asked. A book with more entries than fit in one message (the counterparty's size limit) is sent as a
// W with the first entries followed, in the same turn, by incrementals (X) that add the rest as new levels.
//
// The writer keeps its state in fields and hands session.send() bound methods: no closure per message.

import { type FieldWriter, MsgType, type SessionHandle, Tag } from '../fix/index.js';
import type { EntryFields } from './entry-fields.js';
import { Action } from './entry-list.js';
import { EntryMask } from './md-codes.js';
import type { SymbolFeed } from './symbol-feed.js';

export class SnapshotWriter {
  private feed: SymbolFeed | null = null;
  private reqId = '';
  private bidCount = 0;
  private offerCount = 0;
  private tradeCount = 0;
  private imbalanceCount = 0;
  /** Next entry to write, counted over bids, then offers, then the trade, then the indicative price. */
  private next = 0;
  private chunk = 0;

  constructor(
    private readonly fields: EntryFields,
    private readonly maxEntries: number,
  ) {}

  /** Sends the snapshot of `feed` (and its overflow) to a session. */
  send(session: SessionHandle, reqId: string, feed: SymbolFeed, depth: number, types: number): void {
    const limit = depth > 0 ? depth : Number.MAX_SAFE_INTEGER;
    this.feed = feed;
    this.reqId = reqId;
    this.bidCount = (types & EntryMask.Bid) !== 0 ? Math.min(limit, feed.bids.ladder.size) : 0;
    this.offerCount = (types & EntryMask.Offer) !== 0 ? Math.min(limit, feed.offers.ladder.size) : 0;
    this.tradeCount = (types & EntryMask.Trade) !== 0 && feed.lastTradePrice > 0 ? 1 : 0;
    this.imbalanceCount = (types & EntryMask.Imbalance) !== 0 && feed.indicativePrice > 0 ? 1 : 0;
    this.next = 0;
    const total = this.bidCount + this.offerCount + this.tradeCount + this.imbalanceCount;
    this.chunk = Math.min(total, this.maxEntries);
    session.send(MsgType.MarketDataSnapshotFullRefresh, this.writeSnapshot);
    while (this.next < total) {
      this.chunk = Math.min(total - this.next, this.maxEntries);
      session.send(MsgType.MarketDataIncrementalRefresh, this.writeOverflow);
    }
    this.feed = null;
  }

  private readonly writeSnapshot = (w: FieldWriter): void => {
    w.str(Tag.Symbol, this.feed!.symbol);
    w.str(Tag.MDReqID, this.reqId);
    this.writeEntries(w, false);
  };

  private readonly writeOverflow = (w: FieldWriter): void => {
    w.str(Tag.MDReqID, this.reqId);
    this.writeEntries(w, true);
  };

  private writeEntries(w: FieldWriter, incremental: boolean): void {
    const feed = this.feed!;
    const spec = feed.spec;
    const action: Action | -1 = incremental ? Action.New : -1;
    w.group(Tag.NoMDEntries, this.chunk);
    for (let k = 0; k < this.chunk; k++) {
      let i = this.next++;
      if (i < this.bidCount) {
        const l = feed.bids.ladder;
        this.fields.level(w, spec, action, true, l.priceAtRank(i), l.qtyAtRank(i), l.countAtRank(i));
        continue;
      }
      i -= this.bidCount;
      if (i < this.offerCount) {
        const l = feed.offers.ladder;
        this.fields.level(w, spec, action, false, l.priceAtRank(i), l.qtyAtRank(i), l.countAtRank(i));
        continue;
      }
      i -= this.offerCount;
      if (i < this.tradeCount) {
        this.fields.trade(w, spec, incremental, feed.lastTradePrice, feed.lastTradeQty, feed.lastTradeTime, 0);
        continue;
      }
      this.fields.imbalance(w, spec, action, feed.indicativePrice, feed.indicativeVolume, feed.indicativeImbalance);
    }
    w.endGroup();
  }
}
