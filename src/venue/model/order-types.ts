// What each order type (OrdType, enums.ts) carries: the one place its parameters are declared. The core's
// validation and order entry, the FIX gateway (what it accepts, the text that says so) and the FIX routing
// adapter all read this table, so a new order type is declared here once and then mapped per protocol
// (src/gateway/fix-mappings.ts, src/routing/adapters/binance-orders.ts); see docs/where-a-change-goes.md.

import { OrdType } from './enums.js';

export interface OrderTypeTraits {
  /** Words for texts ("1 market, 2 limit, ..."). */
  readonly name: string;
  /** Carries a limit price (Price(44)): it rests or trades at that price. */
  readonly limitPrice: boolean;
  /** Carries a stop price (StopPx(99)): it waits in the stop book until the market reaches it. */
  readonly stopPrice: boolean;
}

export const ORDER_TYPES: Readonly<Record<OrdType, OrderTypeTraits>> = {
  [OrdType.Market]: { name: 'market', limitPrice: false, stopPrice: false },
  [OrdType.Limit]: { name: 'limit', limitPrice: true, stopPrice: false },
  [OrdType.Stop]: { name: 'stop', limitPrice: false, stopPrice: true },
  [OrdType.StopLimit]: { name: 'stop limit', limitPrice: true, stopPrice: true },
};

/** Whether `t` is an order type the venue supports. */
export function isOrdType(t: number): t is OrdType {
  return Object.prototype.hasOwnProperty.call(ORDER_TYPES, t);
}

export function hasLimitPrice(t: OrdType): boolean {
  return ORDER_TYPES[t].limitPrice;
}

export function hasStopPrice(t: OrdType): boolean {
  return ORDER_TYPES[t].stopPrice;
}

/** "1 market, 2 limit, 3 stop, 4 stop limit": the supported types with their codes (the venue's codes are FIX's). */
export const ORDER_TYPE_LIST = Object.entries(ORDER_TYPES)
  .map(([code, t]) => `${code} ${t.name}`)
  .join(', ');
