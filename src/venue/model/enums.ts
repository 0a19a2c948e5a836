// Venue enumerations. Numeric values follow the FIX 4.4 codes where FIX has one, so the gateway can map
// without tables, but the venue itself never parses or prints FIX.

export const Side = { Buy: 1, Sell: 2 } as const;
export type Side = (typeof Side)[keyof typeof Side];

/** FIX OrdType(40): 1 market, 2 limit, 3 stop, 4 stop-limit. */
export const OrdType = { Market: 1, Limit: 2, Stop: 3, StopLimit: 4 } as const;
export type OrdType = (typeof OrdType)[keyof typeof OrdType];

/**
 * FIX TimeInForce(59): 0 Day, 1 GTC, 2 At the Opening, 3 IOC, 4 FOK, 6 GTD, 7 At the Close. At the Opening
 * (market-on-open / limit-on-open) trades only in the opening auction, At the Close only in the closing one.
 */
export const TimeInForce = { Day: 0, GTC: 1, AtTheOpening: 2, IOC: 3, FOK: 4, GTD: 6, AtTheClose: 7 } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];

/** Self-trade prevention: what happens when an aggressor would trade against the same account (or firm). */
export const StpMode = {
  None: 0,
  CancelResting: 1,
  CancelAggressing: 2,
  CancelBoth: 3,
  DecrementAndCancel: 4,
} as const;
export type StpMode = (typeof StpMode)[keyof typeof StpMode];

/** FIX OrdStatus(39) values the venue produces. */
export const OrderStatus = {
  New: '0',
  PartiallyFilled: '1',
  Filled: '2',
  Cancelled: '4',
  Replaced: '5',
  PendingCancel: '6',
  Rejected: '8',
  PendingNew: 'A',
  Expired: 'C',
  PendingReplace: 'E',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];

/**
 * The phase of the trading day (per instrument; a venue-wide phase command moves all of them):
 *   closed      no order entry (new orders and replaces refused, cancels allowed)
 *   preOpen     the opening call: orders collect without matching, then uncross at one price
 *   continuous  continuous matching
 *   preClose    the closing call: as preOpen, uncrossing into closed
 * The names follow FIX TradSesStatus(340): 3 closed, 4 pre-open, 2 open, 5 pre-close.
 */
export const MarketPhase = { Closed: 'closed', PreOpen: 'preOpen', Continuous: 'continuous', PreClose: 'preClose' } as const;
export type MarketPhase = (typeof MarketPhase)[keyof typeof MarketPhase];

export function isMarketPhase(p: unknown): p is MarketPhase {
  return p === MarketPhase.Closed || p === MarketPhase.PreOpen || p === MarketPhase.Continuous || p === MarketPhase.PreClose;
}

/** A call phase: orders collect and the book uncrosses when it ends. */
export function isCallPhase(p: MarketPhase): boolean {
  return p === MarketPhase.PreOpen || p === MarketPhase.PreClose;
}

export const TradingStatus = { Open: 'open', Halted: 'halted', Closed: 'closed' } as const;
export type TradingStatus = (typeof TradingStatus)[keyof typeof TradingStatus];

/**
 * Why a command was refused. The gateway maps each to FIX OrdRejReason(103) / CxlRejReason(102);
 * the text that goes with it is built where the numbers are known.
 */
export const RejectReason = {
  UnknownSymbol: 'unknown-symbol',
  InstrumentHalted: 'instrument-halted',
  InstrumentClosed: 'instrument-closed',
  InvalidPrice: 'invalid-price',
  InvalidQuantity: 'invalid-quantity',
  PriceBand: 'price-band',
  MinNotional: 'min-notional',
  DuplicateClOrdId: 'duplicate-clordid',
  UnknownOrder: 'unknown-order',
  TooLateToCancel: 'too-late',
  WouldTakeLiquidity: 'post-only',
  MinQtyNotMet: 'min-qty',
  FillOrKillNotFilled: 'fok',
  Unsupported: 'unsupported',
  RiskLimit: 'risk-limit',
  KillSwitch: 'kill-switch',
  RouteDown: 'route-down',
  /** The order is not allowed in the current phase of the trading day (closed, a call, an auction-only TIF). */
  WrongPhase: 'wrong-phase',
  /** The command journal cannot be written: the venue accepts nothing until it is restarted. */
  JournalUnavailable: 'journal-unavailable',
  Other: 'other',
} as const;
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** Why a live order stopped being live without filling. */
export const CancelReason = {
  UserRequest: 'user',
  MassCancel: 'mass-cancel',
  ImmediateOrCancel: 'ioc',
  FillOrKill: 'fok',
  MarketNoLiquidity: 'market-no-liquidity',
  PriceBand: 'price-band',
  SelfTrade: 'self-trade',
  Disconnect: 'disconnect',
  KillSwitch: 'kill-switch',
  Halt: 'halt',
  /** Ended by the external venue a routed order went to (its words are in the report's text). */
  Routed: 'routed',
  /** A market order of a call auction left unexecuted by the uncross (market orders never rest). */
  AuctionUnexecuted: 'auction',
} as const;
export type CancelReason = (typeof CancelReason)[keyof typeof CancelReason];
