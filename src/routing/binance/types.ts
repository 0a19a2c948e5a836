// The JSON shapes of Binance Spot API messages we send and receive, as documented in rest-api.md,
// web-socket-api.md and user-data-stream.md. Decimals are strings on the wire and stay strings here.

export type BinanceSide = 'BUY' | 'SELL';
export type BinanceOrderType =
  | 'LIMIT'
  | 'MARKET'
  | 'STOP_LOSS'
  | 'STOP_LOSS_LIMIT'
  | 'TAKE_PROFIT'
  | 'TAKE_PROFIT_LIMIT'
  | 'LIMIT_MAKER';
export type BinanceTimeInForce = 'GTC' | 'IOC' | 'FOK';
export type BinanceOrderStatus =
  | 'NEW'
  | 'PENDING_NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'PENDING_CANCEL'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH';
export type BinanceStpMode = 'NONE' | 'EXPIRE_MAKER' | 'EXPIRE_TAKER' | 'EXPIRE_BOTH' | 'DECREMENT' | 'TRANSFER';
export type NewOrderRespType = 'ACK' | 'RESULT' | 'FULL';
export type CancelRestrictions = 'ONLY_NEW' | 'ONLY_PARTIALLY_FILLED';
export type CancelReplaceMode = 'STOP_ON_FAILURE' | 'ALLOW_FAILURE';
export type ExecutionType = 'NEW' | 'CANCELED' | 'REPLACED' | 'REJECTED' | 'TRADE' | 'EXPIRED' | 'TRADE_PREVENTION';

export const ORDER_TYPES: readonly BinanceOrderType[] = [
  'LIMIT',
  'MARKET',
  'STOP_LOSS',
  'STOP_LOSS_LIMIT',
  'TAKE_PROFIT',
  'TAKE_PROFIT_LIMIT',
  'LIMIT_MAKER',
];
export const STP_MODES: readonly BinanceStpMode[] = [
  'NONE',
  'EXPIRE_MAKER',
  'EXPIRE_TAKER',
  'EXPIRE_BOTH',
  'DECREMENT',
  'TRANSFER',
];

// ---- exchangeInfo ----

export interface RateLimitJson {
  rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS';
  interval: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';
  intervalNum: number;
  limit: number;
}

/** A symbol filter as it appears in exchangeInfo; the fields depend on filterType (filters.md). */
export interface SymbolFilterJson {
  filterType: string;
  [field: string]: string | number | boolean;
}

export interface SymbolInfoJson {
  symbol: string;
  status: string;
  baseAsset: string;
  baseAssetPrecision: number;
  quoteAsset: string;
  quotePrecision: number;
  quoteAssetPrecision: number;
  baseCommissionPrecision: number;
  quoteCommissionPrecision: number;
  orderTypes: BinanceOrderType[];
  icebergAllowed: boolean;
  ocoAllowed: boolean;
  otoAllowed: boolean;
  opoAllowed: boolean;
  quoteOrderQtyMarketAllowed: boolean;
  allowTrailingStop: boolean;
  cancelReplaceAllowed: boolean;
  amendAllowed: boolean;
  pegInstructionsAllowed: boolean;
  isSpotTradingAllowed: boolean;
  isMarginTradingAllowed: boolean;
  filters: SymbolFilterJson[];
  permissions: string[];
  permissionSets: string[][];
  defaultSelfTradePreventionMode: BinanceStpMode;
  allowedSelfTradePreventionModes: BinanceStpMode[];
}

export interface ExchangeInfoJson {
  timezone: string;
  serverTime: number;
  rateLimits: RateLimitJson[];
  exchangeFilters: SymbolFilterJson[];
  symbols: SymbolInfoJson[];
}

// ---- orders ----

export interface FillJson {
  price: string;
  qty: string;
  commission: string;
  commissionAsset: string;
  tradeId: number;
}

/** Order placement answer; which fields are present depends on newOrderRespType (ACK < RESULT < FULL). */
export interface OrderResponseJson {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  transactTime: number;
  price?: string;
  origQty?: string;
  executedQty?: string;
  origQuoteOrderQty?: string;
  cummulativeQuoteQty?: string;
  status?: BinanceOrderStatus;
  timeInForce?: BinanceTimeInForce;
  type?: BinanceOrderType;
  side?: BinanceSide;
  stopPrice?: string;
  icebergQty?: string;
  workingTime?: number;
  selfTradePreventionMode?: BinanceStpMode;
  preventedMatchId?: number;
  preventedQuantity?: string;
  expiryReason?: string;
  strategyId?: number;
  strategyType?: number;
  fills?: FillJson[];
  preventedMatches?: { preventedMatchId: number; makerOrderId: number; price: string; makerPreventedQuantity: string }[];
}

/** The order fields every order answer (query, open orders, cancel) shares. */
export interface OrderFieldsJson {
  symbol: string;
  orderId: number;
  orderListId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  origQuoteOrderQty: string;
  cummulativeQuoteQty: string;
  status: BinanceOrderStatus;
  timeInForce: BinanceTimeInForce;
  type: BinanceOrderType;
  side: BinanceSide;
  stopPrice?: string;
  icebergQty?: string;
  selfTradePreventionMode: BinanceStpMode;
  preventedMatchId?: number;
  preventedQuantity?: string;
  expiryReason?: string;
  strategyId?: number;
  strategyType?: number;
}

/** GET /api/v3/order and GET /api/v3/openOrders entries. */
export interface QueriedOrderJson extends OrderFieldsJson {
  time: number;
  updateTime: number;
  isWorking: boolean;
  workingTime: number;
}

/** DELETE /api/v3/order answer (and each entry of DELETE /api/v3/openOrders). */
export interface CanceledOrderJson extends OrderFieldsJson {
  origClientOrderId: string;
  transactTime: number;
}

export interface ErrorJson {
  code: number;
  msg: string;
}

export interface CancelReplaceJson {
  cancelResult: 'SUCCESS' | 'FAILURE';
  newOrderResult: 'SUCCESS' | 'FAILURE' | 'NOT_ATTEMPTED';
  cancelResponse: CanceledOrderJson | ErrorJson;
  newOrderResponse: OrderResponseJson | ErrorJson | null;
}

export interface AmendedOrderJson {
  transactTime: number;
  executionId: number;
  amendedOrder: {
    symbol: string;
    orderId: number;
    orderListId: number;
    origClientOrderId: string;
    clientOrderId: string;
    price: string;
    qty: string;
    executedQty: string;
    preventedQty: string;
    quoteOrderQty: string;
    cumulativeQuoteQty: string;
    status: BinanceOrderStatus;
    timeInForce: BinanceTimeInForce;
    type: BinanceOrderType;
    side: BinanceSide;
    workingTime?: number;
    selfTradePreventionMode: BinanceStpMode;
  };
}

export interface BalanceJson {
  asset: string;
  free: string;
  locked: string;
}

export interface AccountJson {
  makerCommission: number;
  takerCommission: number;
  buyerCommission: number;
  sellerCommission: number;
  commissionRates: { maker: string; taker: string; buyer: string; seller: string };
  canTrade: boolean;
  canWithdraw: boolean;
  canDeposit: boolean;
  brokered: boolean;
  requireSelfTradePrevention: boolean;
  preventSor: boolean;
  updateTime: number;
  accountType: string;
  balances: BalanceJson[];
  permissions: string[];
  uid: number;
}

export interface TradeJson {
  symbol: string;
  id: number;
  orderId: number;
  orderListId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
  isBestMatch: boolean;
}

export interface DepthJson {
  lastUpdateId: number;
  bids: [string, string][];
  asks: [string, string][];
}

export interface AvgPriceJson {
  mins: number;
  price: string;
  closeTime: number;
}

// ---- user data stream (user-data-stream.md) ----

export interface ExecutionReportEvent {
  e: 'executionReport';
  E: number;
  s: string;
  c: string;
  S: BinanceSide;
  o: BinanceOrderType;
  f: BinanceTimeInForce;
  q: string;
  p: string;
  P: string;
  F: string;
  g: number;
  C: string;
  x: ExecutionType;
  X: BinanceOrderStatus;
  r: string;
  i: number;
  l: string;
  z: string;
  L: string;
  n: string;
  N: string | null;
  T: number;
  t: number;
  v?: number;
  I: number;
  w: boolean;
  m: boolean;
  M: boolean;
  O: number;
  Z: string;
  Y: string;
  Q: string;
  W?: number;
  V: BinanceStpMode;
  eR?: string;
  j?: number;
  J?: number;
  A?: string;
  B?: string;
  U?: number;
  pl?: string;
  pL?: string;
  pY?: string;
}

export interface AccountPositionEvent {
  e: 'outboundAccountPosition';
  E: number;
  u: number;
  B: { a: string; f: string; l: string }[];
}

export interface EventStreamTerminatedEvent {
  e: 'eventStreamTerminated';
  E: number;
}

export type UserDataEvent = ExecutionReportEvent | AccountPositionEvent | EventStreamTerminatedEvent;
