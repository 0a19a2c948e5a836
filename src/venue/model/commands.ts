// Commands: the venue's only input. Every command is journaled before the events it causes are released,
// and replaying the same commands yields the same events, ids and books. So a command carries everything
// the core needs, including the time (assigned once, at entry, by whoever builds the command); the core
// never reads a clock.
//
// Prices and quantities are integers scaled by the instrument's decimals (see instrument.ts); the gateway
// converts exact decimal strings at the edge and rejects values off the tick or lot.

import type { CancelReason, MarketPhase, OrdType, RejectReason, Side, StpMode, TimeInForce } from './enums.js';

/** Who sent a command: the FIX session, its member firm, and the account the order is booked to. */
export interface Origin {
  /** Session id (the member's SenderCompID on our side, unique per venue). */
  session: string;
  firm: string;
  account: string;
}

export interface NewOrderCommand extends Origin {
  type: 'new';
  /** Epoch milliseconds at entry. */
  time: number;
  clOrdId: string;
  symbol: string;
  side: Side;
  ordType: OrdType;
  timeInForce: TimeInForce;
  /** Limit price (scaled); 0 when the order type has none. */
  price: number;
  /** Stop trigger price (scaled); 0 when the order type has none. */
  stopPx: number;
  /** Quantity (scaled). */
  qty: number;
  /** Minimum quantity that must trade on entry (scaled); 0 for none. */
  minQty: number;
  /** Iceberg display size (scaled); 0 for a fully displayed order. */
  maxFloor: number;
  /** Post-only (FIX ExecInst 6, participate don't initiate). */
  postOnly: boolean;
  /** GTD expiry, epoch milliseconds; 0 otherwise. */
  expireTime: number;
  /** External route chosen by ExDestination(100); empty for the instrument's configured route. */
  exDestination: string;
  /**
   * The external route the order goes to, decided by the order router before the command is journaled (so a
   * replay never decides again); empty or absent: the local book. A routed order is held in the order table
   * but never in the book: what happens to it is learnt from RouteReportCommands.
   */
  route?: string;
}

/** Cancel a live order, found by origClOrdId within the session (or by orderId when given). */
export interface CancelCommand extends Origin {
  type: 'cancel';
  time: number;
  clOrdId: string;
  origClOrdId: string;
  /** Venue order id if the member sent OrderID(37); 0 when not. */
  orderId: number;
  symbol: string;
  side: Side;
}

/** Cancel/replace: price change or quantity increase loses time priority; a decrease keeps it. */
export interface ReplaceCommand extends Origin {
  type: 'replace';
  time: number;
  clOrdId: string;
  origClOrdId: string;
  orderId: number;
  symbol: string;
  side: Side;
  ordType: OrdType;
  timeInForce: TimeInForce;
  price: number;
  stopPx: number;
  qty: number;
  maxFloor: number;
  expireTime: number;
}

/** Mass cancel: every live order matching all of the given filters (empty string / 0 = any). */
export interface MassCancelCommand {
  type: 'massCancel';
  time: number;
  /** Who asked (a member session, or 'ops'), and the request id to answer with. */
  requestedBy: string;
  requestId: string;
  firm: string;
  account: string;
  session: string;
  symbol: string;
  side: Side | 0;
  reason: 'user' | 'disconnect' | 'kill-switch' | 'ops';
}

/** Halt or resume an instrument (ops, or a circuit breaker). */
export interface TradingStatusCommand {
  type: 'halt' | 'resume';
  time: number;
  symbol: string;
  reason: string;
}

/**
 * Moves the trading day to a phase, for one instrument or (symbol '') all of them. Leaving a call phase
 * uncrosses the book at one price (src/venue/core/auction-call.ts). Issued by the venue's scheduler (or ops)
 * and journaled like any command, so a replay changes phase at the same point of the order flow.
 */
export interface PhaseCommand {
  type: 'phase';
  time: number;
  phase: MarketPhase;
  /** '' for every instrument (a venue-wide phase change). */
  symbol: string;
  /** The trading date this phase belongs to (YYYY-MM-DD, the calendar's); '' leaves the venue's unchanged. */
  tradeDate: string;
}

/** The passage of time: expires GTD orders whose time has come. */
export interface TimeCommand {
  type: 'time';
  time: number;
}

/** End of the trading day: expires Day orders; tradeDate is the date that ended. */
export interface EndOfDayCommand {
  type: 'endOfDay';
  time: number;
  tradeDate: string;
}

/** Change an account's self-trade prevention mode (config reload or ops). */
export interface SetStpModeCommand {
  type: 'setStp';
  time: number;
  account: string;
  mode: StpMode;
}

/**
 * A refused request as the member sent it, and why it was refused: the one shape a RejectCommand, a RejectedEvent
 * (events.ts) and the execution record's rejected entry (src/records/record-entries.ts) share.
 */
export interface RefusedRequest extends Origin {
  clOrdId: string;
  origClOrdId: string;
  symbol: string;
  /** The side, or 0 when the member sent one the venue does not support (then sideCode holds it). */
  side: Side | 0;
  /** The FIX Side(54) value as received, for the echo in the report; empty when the core refused a command. */
  sideCode: string;
  reason: RejectReason;
  text: string;
}

/** FIX OrdRejReason(103) / CxlRejReason(102) when the refuser chose one; -1 to derive from the reason. */
export interface RejectCodes {
  ordRejReason: number;
  cxlRejReason: number;
}

/**
 * A request refused before it reached the book (by the gateway's checks or pre-trade risk). It is journaled like
 * any command, so the refusal is recorded, gets a unique event sequence (the ExecID of the reject), and replays
 * the same way; the core only turns it into a RejectedEvent.
 */
export interface RejectCommand extends RefusedRequest, RejectCodes {
  type: 'reject';
  time: number;
  command: 'new' | 'cancel' | 'replace';
}

/** What an external venue said about a routed order (see src/routing). */
export type RouteReportKind =
  | 'acknowledged'
  | 'fill'
  | 'cancelled'
  | 'expired'
  | 'rejected'
  | 'replaced'
  | 'cancelRejected'
  | 'replaceRejected';

/**
 * An outcome of a routed order at its external venue, journaled like any command, so the order's states,
 * fills, ExecIDs and positions replay without asking the external venue again. Reports are idempotent: one
 * for an order that is no longer live, a fill whose execId was seen before, or an answer to a request that is
 * not pending, changes nothing.
 */
export interface RouteReportCommand {
  type: 'routeReport';
  time: number;
  route: string;
  /** The venue order id of the routed order. */
  orderId: number;
  kind: RouteReportKind;
  /** The external venue's id of the order ('' when not known or unchanged). */
  externalOrderId: string;
  /** fill: the external execution id (a fill already seen under this id is ignored). */
  execId: string;
  /** fill: price and quantity (scaled). */
  price: number;
  qty: number;
  /** cancelled/expired on the external venue's own initiative: why ('' = the pending request's reason). */
  cancelReason: CancelReason | '';
  /** rejected, cancelRejected, replaceRejected, or an unsolicited cancel: the external venue's words. */
  text: string;
  /** replaced: quantity filled before the new external order (some venues replace by cancel + new). */
  baseQty: number;
}

export type VenueCommand =
  | NewOrderCommand
  | CancelCommand
  | ReplaceCommand
  | MassCancelCommand
  | TradingStatusCommand
  | PhaseCommand
  | TimeCommand
  | EndOfDayCommand
  | SetStpModeCommand
  | RejectCommand
  | RouteReportCommand;
