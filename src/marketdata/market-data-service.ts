// Market data for FIX sessions: SecurityListRequest(x) -> SecurityList(y); MarketDataRequest(V) -> snapshots (W),
// then incrementals (X) built from the core's BookDeltaEvents and TradeEvents, coalesced per event-loop turn;
// MarketDataRequestReject(Y) for what the venue does not support; SecurityStatus(f) on halts and resumes.
//
// How a turn works: onEvent() (synchronous, inside the core's command) updates the mirrored book of the instrument
// and, when someone listens to it, remembers which levels changed and what they were at the start of the turn. The
// first such event schedules one flush (setImmediate). The flush computes each view's entries once (one entry per
// changed level with its final state, however many deltas hit it), writes one X per subscription, then the
// snapshots of subscriptions made during the turn (so new and old subscribers meet at the same end-of-turn book),
// then status messages. Work per turn is O(changed levels x subscriptions), never O(book).
//
// A slow subscriber cannot hold up order entry: nothing here waits for a socket. session.send() queues, coalescing
// caps what one turn adds to a subscriber's queue at one entry per changed level, and the FIX engine disconnects a
// peer whose unsent bytes pass its slow-consumer limit (the gateway then calls onSessionGone).

import {
  type FixMessageView,
  type InboundContext,
  MdReqRejReason,
  MsgType,
  type SessionHandle,
  SubscriptionRequestType,
  Tag,
} from '../fix/index.js';
import type { Logger } from '../shared/logger.js';
import { silentLogger } from '../shared/logger.js';
import type { BookSnapshot, InstrumentState } from '../venue/core/queries.js';
import { TradingStatus } from '../venue/model/enums.js';
import type { VenueEvent } from '../venue/model/events.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { EntryFields } from './entry-fields.js';
import { IncrementalWriter } from './incremental-writer.js';
import { EntryMask } from './md-codes.js';
import { readMarketDataRequest, type MdRefusal, type MdRequest } from './md-request.js';
import { SecurityListResponder } from './security-list.js';
import { SnapshotWriter } from './snapshot-writer.js';
import { StatusWriter } from './status-writer.js';
import type { Subscriber, Subscription } from './subscription.js';
import { SymbolFeed } from './symbol-feed.js';
import { emptyArray } from '../shared/arrays.js';

/** The read-only venue queries market data needs (the gateway's VenueQueryPort fits). */
export interface MarketDataQueries {
  book(symbol: string, depth?: number): BookSnapshot | undefined;
  instrument(symbol: string): InstrumentState | undefined;
}

export interface MarketDataOptions {
  queries: MarketDataQueries;
  instruments: readonly InstrumentSpec[];
  logger?: Logger;
  /** Largest MarketDepth N accepted besides 0 (full book); default 1000. */
  maxDepth?: number;
  /** Live subscriptions per session; default 100. */
  maxSubscriptionsPerSession?: number;
  /** NoMDEntries per message (and instruments per SecurityList); default 200, about 10 KB. */
  maxEntriesPerMessage?: number;
}

export class MarketDataService {
  private readonly queries: MarketDataQueries;
  private readonly logger: Logger;
  private readonly maxDepth: number;
  private readonly maxSubscriptions: number;
  private readonly feeds = new Map<string, SymbolFeed>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly dirtyFeeds: SymbolFeed[] = [];
  private readonly pendingSnapshots: Subscription[] = [];
  private readonly touched: Subscription[] = [];
  private readonly snapshots: SnapshotWriter;
  private readonly incrementals: IncrementalWriter;
  private readonly statuses = new StatusWriter();
  private readonly securityList: SecurityListResponder;
  private scheduled = false;
  private flushes = 0;
  private closed = false;

  constructor(options: MarketDataOptions) {
    this.queries = options.queries;
    this.logger = options.logger ?? silentLogger;
    this.maxDepth = options.maxDepth ?? 1000;
    this.maxSubscriptions = options.maxSubscriptionsPerSession ?? 100;
    const maxEntries = Math.max(1, options.maxEntriesPerMessage ?? 200);
    for (const spec of options.instruments) {
      const feed = new SymbolFeed(spec);
      feed.status = this.queries.instrument(spec.symbol)?.status ?? spec.status;
      this.feeds.set(spec.symbol, feed);
    }
    const fields = new EntryFields();
    this.snapshots = new SnapshotWriter(fields, maxEntries);
    this.incrementals = new IncrementalWriter(fields, maxEntries);
    this.securityList = new SecurityListResponder(options.instruments, (s) => this.feeds.get(s)?.status ?? TradingStatus.Closed, maxEntries, this.logger);
  }

  /** Handles MarketDataRequest(V) and SecurityListRequest(x); false for any other MsgType. */
  handle(session: SessionHandle, view: FixMessageView, _ctx: InboundContext): boolean {
    switch (view.msgType) {
      case MsgType.MarketDataRequest:
        this.marketDataRequest(session, view);
        return true;
      case MsgType.SecurityListRequest:
        this.securityList.handle(session, view);
        return true;
      default:
        return false;
    }
  }

  /** The venue event listener (synchronous; copies what it keeps, the core reuses event objects). */
  readonly onEvent = (e: VenueEvent): void => {
    switch (e.type) {
      case 'bookDelta': {
        const feed = this.feeds.get(e.symbol);
        if (feed === undefined || !feed.mirrored) return;
        feed.applyDelta(e.side, e.price, e.qty, e.orderCount);
        if (feed.views.length > 0) this.markDirty(feed);
        return;
      }
      case 'trade': {
        const feed = this.feeds.get(e.symbol);
        if (feed === undefined) return;
        feed.lastTradePrice = e.price;
        feed.lastTradeQty = e.qty;
        feed.lastTradeTime = e.time;
        if (feed.subscriptions.length > 0) {
          feed.trades.push(e.price, e.qty, e.time, e.matchId);
          this.markDirty(feed);
        }
        return;
      }
      case 'indicative': {
        const feed = this.feeds.get(e.symbol);
        if (feed === undefined) return;
        feed.setIndicative(e.price, e.volume, e.imbalance);
        if (feed.subscriptions.length > 0) this.markDirty(feed);
        else feed.indicativeChanged = false;
        return;
      }
      case 'tradingStatus': {
        const feed = this.feeds.get(e.symbol);
        if (feed === undefined) return;
        feed.status = e.status;
        if (feed.subscriptions.length > 0) {
          feed.statusChanges.push({ status: e.status, reason: e.reason, time: e.time });
          this.markDirty(feed);
        }
        return;
      }
      default:
        return;
    }
  };

  /** Drops every subscription of a session (logout, disconnect). Accepts the session key ("FIX.4.4:VENUE->X"). */
  onSessionGone(sessionKey: string): void {
    const subscriber = this.subscribers.get(sessionKey);
    if (subscriber === undefined) return;
    for (const sub of subscriber.subscriptions.values()) this.detach(sub);
    subscriber.subscriptions.clear();
    this.subscribers.delete(sessionKey);
  }

  /** Live subscriptions (for ops and tests). */
  get subscriptionCount(): number {
    let n = 0;
    for (const s of this.subscribers.values()) n += s.subscriptions.size;
    return n;
  }

  /** Stops publishing (shutdown): pending output of the current turn is dropped. */
  close(): void {
    this.closed = true;
    for (const key of [...this.subscribers.keys()]) this.onSessionGone(key);
  }

  // ------------------------------------------------------------------------------------------ requests

  private marketDataRequest(session: SessionHandle, view: FixMessageView): void {
    const request = readMarketDataRequest(view, this.maxDepth);
    if (!request.ok) return this.reject(session, request);
    const subscriber = this.subscriberOf(session);
    const existing = subscriber.subscriptions.get(request.reqId);
    if (request.kind === SubscriptionRequestType.Unsubscribe) {
      if (existing === undefined) {
        return this.reject(session, { ok: false, reqId: request.reqId, reason: '', text: `no subscription with MDReqID ${request.reqId} to unsubscribe` });
      }
      subscriber.subscriptions.delete(request.reqId);
      this.detach(existing);
      return;
    }
    if (existing !== undefined) {
      return this.reject(session, { ok: false, reqId: request.reqId, reason: MdReqRejReason.DuplicateMdReqId, text: `MDReqID ${request.reqId} is already subscribed on this session` });
    }
    const feeds: SymbolFeed[] = [];
    for (const symbol of request.symbols) {
      const feed = this.feeds.get(symbol);
      if (feed === undefined) return this.reject(session, { ok: false, reqId: request.reqId, reason: MdReqRejReason.UnknownSymbol, text: `unknown symbol ${symbol}` });
      feeds.push(feed);
    }
    const updates = request.kind === SubscriptionRequestType.SnapshotAndUpdates;
    if (updates && subscriber.subscriptions.size >= this.maxSubscriptions) {
      return this.reject(session, {
        ok: false, reqId: request.reqId, reason: MdReqRejReason.InsufficientBandwidth,
        text: `at most ${this.maxSubscriptions} market data subscriptions per session; unsubscribe one first`,
      });
    }
    for (const feed of feeds) this.mirror(feed);
    const sub = this.subscription(subscriber, request, feeds, updates);
    if (updates) {
      subscriber.subscriptions.set(request.reqId, sub);
      for (let i = 0; i < feeds.length; i++) feeds[i]!.addSubscription(sub, sub.views[i]!);
    }
    for (const feed of feeds) this.markDirty(feed);
    this.pendingSnapshots.push(sub);
    this.schedule();
  }

  private subscription(subscriber: Subscriber, request: MdRequest, feeds: SymbolFeed[], updates: boolean): Subscription {
    return {
      reqId: request.reqId,
      subscriber,
      feeds,
      views: updates ? feeds.map((f) => f.viewFor(request.depth)) : [],
      depth: request.depth,
      types: request.types,
      fullRefresh: request.fullRefresh,
      pendingSnapshot: true,
      removed: false,
      mark: 0,
    };
  }

  private reject(session: SessionHandle, refusal: MdRefusal): void {
    session.send(MsgType.MarketDataRequestReject, (w) => {
      w.str(Tag.MDReqID, refusal.reqId);
      if (refusal.reason !== '') w.char(Tag.MDReqRejReason, refusal.reason);
      w.str(Tag.Text, refusal.text);
    });
  }

  private subscriberOf(session: SessionHandle): Subscriber {
    let s = this.subscribers.get(session.key);
    if (s === undefined || s.handle !== session) {
      if (s !== undefined) this.onSessionGone(session.key);
      s = { key: session.key, handle: session, subscriptions: new Map() };
      this.subscribers.set(session.key, s);
    }
    return s;
  }

  /** Loads an instrument's book from the core the first time someone asks for it (outside any command). */
  private mirror(feed: SymbolFeed): void {
    if (feed.mirrored) return;
    const book = this.queries.book(feed.symbol, 0);
    if (book !== undefined) feed.load(book);
    const state = this.queries.instrument(feed.symbol);
    if (state !== undefined) {
      feed.status = state.status;
      if (feed.lastTradePrice === 0 && state.lastPrice > 0) feed.lastTradePrice = state.lastPrice;
      if (!feed.indicativeChanged) {
        feed.indicativePrice = state.indicativePrice;
        feed.indicativeVolume = state.indicativeVolume;
        feed.indicativeImbalance = state.indicativeImbalance;
      }
    }
    feed.mirrored = true;
  }

  private detach(sub: Subscription): void {
    sub.removed = true;
    for (let i = 0; i < sub.views.length; i++) sub.feeds[i]!.removeSubscription(sub, sub.views[i]!);
  }

  // ------------------------------------------------------------------------------------------ the turn's flush

  private markDirty(feed: SymbolFeed): void {
    if (!feed.dirty) {
      feed.dirty = true;
      this.dirtyFeeds.push(feed);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.closed) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = (): void => {
    this.scheduled = false;
    if (this.closed) return;
    const mark = ++this.flushes;
    const feeds = this.dirtyFeeds;
    for (const feed of feeds) feed.computeViews();

    // Incrementals (or full refreshes) for subscriptions that existed before this turn.
    const touched = this.touched;
    for (const feed of feeds) {
      if (!feed.hasTurnActivity) continue;
      for (const sub of feed.subscriptions) {
        if (sub.pendingSnapshot || sub.mark === mark) continue;
        sub.mark = mark;
        touched.push(sub);
      }
    }
    for (const sub of touched) if (!sub.removed) this.guarded(sub.subscriber, () => this.publish(sub));
    emptyArray(touched);

    for (const feed of feeds) if (feed.statusChanges.length > 0) this.publishStatus(feed);

    // Snapshots of this turn's requests, from the end-of-turn book.
    for (const sub of this.pendingSnapshots) {
      if (sub.removed) continue;
      sub.pendingSnapshot = false;
      this.guarded(sub.subscriber, () => this.sendSnapshots(sub));
    }
    emptyArray(this.pendingSnapshots);

    for (const feed of feeds) {
      feed.endTurn();
      feed.dirty = false;
    }
    emptyArray(feeds);
  };

  private publish(sub: Subscription): void {
    const session = sub.subscriber.handle;
    if (!sub.fullRefresh) {
      const total = IncrementalWriter.count(sub);
      if (total > 0) this.incrementals.send(session, sub, total);
      return;
    }
    for (let i = 0; i < sub.feeds.length; i++) {
      const feed = sub.feeds[i]!;
      const e = sub.views[i]!.entries;
      const changed =
        ((sub.types & EntryMask.Bid) !== 0 && e.bidCount > 0) ||
        ((sub.types & EntryMask.Offer) !== 0 && e.offerCount > 0) ||
        ((sub.types & EntryMask.Trade) !== 0 && feed.trades.length > 0) ||
        ((sub.types & EntryMask.Imbalance) !== 0 && feed.hasIndicativeEntry);
      if (changed) this.snapshots.send(session, sub.reqId, feed, sub.depth, sub.types);
    }
  }

  private sendSnapshots(sub: Subscription): void {
    const session = sub.subscriber.handle;
    for (const feed of sub.feeds) {
      this.snapshots.send(session, sub.reqId, feed, sub.depth, sub.types);
      if (feed.status !== TradingStatus.Open) this.statuses.send(session, feed.symbol, feed.status, '', Date.now(), false);
    }
  }

  /** One SecurityStatus per change to each session subscribed to the instrument (not per subscription). */
  private publishStatus(feed: SymbolFeed): void {
    const seen = new Set<Subscriber>();
    for (const sub of feed.subscriptions) {
      if (sub.pendingSnapshot || seen.has(sub.subscriber)) continue;
      seen.add(sub.subscriber);
      this.guarded(sub.subscriber, () => {
        for (const c of feed.statusChanges) this.statuses.send(sub.subscriber.handle, feed.symbol, c.status, c.reason, c.time, true);
      });
    }
  }

  /**
   * Runs a send for a subscriber that may have gone: a session no longer logged on, or whose store failed, loses
   * its subscriptions (they would only pile up in its store) instead of stopping the flush for everyone else.
   */
  private guarded(subscriber: Subscriber, send: () => void): void {
    if (this.subscribers.get(subscriber.key) !== subscriber) return; // dropped earlier in this flush
    if (!subscriber.handle.isLoggedOn) {
      this.onSessionGone(subscriber.key);
      return;
    }
    try {
      send();
    } catch (err) {
      this.logger.warn('market data: cannot send, dropping the session\'s subscriptions', { session: subscriber.key, error: (err as Error).message });
      this.onSessionGone(subscriber.key);
    }
  }
}
