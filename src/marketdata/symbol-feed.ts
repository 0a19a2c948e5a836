// Everything market data keeps for one instrument: the mirrored book (from the core's BookDeltaEvents), this
// turn's changed levels, trades and status changes, the last trade and trading status, and the views and
// subscriptions that listen to it.
//
// The mirror starts from the core's book when the instrument is first asked for and then follows the deltas.
// Deltas carry a level's absolute state, so replaying events the mirror already reflects converges to the same book.

import type { BookSnapshot } from '../venue/core/queries.js';
import { Side, TradingStatus } from '../venue/model/enums.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';
import { DepthView, type SideState } from './depth-view.js';
import { LevelChanges } from './level-changes.js';
import { LevelLadder } from './level-ladder.js';
import type { Subscription } from './subscription.js';
import { TradeTape } from './trade-tape.js';
import { emptyArray } from '../shared/arrays.js';

export interface StatusChange {
  status: TradingStatus;
  reason: string;
  time: number;
}

export class SymbolFeed {
  readonly bids: SideState = { ladder: new LevelLadder(true), changes: new LevelChanges() };
  readonly offers: SideState = { ladder: new LevelLadder(false), changes: new LevelChanges() };
  readonly trades = new TradeTape();
  readonly statusChanges: StatusChange[] = [];
  /** Views by depth, in creation order. */
  readonly views: DepthView[] = [];
  /** Live subscriptions (snapshot+updates) that include this instrument. */
  readonly subscriptions: Subscription[] = [];
  /** True once the book has been loaded from the core; deltas before that are ignored. */
  mirrored = false;
  /** In the service's list of instruments to publish at the end of the turn. */
  dirty = false;
  status: TradingStatus = TradingStatus.Open;
  lastTradePrice = 0;
  /** 0 when the last trade is known only by its price (from the core, after a restart). */
  lastTradeQty = 0;
  lastTradeTime = 0;
  /** The indicative auction price of a call (0: none), its volume and imbalance (buy minus sell). */
  indicativePrice = 0;
  indicativeVolume = 0;
  indicativeImbalance = 0;
  /** The indicative changed this turn; indicativeBefore: its price at the start of the turn. */
  indicativeChanged = false;
  indicativeBefore = 0;

  constructor(readonly spec: InstrumentSpec) {}

  get symbol(): string {
    return this.spec.symbol;
  }

  /** Loads the core's book (full depth); later deltas keep it current. */
  load(book: BookSnapshot): void {
    this.bids.ladder.clear();
    this.offers.ladder.clear();
    for (const l of book.bids) this.bids.ladder.set(l.price, l.qty, l.orderCount);
    for (const l of book.asks) this.offers.ladder.set(l.price, l.qty, l.orderCount);
    this.mirrored = true;
  }

  /** Applies a BookDeltaEvent; records the level's start-of-turn state first when views need a diff. */
  applyDelta(side: Side, price: number, qty: number, orderCount: number): void {
    const s = side === Side.Buy ? this.bids : this.offers;
    const ladder = s.ladder;
    if (this.views.length > 0 && !s.changes.has(price)) {
      const at = ladder.indexOf(price);
      s.changes.record(price, at >= 0 ? ladder.qtyAtIndex(at) : 0, at >= 0 ? ladder.countAtIndex(at) : 0);
    }
    ladder.set(price, qty, orderCount);
  }

  /** An IndicativeEvent: remembers what subscribers last saw, for the entry's update action. */
  setIndicative(price: number, volume: number, imbalance: number): void {
    if (!this.indicativeChanged) {
      this.indicativeChanged = true;
      this.indicativeBefore = this.indicativePrice;
    }
    this.indicativePrice = price;
    this.indicativeVolume = volume;
    this.indicativeImbalance = imbalance;
  }

  /** Whether this turn's indicative change is worth an entry (not when it came and went within the turn). */
  get hasIndicativeEntry(): boolean {
    return this.indicativeChanged && (this.indicativeBefore !== 0 || this.indicativePrice !== 0);
  }

  /** True when this turn has something to publish. */
  get hasTurnActivity(): boolean {
    return this.bids.changes.size > 0 || this.offers.changes.size > 0 || this.trades.length > 0 || this.statusChanges.length > 0 ||
      this.indicativeChanged;
  }

  /** The shared view for a depth, created on first use. */
  viewFor(depth: number): DepthView {
    for (const v of this.views) if (v.depth === depth) return v;
    const view = new DepthView(depth);
    this.views.push(view);
    return view;
  }

  addSubscription(sub: Subscription, view: DepthView): void {
    view.subscribers++;
    this.subscriptions.push(sub);
  }

  removeSubscription(sub: Subscription, view: DepthView): void {
    const i = this.subscriptions.indexOf(sub);
    if (i >= 0) this.subscriptions.splice(i, 1);
    if (--view.subscribers === 0) {
      const v = this.views.indexOf(view);
      if (v >= 0) this.views.splice(v, 1);
    }
  }

  /** Computes every view's entries for this turn. */
  computeViews(): void {
    for (const v of this.views) v.compute(this.bids, this.offers);
  }

  /** Forgets the turn. Views are cleared too: a subscription spanning several instruments reads every view. */
  endTurn(): void {
    for (const v of this.views) v.entries.clear();
    this.bids.changes.clear();
    this.offers.changes.clear();
    this.trades.clear();
    emptyArray(this.statusChanges);
    this.indicativeChanged = false;
  }
}
