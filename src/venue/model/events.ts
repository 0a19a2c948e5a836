// Events: the venue's only output. Listeners receive them synchronously, in order, and must copy what they
// need before returning: the core may reuse event and order objects. Every event carries its own sequence
// number (gap-free, deterministic) and the sequence number of the command that caused it, so an
// ExecutionReport's ExecID and a trade's match id can be derived from them and are never reused.

import type { RefusedRequest, RejectCodes, VenueCommand } from './commands.js';
import type { CancelReason, OrdType, OrderStatus, Side, TimeInForce, TradingStatus, MarketPhase } from './enums.js';

/** A read-only view of an order as the core holds it. Quantities and prices are scaled integers. */
export interface OrderView {
  readonly orderId: number;
  readonly session: string;
  readonly firm: string;
  readonly account: string;
  readonly clOrdId: string;
  /** The ClOrdID this one replaced; empty unless the order was replaced. */
  readonly origClOrdId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly ordType: OrdType;
  readonly timeInForce: TimeInForce;
  readonly price: number;
  readonly stopPx: number;
  readonly qty: number;
  readonly cumQty: number;
  readonly leavesQty: number;
  /** Sum of price × quantity over fills, for AvgPx; an integer at price scale × quantity scale. */
  readonly cumNotional: number;
  readonly maxFloor: number;
  readonly expireTime: number;
  readonly status: OrderStatus;
  /** Time of entry, epoch ms. */
  readonly time: number;
  /** Quantity currently shown in the book: leavesQty, or the current iceberg slice. */
  readonly visibleQty: number;
  /** MinQty from the order (checked on entry only); 0 for none. */
  readonly minQty: number;
  /** Post-only (ExecInst 6). */
  readonly postOnly: boolean;
  /** A stop / stop-limit that has been triggered (it now trades as market / limit). */
  readonly triggered: boolean;
  /** Quantity removed by self-trade prevention decrement (OrderQty was restated down by this much). */
  readonly decrementedQty: number;
  /** The external route of a routed order; '' (or absent) for an order of the local book. */
  readonly route?: string;
}

interface EventBase {
  /** This event's sequence number. */
  seq: number;
  /** Sequence number of the command that caused it. */
  commandSeq: number;
  /** Time of the causing command, epoch ms. */
  time: number;
}

export interface AcceptedEvent extends EventBase {
  type: 'accepted';
  order: OrderView;
}

/**
 * A command refused: a new order (no order exists), or a cancel/replace (the order is unchanged). Also the
 * answer to a RejectCommand (a refusal decided before the book, e.g. by the gateway or risk): `command` is
 * then the refused request's type ('new', 'cancel' or 'replace'), never 'reject'.
 */
export interface RejectedEvent extends EventBase, RefusedRequest, RejectCodes {
  type: 'rejected';
  /** The refused command's type (ops commands such as halt or setStp can be refused too). */
  command: Exclude<VenueCommand['type'], 'reject'>;
  /** The order concerned, for cancel/replace rejects when it exists. */
  order: OrderView | null;
}

export interface TradeEvent extends EventBase {
  type: 'trade';
  /** True for a fill of an auction uncross (no aggressor: maker is the earlier order, taker the later). */
  auction?: boolean;
  matchId: number;
  symbol: string;
  price: number;
  qty: number;
  aggressorSide: Side;
  /** Resting order, after the fill has been applied. */
  maker: OrderView;
  /** Incoming order, after the fill has been applied. */
  taker: OrderView;
}

export interface CancelledEvent extends EventBase {
  type: 'cancelled';
  order: OrderView;
  reason: CancelReason;
  /** ClOrdID of the cancel or mass-cancel request; empty when the venue cancelled on its own. */
  requestId: string;
  /** Why, in words, when an external venue ended a routed order on its own; '' otherwise. */
  text?: string;
}

export interface ReplacedEvent extends EventBase {
  type: 'replaced';
  /** The order after the replace (its clOrdId is the new one, origClOrdId the old). */
  order: OrderView;
  /** True when the replace kept time priority. */
  keptPriority: boolean;
}

export interface ExpiredEvent extends EventBase {
  type: 'expired';
  order: OrderView;
}

/** A stop or stop-limit order was triggered by the last trade price and entered the book as market/limit. */
export interface TriggeredEvent extends EventBase {
  type: 'triggered';
  order: OrderView;
}

/** The venue changed an order without a request (iceberg refresh, STP decrement). */
export interface RestatedEvent extends EventBase {
  type: 'restated';
  order: OrderView;
  reason: 'iceberg-refresh' | 'self-trade-decrement';
}

/** Answer to a mass cancel: how many orders it cancelled (the cancels themselves come as CancelledEvents). */
export interface MassCancelDoneEvent extends EventBase {
  type: 'massCancelDone';
  requestedBy: string;
  requestId: string;
  cancelled: number;
}

/** A price level's visible quantity changed. qty 0 means the level is gone. */
export interface BookDeltaEvent extends EventBase {
  type: 'bookDelta';
  symbol: string;
  side: Side;
  price: number;
  qty: number;
  orderCount: number;
}

/**
 * A step in the life of a routed order that has no local-book counterpart:
 *   new             the external venue acknowledged the order (it was pending new)
 *   fill            the external venue filled it: one side only, at price × qty (LastLiquidityInd routed out)
 *   pendingCancel   a cancel (the member's, a mass cancel's, or an expiry's) was passed on; answer pending
 *   pendingReplace  a cancel/replace was passed on; answer pending (requestId is the new ClOrdID)
 *   rejected        the external venue refused the order: it is done (status rejected)
 *   restated        a cancel the venue itself asked for (mass cancel, expiry) was refused: the order lives on
 * Cancels, expiries, replaces and refused member requests are reported with the ordinary events.
 */
export interface RoutedEvent extends EventBase {
  type: 'routed';
  kind: 'new' | 'fill' | 'pendingCancel' | 'pendingReplace' | 'rejected' | 'restated';
  order: OrderView;
  route: string;
  /** fill: price, quantity and the external execution id. */
  price: number;
  qty: number;
  execId: string;
  /** pendingCancel / pendingReplace: the request's ClOrdID; '' when the venue asked itself. */
  requestId: string;
  /** pendingCancel: on whose behalf. */
  reason: CancelReason;
  /** rejected / restated: the external venue's words. */
  text: string;
}

export interface TradingStatusEvent extends EventBase {
  type: 'tradingStatus';
  symbol: string;
  status: TradingStatus;
  reason: string;
}

/**
 * An instrument (symbol) or, after all of them, the whole venue (symbol '') entered a phase of the trading
 * day. An instrument's event follows the events of its uncross when it left a call.
 */
export interface PhaseEvent extends EventBase {
  type: 'phase';
  symbol: string;
  phase: MarketPhase;
  previous: MarketPhase;
}

/**
 * The indicative auction price during a call: the price, volume and imbalance (buy quantity minus sell
 * quantity at that price) the book would uncross at now. Emitted when it changes; price 0 and volume 0 when
 * nothing would trade, and once more with zeros when the call ends.
 */
export interface IndicativeEvent extends EventBase {
  type: 'indicative';
  symbol: string;
  price: number;
  volume: number;
  imbalance: number;
}

export type VenueEvent =
  | AcceptedEvent
  | RejectedEvent
  | TradeEvent
  | CancelledEvent
  | ReplacedEvent
  | ExpiredEvent
  | TriggeredEvent
  | RestatedEvent
  | MassCancelDoneEvent
  | BookDeltaEvent
  | TradingStatusEvent
  | PhaseEvent
  | IndicativeEvent
  | RoutedEvent;

export type VenueEventListener = (event: VenueEvent) => void;

/** The events that report on exactly one order, held in `order`. */
export type SingleOrderEvent = Extract<VenueEvent, { order: OrderView }>;

/**
 * Whether each event type reports on one order held in `order` (a trade has `maker` and `taker`, a refusal an
 * order or null, market events none). The one list of this, for code that copies events or finds their owners;
 * a new event type does not compile until it is placed here.
 */
const ONE_ORDER: Readonly<Record<VenueEvent['type'], boolean>> = {
  accepted: true,
  cancelled: true,
  replaced: true,
  expired: true,
  triggered: true,
  restated: true,
  routed: true,
  trade: false,
  rejected: false,
  massCancelDone: false,
  bookDelta: false,
  tradingStatus: false,
  phase: false,
  indicative: false,
};

/** Whether the event reports on one order held in `order` (not a trade, a refusal or a market event). */
export function isSingleOrderEvent(e: VenueEvent): e is SingleOrderEvent {
  return ONE_ORDER[e.type];
}
