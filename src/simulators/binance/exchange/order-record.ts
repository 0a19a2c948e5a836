// The simulator's record of one Binance order, kept after the core has forgotten it (queries, myTrades),
// and its JSON renderings for the different endpoints (rest-api.md: ACK / RESULT / FULL, query, cancel,
// amend). Conditional fields appear only under the conditions the docs give.

import type {
  BinanceOrderStatus,
  BinanceOrderType,
  BinanceSide,
  BinanceStpMode,
  BinanceTimeInForce,
  CanceledOrderJson,
  FillJson,
  NewOrderRespType,
  OrderResponseJson,
  QueriedOrderJson,
} from '../../../routing/binance/types.js';
import type { SimAccount } from './accounts.js';
import type { SimSymbol } from './sim-symbol.js';

interface ConditionalFields {
  strategyId?: number;
  strategyType?: number;
  preventedMatchId?: number;
  preventedQuantity?: string;
  expiryReason?: string;
}

export interface PreventedMatch {
  preventedMatchId: number;
  makerOrderId: number;
  price: string;
  makerPreventedQuantity: string;
}

export class SimOrder {
  /** Current client order id (changes on amend). */
  clientOrderId: string;
  status: BinanceOrderStatus = 'NEW';
  /** Binance's origQty: as sent, or as amended. Self-trade decrements do not change it. */
  origQty: number;
  executedQty = 0;
  /** Sum of price × qty over fills, at pd+qd decimals. */
  cumQuote = 0;
  updateTime: number;
  workingTime: number;
  isWorking: boolean;
  expiryReason = '';
  preventedMatchId = -1;
  preventedQuantity = 0;
  /** What is still locked for this order, in units of lockAsset. */
  lockRemaining = 0;
  lockAsset: string;
  /** Price the lock was computed at (pd scale): the limit price, the stop price, or 0 for market orders. */
  lockPrice = 0;
  /** The core's ClOrdID for this order (the core needs ids unique among live orders per session). */
  coreClOrdId: string;
  /** Quantity the core currently knows (origQty minus decrements). */
  coreQty: number;
  strategyId: number | undefined;
  strategyType: number | undefined;

  constructor(
    readonly orderId: number,
    readonly sym: SimSymbol,
    readonly account: SimAccount,
    clientOrderId: string,
    readonly side: BinanceSide,
    readonly type: BinanceOrderType,
    readonly timeInForce: BinanceTimeInForce,
    /** Limit price, pd scale; 0 when none. */
    readonly price: number,
    readonly stopPrice: number,
    qty: number,
    /** Iceberg quantity as sent (qd scale), -1 when not sent. */
    readonly icebergQty: number,
    /** quoteOrderQty as sent, quote-asset units; 0 when not sent. */
    readonly origQuoteOrderQty: number,
    readonly stpMode: BinanceStpMode,
    readonly time: number,
    coreClOrdId: string,
    isStop: boolean,
  ) {
    this.clientOrderId = clientOrderId;
    this.origQty = qty;
    this.coreQty = qty;
    this.updateTime = time;
    this.isWorking = !isStop;
    this.workingTime = isStop ? -1 : time;
    this.lockAsset = side === 'BUY' ? sym.config.quoteAsset : sym.config.baseAsset;
    this.coreClOrdId = coreClOrdId;
  }

  get symbol(): string {
    return this.sym.name;
  }

  get isOpen(): boolean {
    return this.status === 'NEW' || this.status === 'PARTIALLY_FILLED' || this.status === 'PENDING_NEW';
  }

  get isAlgo(): boolean {
    return this.stopPrice > 0;
  }

  private base(): Omit<QueriedOrderJson, 'time' | 'updateTime' | 'isWorking' | 'workingTime'> {
    const s = this.sym;
    const out: QueriedOrderJson = {
      symbol: s.name,
      orderId: this.orderId,
      orderListId: -1,
      clientOrderId: this.clientOrderId,
      price: s.price(this.price),
      origQty: s.qty(this.origQty),
      executedQty: s.qty(this.executedQty),
      cummulativeQuoteQty: s.quote(this.cumQuote),
      status: this.status,
      timeInForce: this.timeInForce,
      type: this.type,
      side: this.side,
    } as QueriedOrderJson;
    if (this.stopPrice > 0) out.stopPrice = s.price(this.stopPrice);
    if (this.icebergQty >= 0) out.icebergQty = s.qty(this.icebergQty);
    return out;
  }

  private conditional<T extends ConditionalFields>(out: T): T {
    if (this.strategyId !== undefined) out.strategyId = this.strategyId;
    if (this.strategyType !== undefined) out.strategyType = this.strategyType;
    if (this.preventedMatchId >= 0) {
      out.preventedMatchId = this.preventedMatchId;
      out.preventedQuantity = this.sym.qty(this.preventedQuantity);
    }
    if (this.expiryReason !== '') out.expiryReason = this.expiryReason;
    return out;
  }

  /** GET /api/v3/order, GET /api/v3/openOrders. */
  toQueryJson(): QueriedOrderJson {
    const out = {
      ...this.base(),
      time: this.time,
      updateTime: this.updateTime,
      isWorking: this.isWorking,
      workingTime: this.workingTime,
      origQuoteOrderQty: this.quoteOrderQtyText(),
      selfTradePreventionMode: this.stpMode,
    } as QueriedOrderJson;
    return this.conditional(out);
  }

  private quoteOrderQtyText(): string {
    return this.account.format(this.sym.config.quoteAsset, this.origQuoteOrderQty);
  }

  /** POST /api/v3/order answer at the requested detail. */
  toPlacementJson(respType: NewOrderRespType, transactTime: number, fills: FillJson[], prevented: PreventedMatch[]): OrderResponseJson {
    const ack: OrderResponseJson = {
      symbol: this.symbol,
      orderId: this.orderId,
      orderListId: -1,
      clientOrderId: this.clientOrderId,
      transactTime,
    };
    if (respType === 'ACK') return ack;
    const { symbol: _s, orderId: _o, orderListId: _l, clientOrderId: _c, ...rest } = this.base();
    const out: OrderResponseJson = {
      ...ack,
      ...rest,
      origQuoteOrderQty: this.quoteOrderQtyText(),
    };
    if (this.isWorking) out.workingTime = this.workingTime;
    out.selfTradePreventionMode = this.stpMode;
    this.conditional(out);
    if (respType === 'FULL') {
      out.fills = fills;
      if (prevented.length > 0) out.preventedMatches = prevented;
    }
    return out;
  }

  /** DELETE /api/v3/order answer. */
  toCancelJson(cancelClientOrderId: string, origClientOrderId: string, transactTime: number): CanceledOrderJson {
    const b = this.base();
    const out: CanceledOrderJson = {
      symbol: b.symbol,
      origClientOrderId,
      orderId: b.orderId,
      orderListId: -1,
      clientOrderId: cancelClientOrderId,
      transactTime,
      price: b.price,
      origQty: b.origQty,
      executedQty: b.executedQty,
      origQuoteOrderQty: this.quoteOrderQtyText(),
      cummulativeQuoteQty: b.cummulativeQuoteQty,
      status: b.status,
      timeInForce: b.timeInForce,
      type: b.type,
      side: b.side,
      selfTradePreventionMode: this.stpMode,
    };
    if (b.stopPrice !== undefined) out.stopPrice = b.stopPrice;
    if (b.icebergQty !== undefined) out.icebergQty = b.icebergQty;
    return this.conditional(out);
  }
}
