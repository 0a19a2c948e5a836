// What the subscribers of one instrument at one MarketDepth see, and the entries that bring them from the start of
// a turn to its end. Every subscription of the same (symbol, depth) shares one view, so a turn's diff is computed
// once however many sessions listen.
//
//  - Full book (depth 0): the entries are the levels that changed this turn, each compared once with its state at
//    the start of the turn: new, changed or deleted. Cost: O(changed levels).
//  - Top N: the view keeps the window it last published. A turn whose changes all lie below a full window cannot
//    alter it and costs O(changed levels); otherwise the new top N is merged with the old one (O(N)): levels that
//    left the window are deleted, levels that entered it are new, the rest are changed when their size moved.
// Deletes come first in a turn's entries so that a client keeping N levels never holds more than N.

import { Action, EntryList } from './entry-list.js';
import type { LevelChanges } from './level-changes.js';
import type { LevelLadder } from './level-ladder.js';

/** One side of a book as the views read it: the mirrored ladder and this turn's changed levels. */
export interface SideState {
  readonly ladder: LevelLadder;
  readonly changes: LevelChanges;
}

/** A published top-N window of one side, best first. */
class LevelWindow {
  readonly prices: Float64Array;
  readonly qtys: Float64Array;
  readonly counts: Int32Array;
  length = 0;

  constructor(capacity: number) {
    this.prices = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
    this.counts = new Int32Array(capacity);
  }

  /** Copies the ladder's best `limit` levels. */
  load(ladder: LevelLadder, limit: number): void {
    const n = Math.min(limit, ladder.size);
    for (let r = 0; r < n; r++) {
      this.prices[r] = ladder.priceAtRank(r);
      this.qtys[r] = ladder.qtyAtRank(r);
      this.counts[r] = ladder.countAtRank(r);
    }
    this.length = n;
  }
}

export class DepthView {
  /** This turn's entries (valid between compute() and the end of the flush). */
  readonly entries = new EntryList();
  /** Subscriptions sharing the view; it is dropped when the last one goes. */
  subscribers = 0;
  private initialized = false;
  private readonly windows: [LevelWindow, LevelWindow, LevelWindow, LevelWindow] | null;

  /** depth 0: the full book; N: the best N levels per side. */
  constructor(readonly depth: number) {
    // Two windows per side: the published one and a scratch one the merge fills, swapped afterwards.
    this.windows = depth > 0 ? [new LevelWindow(depth), new LevelWindow(depth), new LevelWindow(depth), new LevelWindow(depth)] : null;
  }

  /**
   * Computes the turn's entries from the mirrored sides. A view created during the turn publishes nothing yet:
   * its subscribers get a snapshot of the end-of-turn book instead, which is where its window starts.
   */
  compute(bids: SideState, offers: SideState): void {
    this.entries.clear();
    if (!this.initialized) {
      this.initialized = true;
      this.reload(bids.ladder, offers.ladder);
      return;
    }
    if (this.windows === null) {
      this.changedLevels(bids, true);
      this.changedLevels(offers, false);
    } else {
      this.windowDiff(bids, 0, true);
      this.windowDiff(offers, 2, false);
    }
  }

  private reload(bids: LevelLadder, offers: LevelLadder): void {
    const w = this.windows;
    if (w === null) return;
    w[0].load(bids, this.depth);
    w[2].load(offers, this.depth);
  }

  /** Full book: one entry per level that changed, deletes first. */
  private changedLevels(side: SideState, isBid: boolean): void {
    const { ladder, changes } = side;
    const out = this.entries;
    const n = changes.size;
    for (let i = 0; i < n; i++) {
      if (changes.beforeQtyAt(i) > 0 && ladder.indexOf(changes.priceAt(i)) < 0) {
        out.push(Action.Delete, isBid, changes.priceAt(i), 0, 0);
      }
    }
    for (let i = 0; i < n; i++) {
      const price = changes.priceAt(i);
      const at = ladder.indexOf(price);
      if (at < 0) continue;
      const qty = ladder.qtyAtIndex(at);
      const count = ladder.countAtIndex(at);
      const beforeQty = changes.beforeQtyAt(i);
      if (beforeQty === 0) out.push(Action.New, isBid, price, qty, count);
      else if (beforeQty !== qty || changes.beforeCountAt(i) !== count) out.push(Action.Change, isBid, price, qty, count);
    }
  }

  /** Top N: merge the published window with the new best N levels. */
  private windowDiff(side: SideState, slot: 0 | 2, isBid: boolean): void {
    const { ladder, changes } = side;
    if (changes.size === 0) return;
    const windows = this.windows!;
    const old = windows[slot];
    const depth = this.depth;
    if (old.length === depth && !this.touchesWindow(changes, ladder, old.prices[depth - 1]!)) return;
    const next = windows[slot + 1]!;
    next.load(ladder, depth);
    const out = this.entries;
    // Pass 1: levels of the old window missing from the new one.
    for (let i = 0, j = 0; i < old.length; ) {
      if (j >= next.length || ladder.isBetter(old.prices[i]!, next.prices[j]!)) {
        out.push(Action.Delete, isBid, old.prices[i]!, 0, 0);
        i++;
      } else if (old.prices[i] === next.prices[j]) {
        i++;
        j++;
      } else {
        j++;
      }
    }
    // Pass 2: levels that entered the window, and those whose size or order count moved.
    for (let i = 0, j = 0; j < next.length; ) {
      const price = next.prices[j]!;
      if (i >= old.length || ladder.isBetter(price, old.prices[i]!)) {
        out.push(Action.New, isBid, price, next.qtys[j]!, next.counts[j]!);
        j++;
      } else if (old.prices[i] === price) {
        if (old.qtys[i] !== next.qtys[j] || old.counts[i] !== next.counts[j]) {
          out.push(Action.Change, isBid, price, next.qtys[j]!, next.counts[j]!);
        }
        i++;
        j++;
      } else {
        i++;
      }
    }
    windows[slot] = next;
    windows[slot + 1] = old;
  }

  /** True when some changed level is at or better than the worst published one (a full window's edge). */
  private touchesWindow(changes: LevelChanges, ladder: LevelLadder, worst: number): boolean {
    for (let i = 0; i < changes.size; i++) {
      const p = changes.priceAt(i);
      if (p === worst || ladder.isBetter(p, worst)) return true;
    }
    return false;
  }
}
