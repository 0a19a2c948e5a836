// What a market order can get from the book right now, for the two things the core cannot tell us in
// advance: how much quote a market BUY by quantity will spend (so the balance check and lock are exact
// upper bounds), and how much base a quoteOrderQty order amounts to. Only visible quantity counts, and
// the account's own orders are left out when self-trade prevention would skip them, so the estimate never
// undershoots what matching will consume.

import type { LevelView } from '../../../venue/core/queries.js';

export interface Walk {
  /** Base quantity available (qd scale). */
  qty: number;
  /** Its cost, price × qty summed (pd+qd scale). */
  notional: number;
}

/** Own visible quantity per price, to subtract from the levels. */
export type OwnQty = ReadonlyMap<number, number>;

function available(level: LevelView, own: OwnQty): number {
  const q = level.qty - (own.get(level.price) ?? 0);
  return q > 0 ? q : 0;
}

/** Walks best-first levels for up to `wanted` base quantity. */
export function walkForQty(levels: readonly LevelView[], own: OwnQty, wanted: number): Walk {
  let qty = 0;
  let notional = 0;
  for (const level of levels) {
    if (qty >= wanted) break;
    const take = Math.min(available(level, own), wanted - qty);
    qty += take;
    notional += take * level.price;
  }
  return { qty, notional };
}

/**
 * Walks best-first levels spending at most `budget` (pd+qd scale). Quantities are kept on `step`
 * (qd scale), so the result is a quantity the LOT_SIZE rules accept.
 */
export function walkForNotional(levels: readonly LevelView[], own: OwnQty, budget: number, step: number): Walk {
  let qty = 0;
  let notional = 0;
  for (const level of levels) {
    const left = budget - notional;
    if (left <= 0) break;
    const avail = available(level, own);
    let take = Math.min(avail, Math.floor(left / level.price));
    take -= take % step;
    if (take <= 0) {
      if (avail > 0) break; // cannot afford one more step at this price, so not at worse prices either
      continue;
    }
    qty += take;
    notional += take * level.price;
    if (take < avail) break;
  }
  return { qty, notional };
}
