// The REST endpoints the simulator serves (rest-api.md), each with its parameters, request weight,
// security, and the exchange call behind it.

import {
  isParamError,
  mandatory,
  validateCancelRestrictions,
  validateNewOrder,
  validateNewQty,
  validateOrderRef,
  clientIdParam,
  orderIdParam,
  type ParamError,
  type ParamSource,
} from '../../../routing/binance/order-params.js';
import type { CancelReplaceMode } from '../../../routing/binance/types.js';
import { ApiError, badRequest } from '../api-error.js';
import type { SimAccount } from '../exchange/accounts.js';
import type { Exchange } from '../exchange/exchange.js';
import type { FaultEndpoint } from '../faults.js';
import type { RateLimits } from '../rate-limits.js';

export interface RouteCall {
  get: ParamSource;
  account: SimAccount;
  now: number;
  /** Handlers that placed an order say so: it counts against the account's ORDERS limits. */
  orderPlaced(): void;
}

export interface RouteAnswer {
  status: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  signed: boolean;
  /** Parameters the endpoint reads, besides timestamp / recvWindow / signature. */
  params: readonly string[];
  weight(get: ParamSource): number;
  /** A trading endpoint: fault injection applies, and success costs no weight (since 2026-04-02). */
  trading?: FaultEndpoint;
  /** Checked against the account's ORDERS limits before it runs. */
  placesOrders?: boolean;
  handle(call: RouteCall): RouteAnswer;
}

const NEW_ORDER_PARAMS = [
  'symbol', 'side', 'type', 'timeInForce', 'quantity', 'quoteOrderQty', 'price', 'newClientOrderId', 'strategyId', 'strategyType',
  'stopPrice', 'trailingDelta', 'icebergQty', 'newOrderRespType', 'selfTradePreventionMode', 'pegPriceType', 'pegOffsetValue', 'pegOffsetType',
] as const;

function check<T>(v: T | ParamError): T {
  if (isParamError(v)) throw badRequest(v.code, v.msg);
  return v;
}

function required(get: ParamSource, name: string): string {
  const v = get(name);
  if (v === undefined || v === '') throw badRequest(mandatory(name).code, mandatory(name).msg);
  return v;
}

function intParam(get: ParamSource, name: string, fallback: number, max: number): number {
  const v = get(name);
  if (v === undefined) return fallback;
  if (!/^[0-9]{1,10}$/.test(v)) throw badRequest(-1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,10}$'.`);
  return Math.min(Number(v), max);
}

function boolParam(get: ParamSource, name: string): boolean {
  const v = get(name);
  if (v === undefined) return false;
  if (v !== 'true' && v !== 'false') throw badRequest(-1130, `Data sent for parameter '${name}' is not valid.`);
  return v === 'true';
}

function ok(body: unknown): RouteAnswer {
  return { status: 200, body };
}

function depthWeight(get: ParamSource): number {
  const limit = Number(get('limit') ?? 100);
  return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
}

function symbolsParam(get: ParamSource): string[] | undefined {
  const one = get('symbol');
  if (one !== undefined) return [one];
  const many = get('symbols');
  if (many === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(many);
  } catch {
    throw badRequest(-1130, "Data sent for parameter 'symbols' is not valid.");
  }
  if (!Array.isArray(parsed) || parsed.some((s) => typeof s !== 'string')) throw badRequest(-1130, "Data sent for parameter 'symbols' is not valid.");
  return parsed as string[];
}

export function buildRoutes(exchange: Exchange, limits: RateLimits): Route[] {
  return [
    { method: 'GET', path: '/api/v3/ping', signed: false, params: [], weight: () => 1, handle: () => ok({}) },
    { method: 'GET', path: '/api/v3/time', signed: false, params: [], weight: () => 1, handle: (c) => ok({ serverTime: c.now }) },
    {
      method: 'GET',
      path: '/api/v3/exchangeInfo',
      signed: false,
      params: ['symbol', 'symbols', 'permissions', 'showPermissionSets', 'symbolStatus'],
      weight: () => 20,
      handle: (c) => ok(exchange.exchangeInfo(symbolsParam(c.get))),
    },
    {
      method: 'GET',
      path: '/api/v3/depth',
      signed: false,
      params: ['symbol', 'limit', 'symbolStatus'],
      weight: depthWeight,
      handle: (c) => ok(exchange.depth(required(c.get, 'symbol'), intParam(c.get, 'limit', 100, 5000))),
    },
    {
      method: 'GET',
      path: '/api/v3/avgPrice',
      signed: false,
      params: ['symbol'],
      weight: () => 2,
      handle: (c) => ok(exchange.avgPrice(required(c.get, 'symbol'))),
    },
    {
      method: 'POST',
      path: '/api/v3/order',
      signed: true,
      params: NEW_ORDER_PARAMS,
      weight: () => 1,
      trading: 'order',
      placesOrders: true,
      handle: (c) => {
        const body = exchange.placeOrder(c.account, check(validateNewOrder(c.get)));
        c.orderPlaced();
        return ok(body);
      },
    },
    {
      method: 'POST',
      path: '/api/v3/order/test',
      signed: true,
      params: [...NEW_ORDER_PARAMS, 'computeCommissionRates'],
      weight: (get) => (get('computeCommissionRates') === 'true' ? 20 : 1),
      handle: (c) => {
        const order = check(validateNewOrder(c.get));
        exchange.placeOrder(c.account, order, true);
        if (!boolParam(c.get, 'computeCommissionRates')) return ok({});
        const info = exchange.accountInfo(c.account, true).commissionRates;
        const zero = { maker: '0.00000000', taker: '0.00000000' };
        return ok({
          standardCommissionForOrder: { maker: info.maker, taker: info.taker },
          specialCommissionForOrder: zero,
          taxCommissionForOrder: zero,
          discount: { enabledForAccount: false, enabledForSymbol: false, discountAsset: 'BNB', discount: '0.00000000' },
        });
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/order',
      signed: true,
      params: ['symbol', 'orderId', 'origClientOrderId', 'newClientOrderId', 'cancelRestrictions'],
      weight: () => 1,
      trading: 'cancel',
      handle: (c) => {
        const symbol = required(c.get, 'symbol');
        const ref = check(validateOrderRef(c.get));
        const cancelId = check(clientIdParam(c.get, 'newClientOrderId'));
        const restrictions = check(validateCancelRestrictions(c.get));
        return ok(exchange.cancelOrder(c.account, symbol, ref, cancelId, restrictions));
      },
    },
    {
      method: 'DELETE',
      path: '/api/v3/openOrders',
      signed: true,
      params: ['symbol'],
      weight: () => 1,
      trading: 'cancelOpenOrders',
      handle: (c) => ok(exchange.cancelOpenOrders(c.account, required(c.get, 'symbol'))),
    },
    {
      method: 'POST',
      path: '/api/v3/order/cancelReplace',
      signed: true,
      params: [
        ...NEW_ORDER_PARAMS, 'cancelReplaceMode', 'cancelNewClientOrderId', 'cancelOrigClientOrderId', 'cancelOrderId', 'cancelRestrictions',
        'orderRateLimitExceededMode',
      ],
      weight: () => 1,
      trading: 'cancelReplace',
      placesOrders: true,
      handle: (c) => {
        const order = check(validateNewOrder(c.get));
        const mode = required(c.get, 'cancelReplaceMode');
        if (mode !== 'STOP_ON_FAILURE' && mode !== 'ALLOW_FAILURE') throw badRequest(-1130, "Data sent for parameter 'cancelReplaceMode' is not valid.");
        const cancel = check(validateOrderRef(c.get, 'cancelOrderId', 'cancelOrigClientOrderId'));
        const cancelNewClientOrderId = check(clientIdParam(c.get, 'cancelNewClientOrderId'));
        const cancelRestrictions = check(validateCancelRestrictions(c.get));
        try {
          const answer = exchange.cancelReplace(c.account, {
            mode: mode as CancelReplaceMode,
            cancel,
            order,
            ...(cancelNewClientOrderId !== undefined ? { cancelNewClientOrderId } : {}),
            ...(cancelRestrictions !== undefined ? { cancelRestrictions } : {}),
          });
          c.orderPlaced();
          return answer;
        } catch (err) {
          if (err instanceof ApiError && (err.data as { newOrderResult?: string } | undefined)?.newOrderResult === 'SUCCESS') c.orderPlaced();
          throw err;
        }
      },
    },
    {
      method: 'PUT',
      path: '/api/v3/order/amend/keepPriority',
      signed: true,
      params: ['symbol', 'orderId', 'origClientOrderId', 'newClientOrderId', 'newQty'],
      weight: () => 4,
      trading: 'amend',
      handle: (c) => {
        const symbol = required(c.get, 'symbol');
        const ref = check(validateOrderRef(c.get));
        const newQty = check(validateNewQty(c.get));
        const newId = check(clientIdParam(c.get, 'newClientOrderId'));
        return ok(exchange.amendKeepPriority(c.account, symbol, ref, newQty, newId));
      },
    },
    {
      method: 'GET',
      path: '/api/v3/order',
      signed: true,
      params: ['symbol', 'orderId', 'origClientOrderId'],
      weight: () => 4,
      handle: (c) => ok(exchange.queryOrder(c.account, required(c.get, 'symbol'), check(validateOrderRef(c.get)))),
    },
    {
      method: 'GET',
      path: '/api/v3/openOrders',
      signed: true,
      params: ['symbol'],
      weight: (get) => (get('symbol') === undefined ? 80 : 6),
      handle: (c) => ok(exchange.openOrders(c.account, c.get('symbol'))),
    },
    {
      method: 'GET',
      path: '/api/v3/account',
      signed: true,
      params: ['omitZeroBalances'],
      weight: () => 20,
      handle: (c) => ok(exchange.accountInfo(c.account, boolParam(c.get, 'omitZeroBalances'))),
    },
    {
      method: 'GET',
      path: '/api/v3/myTrades',
      signed: true,
      params: ['symbol', 'orderId', 'startTime', 'endTime', 'fromId', 'limit'],
      weight: (get) => (get('orderId') === undefined ? 20 : 5),
      handle: (c) => {
        const orderId = check(orderIdParam(c.get, 'orderId'));
        const fromId = check(orderIdParam(c.get, 'fromId'));
        return ok(exchange.myTrades(c.account, required(c.get, 'symbol'), orderId, fromId, intParam(c.get, 'limit', 500, 1000)));
      },
    },
    {
      method: 'GET',
      path: '/api/v3/rateLimit/order',
      signed: true,
      params: [],
      weight: () => 40,
      handle: (c) =>
        ok(
          limits.orderCounts(c.account.name, c.now).map((w) => ({
            rateLimitType: 'ORDERS',
            interval: w.limit.interval,
            intervalNum: w.limit.intervalNum,
            limit: w.limit.limit,
            count: w.used,
          })),
        ),
    },
  ];
}
