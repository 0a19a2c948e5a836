// Running totals the checks read, kept per scope so a check is a handful of field reads:
//   ScopeCounters  per firm, per account, per account × instrument: open orders, reserved notional (the
//                  account × instrument credit), and an orders-per-second window when a rate limit needs one
//   CreditTotals   per firm and per account, per quote asset: reserved notional of open orders plus the
//                  filled exposure (sum of |cost basis| of the base positions valued in that asset)
// Base-asset positions with their open buy/sell quantities are Position objects (positions/position.ts).

import type { RateWindow } from './rate-window.js';

export class ScopeCounters {
  /** Live orders (resting, or pending stops). */
  openOrders = 0;
  /** Reserved notional of open orders, quote-asset units (used at the account × instrument level). */
  openNotional = 0;
  /** Present once a rate limit at this scope needs it; fed with every order of the scope from then on. */
  rate: RateWindow | null = null;
}

export class CreditTotals {
  /** Reserved notional of open orders, quote-asset units. */
  open = 0;
  /** Sum of |cost basis| of filled base positions valued in this quote asset. */
  filled = 0;
}
