// Parameter rules for order requests (rest-api.md "New order", "Cancel order", "Order Amend Keep
// Priority"), with the codes and messages Binance answers when they are broken (errors.md). Shared by our
// client, which refuses locally what would be refused anyway, and by our simulator, which refuses it the
// way Binance does.

import { CLIENT_ORDER_ID_RULE_SOURCE, illegalDecimalMessage, isBinanceDecimal, isValidClientOrderId } from './decimal-rule.js';
import { hasLimitPrice } from './filters.js';
import {
  ORDER_TYPES,
  STP_MODES,
  type BinanceOrderType,
  type BinanceSide,
  type BinanceStpMode,
  type BinanceTimeInForce,
  type CancelRestrictions,
  type NewOrderRespType,
} from './types.js';

export interface ParamError {
  code: number;
  msg: string;
}

export type ParamSource = (name: string) => string | undefined;

/** A new order's parameters as sent: decimals are strings, exactly as they go on the wire. */
export interface NewOrderFields {
  symbol: string;
  side: BinanceSide;
  type: BinanceOrderType;
  timeInForce?: BinanceTimeInForce;
  quantity?: string;
  quoteOrderQty?: string;
  price?: string;
  stopPrice?: string;
  icebergQty?: string;
  newClientOrderId?: string;
  newOrderRespType?: NewOrderRespType;
  selfTradePreventionMode?: BinanceStpMode;
  strategyId?: number;
  strategyType?: number;
}

/** A validated new order, including the parameters our simulator refuses as unsupported (trailing, pegged). */
export interface ValidNewOrder extends NewOrderFields {
  trailingDelta?: string;
  pegPriceType?: string;
}

export function isParamError(v: unknown): v is ParamError {
  return typeof v === 'object' && v !== null && 'code' in v && 'msg' in v;
}

export function mandatory(name: string): ParamError {
  return { code: -1102, msg: `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.` };
}

export function notRequired(name: string): ParamError {
  return { code: -1106, msg: `Parameter '${name}' sent when not required.` };
}

function invalidData(name: string): ParamError {
  return { code: -1130, msg: `Data sent for parameter '${name}' is not valid.` };
}

const ORDER_ID_RULE = /^[0-9]{1,20}$/;
const SIGNED_LONG = /^-?[0-9]{1,19}$/;

function present(v: string | undefined): v is string {
  return v !== undefined && v !== '';
}

/** Validates a LONG id parameter such as orderId; undefined when absent. */
export function orderIdParam(get: ParamSource, name: string): number | undefined | ParamError {
  const v = get(name);
  if (!present(v)) return undefined;
  if (!ORDER_ID_RULE.test(v)) return { code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.` };
  return Number(v);
}

/** Validates a client order id parameter; undefined when absent. */
export function clientIdParam(get: ParamSource, name: string): string | undefined | ParamError {
  const v = get(name);
  if (v === undefined) return undefined;
  if (v === '') return name === 'newClientOrderId' ? { code: -1118, msg: 'New client order ID was empty.' } : { code: -1119, msg: 'Original client order ID was empty.' };
  if (!isValidClientOrderId(v)) return { code: -1100, msg: `Illegal characters found in parameter '${name}'; legal range is '${CLIENT_ORDER_ID_RULE_SOURCE}'.` };
  return v;
}

function decimalParam(get: ParamSource, name: string): string | undefined | ParamError {
  const v = get(name);
  if (v === undefined) return undefined;
  if (!isBinanceDecimal(v)) return { code: -1100, msg: illegalDecimalMessage(name) };
  return v;
}

/** Checks a new-order request's parameters; the symbol's existence and filters are checked by the caller. */
export function validateNewOrder(get: ParamSource): ValidNewOrder | ParamError {
  const symbol = get('symbol');
  if (!present(symbol)) return mandatory('symbol');
  const side = get('side');
  if (!present(side)) return mandatory('side');
  if (side !== 'BUY' && side !== 'SELL') return { code: -1117, msg: 'Invalid side.' };
  const type = get('type');
  if (!present(type)) return mandatory('type');
  if (!(ORDER_TYPES as readonly string[]).includes(type)) return { code: -1116, msg: 'Invalid orderType.' };
  const out: ValidNewOrder = { symbol, side, type: type as BinanceOrderType };

  const tif = get('timeInForce');
  if (tif !== undefined) {
    if (tif !== 'GTC' && tif !== 'IOC' && tif !== 'FOK') return { code: -1115, msg: 'Invalid timeInForce.' };
    out.timeInForce = tif;
  }
  for (const name of ['quantity', 'quoteOrderQty', 'price', 'stopPrice', 'icebergQty'] as const) {
    const v = decimalParam(get, name);
    if (isParamError(v)) return v;
    if (v !== undefined) out[name] = v;
  }
  const trailing = get('trailingDelta');
  if (trailing !== undefined) {
    if (!SIGNED_LONG.test(trailing)) return invalidData('trailingDelta');
    out.trailingDelta = trailing;
  }
  const clientId = clientIdParam(get, 'newClientOrderId');
  if (isParamError(clientId)) return clientId;
  if (clientId !== undefined) out.newClientOrderId = clientId;
  const respType = get('newOrderRespType');
  if (respType !== undefined) {
    if (respType !== 'ACK' && respType !== 'RESULT' && respType !== 'FULL') return invalidData('newOrderRespType');
    out.newOrderRespType = respType;
  }
  const stp = get('selfTradePreventionMode');
  if (stp !== undefined) {
    if (!(STP_MODES as readonly string[]).includes(stp)) return invalidData('selfTradePreventionMode');
    out.selfTradePreventionMode = stp as BinanceStpMode;
  }
  const strategyId = get('strategyId');
  if (strategyId !== undefined) {
    if (!SIGNED_LONG.test(strategyId)) return invalidData('strategyId');
    out.strategyId = Number(strategyId);
  }
  const strategyType = get('strategyType');
  if (strategyType !== undefined) {
    if (!SIGNED_LONG.test(strategyType)) return invalidData('strategyType');
    if (Number(strategyType) < 1000000) return { code: -1134, msg: '`strategyType` was less than 1000000.' };
    out.strategyType = Number(strategyType);
  }
  const peg = get('pegPriceType');
  if (peg !== undefined) out.pegPriceType = peg;
  return checkComposition(out);
}

/** The per-type mandatory and forbidden parameters (rest-api.md, the table under "New order"). */
function checkComposition(o: ValidNewOrder): ValidNewOrder | ParamError {
  const t = o.type;
  const stopType = t === 'STOP_LOSS' || t === 'STOP_LOSS_LIMIT' || t === 'TAKE_PROFIT' || t === 'TAKE_PROFIT_LIMIT';
  const needsTif = t === 'LIMIT' || t === 'STOP_LOSS_LIMIT' || t === 'TAKE_PROFIT_LIMIT';
  if (needsTif && o.timeInForce === undefined) return mandatory('timeInForce');
  if (!needsTif && o.timeInForce !== undefined && t !== 'MARKET') return notRequired('timeInForce');
  if (hasLimitPrice(t) && o.price === undefined && o.pegPriceType === undefined) return mandatory('price');
  if (!hasLimitPrice(t) && o.price !== undefined) return notRequired('price');
  if (t === 'MARKET') {
    if (o.quantity === undefined && o.quoteOrderQty === undefined) {
      return { code: -1102, msg: "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!" };
    }
    if (o.quantity !== undefined && o.quoteOrderQty !== undefined) return notRequired('quoteOrderQty');
  } else {
    if (o.quoteOrderQty !== undefined) return notRequired('quoteOrderQty');
    if (o.quantity === undefined) return mandatory('quantity');
  }
  if (stopType && o.stopPrice === undefined && o.trailingDelta === undefined) {
    return { code: -1102, msg: "Param 'stopPrice' or 'trailingDelta' must be sent, but both were empty/null!" };
  }
  if (!stopType && o.stopPrice !== undefined) return notRequired('stopPrice');
  if (!stopType && o.trailingDelta !== undefined) return notRequired('trailingDelta');
  if (o.icebergQty !== undefined) {
    if (t !== 'LIMIT' && t !== 'LIMIT_MAKER' && t !== 'STOP_LOSS_LIMIT' && t !== 'TAKE_PROFIT_LIMIT') return notRequired('icebergQty');
    if (o.timeInForce !== undefined && o.timeInForce !== 'GTC') return { code: -1014, msg: 'Unsupported order combination.' };
  }
  return o;
}

export interface OrderRef {
  orderId?: number;
  origClientOrderId?: string;
}

/** orderId / origClientOrderId, one of which must be sent (cancel, query, amend). */
export function validateOrderRef(get: ParamSource, idName = 'orderId', clientName = 'origClientOrderId'): OrderRef | ParamError {
  const orderId = orderIdParam(get, idName);
  if (isParamError(orderId)) return orderId;
  const orig = clientIdParam(get, clientName);
  if (isParamError(orig)) return orig;
  if (orderId === undefined && orig === undefined) {
    return { code: -1102, msg: `Param '${clientName}' or '${idName}' must be sent, but both were empty/null!` };
  }
  const ref: OrderRef = {};
  if (orderId !== undefined) ref.orderId = orderId;
  if (orig !== undefined) ref.origClientOrderId = orig;
  return ref;
}

export function validateCancelRestrictions(get: ParamSource, name = 'cancelRestrictions'): CancelRestrictions | undefined | ParamError {
  const v = get(name);
  if (v === undefined) return undefined;
  if (v !== 'ONLY_NEW' && v !== 'ONLY_PARTIALLY_FILLED') return { code: -1145, msg: 'Invalid cancelRestrictions' };
  return v;
}

/** newQty for amend keep-priority: a mandatory DECIMAL. */
export function validateNewQty(get: ParamSource): string | ParamError {
  const v = decimalParam(get, 'newQty');
  if (isParamError(v)) return v;
  if (v === undefined) return mandatory('newQty');
  return v;
}
