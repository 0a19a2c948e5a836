// The simulated exchange: Binance's order semantics (rest-api.md "Trading endpoints") mapped onto our own
// matching core. Requests are checked the way Binance checks them (symbol, order type permissions, filters,
// client order id, balances), then become venue commands; the core's events are turned into Binance
// state by the ledger. Everything runs synchronously, one request at a time, so a request's answer always
// reflects exactly what its command did.
//
// Mapping: LIMIT -> limit, LIMIT_MAKER -> post-only limit, MARKET -> market (by quantity, or by
// quoteOrderQty converted to a quantity from the visible book), STOP_LOSS(_LIMIT) -> stop (limit);
// selfTradePreventionMode -> the core's per-account STP mode, set before the order enters (the taker's
// mode decides, as on Binance). TAKE_PROFIT(_LIMIT) have no counterpart in the core and are refused with
// Binance's "not supported for this symbol" answer.

import { checkFilters } from '../../../routing/binance/filters.js';
import type { OrderRef, ValidNewOrder } from '../../../routing/binance/order-params.js';
import type {
  AccountJson,
  AmendedOrderJson,
  AvgPriceJson,
  BinanceStpMode,
  CanceledOrderJson,
  CancelReplaceMode,
  CancelRestrictions,
  DepthJson,
  ExchangeInfoJson,
  OrderResponseJson,
  QueriedOrderJson,
  RateLimitJson,
  TradeJson,
  UserDataEvent,
} from '../../../routing/binance/types.js';
import { Venue } from '../../../venue/core/venue.js';
import type { VenueCommand } from '../../../venue/model/commands.js';
import { OrdType, StpMode } from '../../../venue/model/enums.js';
import { ApiError, badRequest, UNKNOWN_ORDER } from '../api-error.js';
import type { SimulatorConfig } from '../config.js';
import { buildKeyTable, SimAccount, type ApiKeyEntry } from './accounts.js';
import { CORE_STP, CORE_TIF, coreOrdType, coreRejection, coreSide, origin } from './core-mapping.js';
import { generateClientOrderId } from './ids.js';
import { CommandContext, Ledger } from './ledger.js';
import { OrderIntake, unrepresentable, type PreparedOrder } from './order-intake.js';
import { SimOrder } from './order-record.js';
import { SimSymbol } from './sim-symbol.js';

export type UserEventSink = (account: SimAccount, event: UserDataEvent) => void;

export interface CancelReplaceRequest {
  mode: CancelReplaceMode;
  cancel: OrderRef;
  cancelNewClientOrderId?: string;
  cancelRestrictions?: CancelRestrictions;
  order: ValidNewOrder;
}

export class Exchange {
  readonly venue: Venue;
  readonly symbols = new Map<string, SimSymbol>();
  readonly accounts = new Map<string, SimAccount>();
  readonly apiKeys: Map<string, ApiKeyEntry>;
  readonly ledger: Ledger;
  private readonly rateLimits: RateLimitJson[];
  private readonly coreStp = new Map<SimAccount, StpMode>();
  private readonly intake: OrderIntake;
  private internalId = 0;
  sink: UserEventSink = () => {};

  constructor(
    config: SimulatorConfig,
    readonly now: () => number,
  ) {
    const scales = new Map<string, number>();
    for (const s of config.symbols) {
      const sym = new SimSymbol(s);
      this.symbols.set(sym.name, sym);
      scales.set(s.baseAsset, sym.baseScale);
      scales.set(s.quoteAsset, sym.quoteScale);
    }
    for (const [i, a] of config.accounts.entries()) this.accounts.set(a.name, new SimAccount(a, 1000 + i, scales));
    for (const a of this.accounts.values()) a.changed.clear();
    this.apiKeys = buildKeyTable(config.accounts, this.accounts);
    this.rateLimits = config.rateLimits;
    let windowMins = 5;
    for (const s of this.symbols.values()) windowMins = Math.max(windowMins, s.filters.avgPriceMins, s.filters.percent?.avgPriceMins ?? 0);
    this.ledger = new Ledger(this.symbols, windowMins * 60_000);
    this.venue = new Venue({ instruments: [...this.symbols.values()].map((s) => s.spec), stp: { defaultMode: StpMode.None, scope: 'account' } });
    this.venue.subscribe((e) => this.ledger.onEvent(e));
    this.intake = new OrderIntake(this.venue, this.ledger, (sym, now) => this.averagePrice(sym, now));
  }

  account(name: string): SimAccount {
    const a = this.accounts.get(name);
    if (a === undefined) throw new Error(`no simulated account named ${name}`);
    return a;
  }

  private symbol(name: string): SimSymbol {
    const s = this.symbols.get(name);
    if (s === undefined) throw badRequest(-1121, 'Invalid symbol.');
    return s;
  }

  private nextCoreId(): string {
    return `x${++this.internalId}`;
  }

  /** Runs core commands with a context collecting their effects, then delivers the user-data events. */
  private run(ctx: CommandContext, commands: VenueCommand[]): void {
    this.ledger.begin(ctx);
    try {
      for (const cmd of commands) this.venue.apply(cmd);
    } finally {
      this.ledger.end();
    }
    for (const { account, event } of ctx.out) this.sink(account, event);
    for (const account of ctx.touched) {
      if (account.changed.size === 0) continue;
      account.updateTime = ctx.time;
      this.sink(account, { e: 'outboundAccountPosition', E: ctx.time, u: ctx.time, B: account.takeChanged() });
    }
  }

  /** The average price the filters and GET /api/v3/avgPrice use, or undefined before any trade. */
  averagePrice(sym: SimSymbol, now: number): string | undefined {
    return this.ledger.stats.get(sym.name)!.averagePrice(now, this.avgPriceMins(sym));
  }

  private avgPriceMins(sym: SimSymbol): number {
    return sym.filters.percent?.avgPriceMins ?? sym.filters.avgPriceMins;
  }

  // ---------------------------------------------------------------- placing orders

  /**
   * POST /api/v3/order (and /order/test with test=true: every check, nothing placed). Throws ApiError with
   * Binance's code and message when the order is refused.
   */
  placeOrder(acct: SimAccount, o: ValidNewOrder, test = false): OrderResponseJson | Record<string, never> {
    const now = this.now();
    const sym = this.symbol(o.symbol);
    const prepared = this.intake.prepare(acct, sym, o, now);
    if (test) return {};
    const ctx = new CommandContext(now);
    const result = this.submit(ctx, acct, sym, o, prepared);
    return result;
  }

  private setStp(acct: SimAccount, mode: BinanceStpMode, now: number): VenueCommand[] {
    const core = CORE_STP[mode];
    if (this.coreStp.get(acct) === core) return [];
    this.coreStp.set(acct, core);
    return [{ type: 'setStp', time: now, account: acct.name, mode: core }];
  }

  private submit(ctx: CommandContext, acct: SimAccount, sym: SimSymbol, o: ValidNewOrder, p: PreparedOrder): OrderResponseJson {
    const now = ctx.time;
    const coreClOrdId = this.nextCoreId();
    const ordType = coreOrdType(o.type);
    const tif = o.timeInForce ?? 'GTC';
    ctx.draftCoreClOrdId = coreClOrdId;
    ctx.draft = (orderId) => {
      const rec = new SimOrder(
        orderId, sym, acct, p.clientOrderId, o.side, o.type, tif, p.price, p.stopPrice, p.qty,
        o.icebergQty === undefined ? -1 : p.iceberg, p.quoteOrderQty, p.stpMode, now, coreClOrdId, p.stopPrice > 0,
      );
      rec.lockRemaining = p.lock;
      rec.lockPrice = p.price > 0 ? p.price : p.stopPrice;
      rec.strategyId = o.strategyId;
      rec.strategyType = o.strategyType;
      return rec;
    };
    this.run(ctx, [
      ...this.setStp(acct, p.stpMode, now),
      {
        type: 'new',
        time: now,
        ...origin(acct),
        clOrdId: coreClOrdId,
        symbol: sym.name,
        side: coreSide(o.side),
        ordType,
        timeInForce: CORE_TIF[tif],
        price: ordType === OrdType.Limit || ordType === OrdType.StopLimit ? p.price : 0,
        stopPx: p.stopPrice,
        qty: p.qty,
        minQty: 0,
        maxFloor: p.icebergSent ? p.iceberg : 0,
        postOnly: o.type === 'LIMIT_MAKER',
        expireTime: 0,
        exDestination: '',
      },
    ]);
    const placed = ctx.placed;
    if (placed === null) throw coreRejection(ctx);
    const respType = o.newOrderRespType ?? (o.type === 'LIMIT' || o.type === 'MARKET' ? 'FULL' : 'ACK');
    return placed.toPlacementJson(respType, now, ctx.fills, ctx.prevented);
  }

  // ---------------------------------------------------------------- cancel, amend, cancel-replace

  /** The order a request refers to by orderId and/or origClientOrderId (both must agree when both given). */
  private findOrder(acct: SimAccount, sym: SimSymbol, ref: OrderRef): SimOrder | undefined {
    let o: SimOrder | undefined;
    if (ref.orderId !== undefined) {
      o = this.ledger.orders.get(ref.orderId);
      if (o !== undefined && ref.origClientOrderId !== undefined && o.clientOrderId !== ref.origClientOrderId) return undefined;
    } else {
      o = this.ledger.latestByClient(acct, sym.name, ref.origClientOrderId!);
    }
    return o !== undefined && o.account === acct && o.symbol === sym.name ? o : undefined;
  }

  /** DELETE /api/v3/order. */
  cancelOrder(acct: SimAccount, symbol: string, ref: OrderRef, newClientOrderId?: string, restrictions?: CancelRestrictions): CanceledOrderJson {
    const sym = this.symbol(symbol);
    const o = this.findOrder(acct, sym, ref);
    if (o === undefined || !o.isOpen) throw badRequest(-2011, UNKNOWN_ORDER);
    if (!acct.canTrade) throw badRequest(-2011, 'This account may not place or cancel orders.');
    if ((restrictions === 'ONLY_NEW' && o.status !== 'NEW') || (restrictions === 'ONLY_PARTIALLY_FILLED' && o.status !== 'PARTIALLY_FILLED')) {
      throw badRequest(-2011, 'Order was not canceled due to cancel restrictions.');
    }
    const now = this.now();
    const ctx = new CommandContext(now);
    const cancelId = newClientOrderId ?? generateClientOrderId();
    const coreId = this.nextCoreId();
    ctx.requestIds.set(coreId, cancelId);
    this.run(ctx, [
      {
        type: 'cancel',
        time: now,
        ...origin(acct),
        clOrdId: coreId,
        origClOrdId: o.coreClOrdId,
        orderId: o.orderId,
        symbol: sym.name,
        side: coreSide(o.side),
      },
    ]);
    if (!ctx.cancelled.includes(o)) throw badRequest(-2011, UNKNOWN_ORDER);
    return o.toCancelJson(cancelId, o.clientOrderId, now);
  }

  /** DELETE /api/v3/openOrders. */
  cancelOpenOrders(acct: SimAccount, symbol: string): CanceledOrderJson[] {
    const sym = this.symbol(symbol);
    if (this.ledger.openOrders(acct, sym.name).length === 0) throw badRequest(-2011, UNKNOWN_ORDER);
    const now = this.now();
    const ctx = new CommandContext(now);
    const cancelId = generateClientOrderId();
    const coreId = this.nextCoreId();
    ctx.requestIds.set(coreId, cancelId);
    this.run(ctx, [
      { type: 'massCancel', time: now, requestedBy: acct.name, requestId: coreId, ...origin(acct), symbol: sym.name, side: 0, reason: 'user' },
    ]);
    return ctx.cancelled.map((o) => o.toCancelJson(cancelId, o.clientOrderId, now));
  }

  /** PUT /api/v3/order/amend/keepPriority: reduce the quantity, keep the queue position. */
  amendKeepPriority(acct: SimAccount, symbol: string, ref: OrderRef, newQtyText: string, newClientOrderId?: string): AmendedOrderJson {
    const sym = this.symbol(symbol);
    if (!sym.info.amendAllowed) throw badRequest(-2038, 'Order amend is not supported for this symbol.');
    const o = this.findOrder(acct, sym, ref);
    if (o === undefined || !o.isOpen) throw badRequest(-2038, UNKNOWN_ORDER);
    const newQty = sym.parseQty(newQtyText);
    if (Number.isNaN(newQty)) throw unrepresentable('newQty', newQtyText, sym.qd);
    if (newQty <= 0 || (sym.filters.lot !== null && sym.filters.lot.step > 0 && newQty % sym.filters.lot.step !== 0)) {
      throw badRequest(-1013, 'Filter failure: LOT_SIZE');
    }
    if (newQty === o.origQty) throw badRequest(-2038, 'The requested action would change no state; rejecting');
    if (newQty > o.origQty) throw badRequest(-2038, 'Order amend (quantity increase) is not supported.');
    const clientId = newClientOrderId ?? generateClientOrderId();
    const clash = this.ledger.openByClient(acct, sym.name, clientId);
    if (clash !== undefined && clash !== o) throw badRequest(-2038, 'Duplicate order sent.');
    const now = this.now();
    const ctx = new CommandContext(now);
    const coreId = this.nextCoreId();
    const previousClientId = o.clientOrderId;
    ctx.requestIds.set(coreId, clientId);
    ctx.amendQty.set(o.orderId, newQty);
    const coreQty = Math.max(newQty - o.preventedQuantity, 0);
    this.run(ctx, [
      {
        type: 'replace',
        time: now,
        ...origin(acct),
        clOrdId: coreId,
        origClOrdId: o.coreClOrdId,
        orderId: o.orderId,
        symbol: sym.name,
        side: coreSide(o.side),
        ordType: coreOrdType(o.type),
        timeInForce: CORE_TIF[o.timeInForce],
        price: o.type === 'STOP_LOSS' ? 0 : o.price,
        stopPx: o.stopPrice,
        qty: coreQty,
        maxFloor: o.icebergQty > 0 ? Math.min(o.icebergQty, coreQty) : 0,
        expireTime: 0,
      },
    ]);
    if (ctx.amended !== o) throw badRequest(-2038, ctx.rejection?.text ?? UNKNOWN_ORDER);
    const s = sym;
    return {
      transactTime: now,
      executionId: this.ledger.nextExecutionId(),
      amendedOrder: {
        symbol: s.name,
        orderId: o.orderId,
        orderListId: -1,
        origClientOrderId: previousClientId,
        clientOrderId: o.clientOrderId,
        price: s.price(o.price),
        qty: s.qty(o.origQty),
        executedQty: s.qty(o.executedQty),
        preventedQty: s.qty(o.preventedQuantity),
        quoteOrderQty: acct.format(s.config.quoteAsset, o.origQuoteOrderQty),
        cumulativeQuoteQty: s.quote(o.cumQuote),
        status: o.status,
        timeInForce: o.timeInForce,
        type: o.type,
        side: o.side,
        ...(o.isWorking ? { workingTime: o.workingTime } : {}),
        selfTradePreventionMode: o.stpMode,
      },
    };
  }

  /**
   * POST /api/v3/order/cancelReplace. Filters are checked before anything happens (a plain -1013);
   * otherwise the answer follows the table in rest-api.md: 200 when both halves succeed, 400 with
   * -2022 when nothing happened, 409 with -2021 when one half did.
   */
  cancelReplace(acct: SimAccount, req: CancelReplaceRequest): { status: number; body: unknown } {
    const sym = this.symbol(req.order.symbol);
    if (!sym.info.cancelReplaceAllowed) throw badRequest(-2010, 'Order cancel-replace is not supported for this symbol.');
    const filtersFailed = checkFilters(sym.filters, req.order, {});
    if (filtersFailed !== null) throw badRequest(-1013, `Filter failure: ${filtersFailed}`);

    let cancelResponse: CanceledOrderJson | { code: number; msg: string };
    let cancelOk = true;
    try {
      cancelResponse = this.cancelOrder(acct, req.order.symbol, req.cancel, req.cancelNewClientOrderId, req.cancelRestrictions);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      cancelOk = false;
      cancelResponse = { code: err.code, msg: err.message };
    }
    if (!cancelOk && req.mode === 'STOP_ON_FAILURE') {
      const data = { cancelResult: 'FAILURE', newOrderResult: 'NOT_ATTEMPTED', cancelResponse, newOrderResponse: null };
      throw new ApiError(400, -2022, 'Order cancel-replace failed.', data);
    }
    let newOrderResponse: OrderResponseJson | { code: number; msg: string };
    let newOk = true;
    try {
      newOrderResponse = this.placeOrder(acct, req.order) as OrderResponseJson;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      newOk = false;
      newOrderResponse = { code: err.code, msg: err.message };
    }
    const data = {
      cancelResult: cancelOk ? 'SUCCESS' : 'FAILURE',
      newOrderResult: newOk ? 'SUCCESS' : 'FAILURE',
      cancelResponse,
      newOrderResponse,
    };
    if (cancelOk && newOk) return { status: 200, body: data };
    if (!cancelOk && !newOk) throw new ApiError(400, -2022, 'Order cancel-replace failed.', data);
    throw new ApiError(409, -2021, 'Order cancel-replace partially failed.', data);
  }

  // ---------------------------------------------------------------- queries

  queryOrder(acct: SimAccount, symbol: string, ref: OrderRef): QueriedOrderJson {
    const sym = this.symbol(symbol);
    const o = this.findOrder(acct, sym, ref);
    if (o === undefined) throw badRequest(-2013, 'Order does not exist.');
    return o.toQueryJson();
  }

  openOrders(acct: SimAccount, symbol?: string): QueriedOrderJson[] {
    if (symbol !== undefined) this.symbol(symbol);
    return this.ledger.openOrders(acct, symbol).map((o) => o.toQueryJson());
  }

  accountInfo(acct: SimAccount, omitZero: boolean): AccountJson {
    return acct.toJson(omitZero);
  }

  myTrades(acct: SimAccount, symbol: string, orderId?: number, fromId?: number, limit = 500): TradeJson[] {
    this.symbol(symbol);
    let list = this.ledger.tradesOf(acct).filter((t) => t.symbol === symbol && (orderId === undefined || t.orderId === orderId));
    if (fromId !== undefined) list = list.filter((t) => t.id >= fromId).slice(0, limit);
    else list = list.slice(-limit);
    return list;
  }

  depth(symbol: string, limit: number): DepthJson {
    const sym = this.symbol(symbol);
    const book = this.venue.book(sym.name, Math.min(limit, 5000))!;
    return {
      lastUpdateId: this.venue.eventSeq,
      bids: book.bids.map((l) => [sym.price(l.price), sym.qty(l.qty)]),
      asks: book.asks.map((l) => [sym.price(l.price), sym.qty(l.qty)]),
    };
  }

  avgPrice(symbol: string): AvgPriceJson {
    const sym = this.symbol(symbol);
    const now = this.now();
    const stats = this.ledger.stats.get(sym.name)!;
    return { mins: this.avgPriceMins(sym), price: this.averagePrice(sym, now) ?? sym.price(0), closeTime: stats.lastTradeTime };
  }

  exchangeInfo(symbols?: string[]): ExchangeInfoJson {
    const list = symbols === undefined ? [...this.symbols.values()] : symbols.map((s) => this.symbol(s));
    return {
      timezone: 'UTC',
      serverTime: this.now(),
      rateLimits: this.rateLimits.map((l) => ({ ...l })),
      exchangeFilters: [],
      symbols: list.map((s) => s.info),
    };
  }
}
