// A thin Binance Spot REST client over an undici Pool (keep-alive). It sends decimals exactly as the
// caller wrote them, signs with HMAC-SHA256 or Ed25519, checks the decimal format, mandatory parameters
// and symbol filters locally first, consults the rate governor before every request, and never retries
// anything by itself: a mutating request that may have executed comes back as 'outcome-unknown' so the
// caller reconciles by client order id instead of sending it twice.

import { Pool } from 'undici';
import type { BinanceEndpoints } from './client-config.js';
import { checkFilters, compileFilters, type CompiledFilters, type FilterContext } from './filters.js';
import { isParamError, validateNewOrder, validateNewQty, validateOrderRef, type NewOrderFields, type ParamSource } from './order-params.js';
import { RateGovernor } from './rate-governor.js';
import { invalid, type BinanceFailure, type BinanceResult, type RateUsage } from './result.js';
import type { PayloadSigner } from './signing.js';
import type {
  AccountJson,
  AmendedOrderJson,
  AvgPriceJson,
  CanceledOrderJson,
  CancelReplaceJson,
  CancelReplaceMode,
  CancelRestrictions,
  DepthJson,
  ExchangeInfoJson,
  OrderResponseJson,
  QueriedOrderJson,
  TradeJson,
} from './types.js';

export interface BinanceRestClientOptions {
  endpoints: Pick<BinanceEndpoints, 'restBaseUrl'>;
  apiKey: string;
  signer: PayloadSigner;
  /** recvWindow sent with signed requests (ms); Binance's default 5000 applies when omitted. */
  recvWindow?: number;
  /** Time to wait for an answer before giving up (ms). Default 10000, Binance's own backend timeout. */
  timeoutMs?: number;
  /** Pooled keep-alive connections. Default 4. */
  connections?: number;
  governor?: RateGovernor;
  now?: () => number;
}

export type NewOrderRequest = NewOrderFields;

export interface CancelOrderRequest {
  symbol: string;
  orderId?: number;
  origClientOrderId?: string;
  newClientOrderId?: string;
  cancelRestrictions?: CancelRestrictions;
}

export interface CancelReplaceRequest extends NewOrderRequest {
  cancelReplaceMode: CancelReplaceMode;
  cancelOrderId?: number;
  cancelOrigClientOrderId?: string;
  cancelNewClientOrderId?: string;
  cancelRestrictions?: CancelRestrictions;
  orderRateLimitExceededMode?: 'DO_NOTHING' | 'CANCEL_ONLY';
}

export interface AmendKeepPriorityRequest {
  symbol: string;
  orderId?: number;
  origClientOrderId?: string;
  newClientOrderId?: string;
  newQty: string;
}

export interface OrderQuery {
  symbol: string;
  orderId?: number;
  origClientOrderId?: string;
}

type Params = Record<string, string | number | boolean | undefined>;

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  params: Params;
  signed: boolean;
  weight: number;
  /** Counts against the ORDERS limits. */
  isOrder: boolean;
  /** Changes state at Binance: an answer-less failure means the outcome is unknown. */
  mutating: boolean;
}

const NO_USAGE: RateUsage = { usedWeight: {}, orderCount: {} };

/** Errors raised before a single byte reached the server: the request certainly did not execute. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export class BinanceRestClient {
  readonly governor: RateGovernor;
  private readonly pool: Pool;
  private readonly pathPrefix: string;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private readonly headers: Record<string, string>;
  private readonly filters = new Map<string, CompiledFilters>();
  private lastUsage: RateUsage = NO_USAGE;

  constructor(private readonly options: BinanceRestClientOptions) {
    const base = new URL(options.endpoints.restBaseUrl);
    this.pathPrefix = base.pathname.replace(/\/+$/, '');
    this.pool = new Pool(base.origin, { connections: options.connections ?? 4, keepAliveTimeout: 30_000, pipelining: 1 });
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? Date.now;
    this.governor = options.governor ?? new RateGovernor(undefined, this.now);
    this.headers = { 'X-MBX-APIKEY': options.apiKey };
  }

  /** Usage counters from the most recent answer. */
  get usage(): RateUsage {
    return this.lastUsage;
  }

  /** Compiled filters for a symbol, once exchangeInfo has been loaded. */
  filtersFor(symbol: string): CompiledFilters | undefined {
    return this.filters.get(symbol);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  // ---- public endpoints ----

  ping(): Promise<BinanceResult<Record<string, never>>> {
    return this.call({ method: 'GET', path: '/api/v3/ping', params: {}, signed: false, weight: 1, isOrder: false, mutating: false });
  }

  serverTime(): Promise<BinanceResult<{ serverTime: number }>> {
    return this.call({ method: 'GET', path: '/api/v3/time', params: {}, signed: false, weight: 1, isOrder: false, mutating: false });
  }

  /**
   * GET /api/v3/exchangeInfo. On success the symbols' filters are compiled for local checks and the
   * governor adopts the published rate limits.
   */
  async exchangeInfo(symbols?: string[]): Promise<BinanceResult<ExchangeInfoJson>> {
    const params: Params = symbols === undefined ? {} : symbols.length === 1 ? { symbol: symbols[0] } : { symbols: JSON.stringify(symbols) };
    const res = await this.call<ExchangeInfoJson>({ method: 'GET', path: '/api/v3/exchangeInfo', params, signed: false, weight: 20, isOrder: false, mutating: false });
    if (res.ok) {
      for (const s of res.value.symbols) this.filters.set(s.symbol, compileFilters(s));
      if (res.value.rateLimits.length > 0) this.governor.setLimits(res.value.rateLimits);
    }
    return res;
  }

  depth(symbol: string, limit = 100): Promise<BinanceResult<DepthJson>> {
    const weight = limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
    return this.call({ method: 'GET', path: '/api/v3/depth', params: { symbol, limit }, signed: false, weight, isOrder: false, mutating: false });
  }

  avgPrice(symbol: string): Promise<BinanceResult<AvgPriceJson>> {
    return this.call({ method: 'GET', path: '/api/v3/avgPrice', params: { symbol }, signed: false, weight: 2, isOrder: false, mutating: false });
  }

  // ---- trading ----

  /**
   * POST /api/v3/order. Checked locally first (format, mandatory parameters, and the symbol's filters if
   * exchangeInfo was loaded; `context` supplies what only the caller knows, e.g. the reference price).
   */
  newOrder(req: NewOrderRequest, context?: FilterContext): Promise<BinanceResult<OrderResponseJson>> {
    const refused = this.checkOrder(req, context);
    if (refused !== null) return Promise.resolve(refused);
    return this.call({ method: 'POST', path: '/api/v3/order', params: orderParams(req), signed: true, weight: 1, isOrder: true, mutating: true });
  }

  /** POST /api/v3/order/test: validated by Binance, never sent to the matching engine. */
  testOrder(req: NewOrderRequest, context?: FilterContext): Promise<BinanceResult<Record<string, never>>> {
    const refused = this.checkOrder(req, context);
    if (refused !== null) return Promise.resolve(refused);
    return this.call({ method: 'POST', path: '/api/v3/order/test', params: orderParams(req), signed: true, weight: 1, isOrder: false, mutating: false });
  }

  cancelOrder(req: CancelOrderRequest): Promise<BinanceResult<CanceledOrderJson>> {
    const refused = checkRef(req);
    if (refused !== null) return Promise.resolve(refused);
    return this.call({ method: 'DELETE', path: '/api/v3/order', params: { ...req }, signed: true, weight: 1, isOrder: false, mutating: true });
  }

  /**
   * POST /api/v3/order/cancelReplace. A 409 (one half failed) comes back as 'rejected' with Binance's
   * { cancelResult, newOrderResult, cancelResponse, newOrderResponse } in `data`.
   */
  cancelReplace(req: CancelReplaceRequest): Promise<BinanceResult<CancelReplaceJson>> {
    const refused = this.checkOrder(req, undefined);
    if (refused !== null) return Promise.resolve(refused);
    if (req.cancelOrderId === undefined && req.cancelOrigClientOrderId === undefined) {
      return Promise.resolve(invalid(-1102, "Param 'cancelOrigClientOrderId' or 'cancelOrderId' must be sent, but both were empty/null!"));
    }
    const params: Params = {
      ...orderParams(req),
      cancelReplaceMode: req.cancelReplaceMode,
      cancelOrderId: req.cancelOrderId,
      cancelOrigClientOrderId: req.cancelOrigClientOrderId,
      cancelNewClientOrderId: req.cancelNewClientOrderId,
      cancelRestrictions: req.cancelRestrictions,
      orderRateLimitExceededMode: req.orderRateLimitExceededMode,
    };
    return this.call({ method: 'POST', path: '/api/v3/order/cancelReplace', params, signed: true, weight: 1, isOrder: true, mutating: true });
  }

  /** PUT /api/v3/order/amend/keepPriority: reduce quantity keeping the order's place in the queue. */
  amendKeepPriority(req: AmendKeepPriorityRequest): Promise<BinanceResult<AmendedOrderJson>> {
    const refused = checkRef(req) ?? paramRefusal(validateNewQty(sourceOf({ newQty: req.newQty })));
    if (refused !== null) return Promise.resolve(refused);
    return this.call({ method: 'PUT', path: '/api/v3/order/amend/keepPriority', params: { ...req }, signed: true, weight: 4, isOrder: false, mutating: true });
  }

  cancelOpenOrders(symbol: string): Promise<BinanceResult<CanceledOrderJson[]>> {
    return this.call({ method: 'DELETE', path: '/api/v3/openOrders', params: { symbol }, signed: true, weight: 1, isOrder: false, mutating: true });
  }

  // ---- queries ----

  queryOrder(q: OrderQuery): Promise<BinanceResult<QueriedOrderJson>> {
    const refused = checkRef(q);
    if (refused !== null) return Promise.resolve(refused);
    return this.call({ method: 'GET', path: '/api/v3/order', params: { ...q }, signed: true, weight: 4, isOrder: false, mutating: false });
  }

  /**
   * Reconciliation after an unknown outcome: the order as Binance has it, or null when Binance has no
   * order with that client order id (-2013), i.e. it never executed.
   */
  async findOrder(symbol: string, clientOrderId: string): Promise<BinanceResult<QueriedOrderJson | null>> {
    const res = await this.queryOrder({ symbol, origClientOrderId: clientOrderId });
    if (!res.ok && res.kind === 'rejected' && res.code === -2013) {
      return { ok: true, value: null, status: res.status, usage: this.lastUsage };
    }
    return res;
  }

  openOrders(symbol?: string): Promise<BinanceResult<QueriedOrderJson[]>> {
    const weight = symbol === undefined ? 80 : 6;
    return this.call({ method: 'GET', path: '/api/v3/openOrders', params: { symbol }, signed: true, weight, isOrder: false, mutating: false });
  }

  account(omitZeroBalances = false): Promise<BinanceResult<AccountJson>> {
    const params: Params = omitZeroBalances ? { omitZeroBalances: true } : {};
    return this.call({ method: 'GET', path: '/api/v3/account', params, signed: true, weight: 20, isOrder: false, mutating: false });
  }

  /** GET /api/v3/myTrades, for one order when orderId is given (weight 5) or the symbol (weight 20). */
  myTrades(q: { symbol: string; orderId?: number; fromId?: number; limit?: number }): Promise<BinanceResult<TradeJson[]>> {
    const weight = q.orderId !== undefined ? 5 : 20;
    return this.call({ method: 'GET', path: '/api/v3/myTrades', params: { ...q }, signed: true, weight, isOrder: false, mutating: false });
  }

  // ---- plumbing ----

  private checkOrder(req: NewOrderRequest, context: FilterContext | undefined): BinanceFailure | null {
    const params = orderParams(req);
    const valid = validateNewOrder(sourceOf(params));
    if (isParamError(valid)) return invalid(valid.code, valid.msg);
    const compiled = this.filters.get(req.symbol);
    if (compiled === undefined) return null;
    const failed = checkFilters(compiled, valid, context);
    return failed === null ? null : invalid(-1013, `Filter failure: ${failed}`);
  }

  private buildQuery(params: Params, signed: boolean): string {
    let query = '';
    for (const key in params) {
      const v = params[key];
      if (v === undefined) continue;
      query += `${query.length > 0 ? '&' : ''}${key}=${encodeURIComponent(String(v))}`;
    }
    if (!signed) return query;
    if (this.options.recvWindow !== undefined) query += `${query.length > 0 ? '&' : ''}recvWindow=${this.options.recvWindow}`;
    query += `${query.length > 0 ? '&' : ''}timestamp=${this.now()}`;
    return `${query}&signature=${encodeURIComponent(this.options.signer.sign(query))}`;
  }

  private async call<T>(c: Call): Promise<BinanceResult<T>> {
    const refusal = this.governor.admit(c.weight, c.isOrder);
    if (refusal !== null) return refusal;
    const query = this.buildQuery(c.params, c.signed);
    const path = `${this.pathPrefix}${c.path}${query.length > 0 ? `?${query}` : ''}`;
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await this.pool.request({ method: c.method, path, headers: this.headers, headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
      status = res.statusCode;
      headers = res.headers;
      text = await res.body.text();
    } catch (err) {
      return transportFailure(c, err as Error & { code?: string });
    }
    const usage = readUsage(headers);
    if (usage !== null) this.lastUsage = usage;
    let body: unknown;
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const code = errorCode(body);
    const msg = errorMsg(body) ?? `HTTP ${status}`;
    this.governor.observe(status, usage ?? NO_USAGE, retryAfter(headers), code);

    if (status >= 200 && status < 300) {
      if (body === undefined) return this.noAnswer(c, status, 'answer was not JSON');
      return { ok: true, value: body as T, status, usage: usage ?? this.lastUsage };
    }
    if (status === 429 || status === 418) {
      const retry = retryAfter(headers);
      const retryAt = this.now() + (retry ?? 60) * 1000;
      return { ok: false, kind: 'throttled', status, code, msg, retryAt, banned: status === 418, local: false };
    }
    // -1006 and -1007 say so themselves: "execution status unknown".
    if (status >= 500 || code === -1007 || code === -1006) return this.noAnswer(c, status, msg, code);
    const failure: BinanceFailure = { ok: false, kind: 'rejected', status, code, msg };
    if (typeof body === 'object' && body !== null && 'data' in body) failure.data = (body as { data: unknown }).data;
    return failure;
  }

  private noAnswer(c: Call, status: number, msg: string, code = 0): BinanceFailure {
    return { ok: false, kind: c.mutating ? 'outcome-unknown' : 'unavailable', status, code, msg };
  }
}

function transportFailure(c: Call, err: Error & { code?: string }): BinanceFailure {
  const msg = `${err.code ?? err.name}: ${err.message}`;
  const sent = err.code === undefined || !NOT_SENT_CODES.has(err.code);
  return { ok: false, kind: c.mutating && sent ? 'outcome-unknown' : 'unavailable', status: 0, code: 0, msg };
}

function orderParams(req: NewOrderRequest): Params {
  return {
    symbol: req.symbol,
    side: req.side,
    type: req.type,
    timeInForce: req.timeInForce,
    quantity: req.quantity,
    quoteOrderQty: req.quoteOrderQty,
    price: req.price,
    stopPrice: req.stopPrice,
    icebergQty: req.icebergQty,
    newClientOrderId: req.newClientOrderId,
    newOrderRespType: req.newOrderRespType,
    selfTradePreventionMode: req.selfTradePreventionMode,
    strategyId: req.strategyId,
    strategyType: req.strategyType,
  };
}

function sourceOf(params: Params): ParamSource {
  return (name) => {
    const v = params[name];
    return v === undefined ? undefined : String(v);
  };
}

function paramRefusal(v: unknown): BinanceFailure | null {
  return isParamError(v) ? invalid(v.code, v.msg) : null;
}

function checkRef(q: { orderId?: number; origClientOrderId?: string }): BinanceFailure | null {
  return paramRefusal(validateOrderRef(sourceOf({ orderId: q.orderId, origClientOrderId: q.origClientOrderId })));
}

function readUsage(headers: Record<string, string | string[] | undefined>): RateUsage | null {
  let usage: RateUsage | null = null;
  for (const name in headers) {
    const weight = name.startsWith('x-mbx-used-weight-');
    if (!weight && !name.startsWith('x-mbx-order-count-')) continue;
    const value = Number(headers[name]);
    if (!Number.isFinite(value)) continue;
    usage ??= { usedWeight: {}, orderCount: {} };
    const suffix = name.slice(18).toUpperCase(); // both prefixes are 18 characters long
    (weight ? usage.usedWeight : usage.orderCount)[suffix] = value;
  }
  return usage;
}

function retryAfter(headers: Record<string, string | string[] | undefined>): number | undefined {
  const v = headers['retry-after'];
  const n = typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function errorCode(body: unknown): number {
  if (typeof body === 'object' && body !== null && 'code' in body) {
    const code = (body as { code: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return 0;
}

function errorMsg(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'msg' in body) {
    const msg = (body as { msg: unknown }).msg;
    if (typeof msg === 'string') return msg;
  }
  return undefined;
}
