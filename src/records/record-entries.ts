// What the execution record gives back to its readers (trade capture, clearing, compliance, risk): plain,
// detached objects parsed from the record's lines. Prices and quantities stay exact decimal strings, as
// written ("60000.00"); an empty string means none. Use parseDecimal(text, decimalsOf(text)) to compute.

import type { RefusedRequest } from '../venue/model/commands.js';
import type { CancelReason, OrderStatus, OrdType, Side, TimeInForce, TradingStatus } from '../venue/model/enums.js';

export interface RecordedOrder {
  orderId: number;
  session: string;
  firm: string;
  account: string;
  clOrdId: string;
  origClOrdId: string;
  symbol: string;
  side: Side;
  ordType: OrdType;
  timeInForce: TimeInForce;
  price: string;
  stopPx: string;
  qty: string;
  cumQty: string;
  leavesQty: string;
  status: OrderStatus;
  maxFloor: string;
  minQty: string;
  /** GTD expiry, epoch ms; 0 for none. */
  expireTime: number;
  postOnly: boolean;
}

interface EntryBase {
  seq: number;
  commandSeq: number;
  /** Event time, epoch ms. */
  time: number;
  /** The UTC trade date of the day file the entry is in. */
  tradeDate: string;
}

export interface OrderEntry extends EntryBase {
  type: 'accepted' | 'expired' | 'triggered';
  order: RecordedOrder;
}

export interface ReplacedEntry extends EntryBase {
  type: 'replaced';
  order: RecordedOrder;
  keptPriority: boolean;
}

export interface CancelledEntry extends EntryBase {
  type: 'cancelled';
  order: RecordedOrder;
  reason: CancelReason;
  requestId: string;
}

export interface RestatedEntry extends EntryBase {
  type: 'restated';
  order: RecordedOrder;
  reason: 'iceberg-refresh' | 'self-trade-decrement';
}

export interface RejectedEntry extends EntryBase, RefusedRequest {
  type: 'rejected';
  command: string;
  /** The order concerned (cancel/replace rejects); 0 when there is none. */
  orderId: number;
}

/** One side of a trade as the record keeps it: who, which order, and the order's state after the fill. */
export interface TradeParty {
  orderId: number;
  session: string;
  firm: string;
  account: string;
  clOrdId: string;
  role: 'maker' | 'taker';
  cumQty: string;
  leavesQty: string;
  status: OrderStatus;
}

export interface TradeEntry extends EntryBase {
  type: 'trade';
  symbol: string;
  matchId: number;
  price: string;
  qty: string;
  aggressorSide: Side;
  buy: TradeParty;
  sell: TradeParty;
}

/** A routed order's step (see RoutedEvent): acknowledged, filled at the external venue (one side), pending, refused. */
export interface RoutedEntry extends EntryBase {
  type: 'routed';
  order: RecordedOrder;
  kind: 'new' | 'fill' | 'pendingCancel' | 'pendingReplace' | 'rejected' | 'restated';
  route: string;
  /** fill: price, quantity and the external venue's execution id; '' otherwise. */
  price: string;
  qty: string;
  execId: string;
  requestId: string;
  text: string;
}

export interface MassCancelEntry extends EntryBase {
  type: 'massCancelDone';
  requestedBy: string;
  requestId: string;
  cancelled: number;
}

export interface TradingStatusEntry extends EntryBase {
  type: 'tradingStatus';
  symbol: string;
  status: TradingStatus;
  reason: string;
}

export type RecordEntry =
  | OrderEntry
  | ReplacedEntry
  | CancelledEntry
  | RestatedEntry
  | RejectedEntry
  | TradeEntry
  | RoutedEntry
  | MassCancelEntry
  | TradingStatusEntry;

export type RecordEntryType = RecordEntry['type'];

/** Optional filters of record queries; an empty or missing field means any. */
export interface RecordFilter {
  firm?: string;
  account?: string;
  symbol?: string;
}
