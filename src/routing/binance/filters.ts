// Symbol filters (filters.md), compiled once from exchangeInfo and checked per order. The same code runs in
// our client (to refuse locally what Binance would refuse) and in our simulator (to refuse it as Binance
// does), so the two can never disagree. A failure is named the way Binance names it: -1013
// "Filter failure: <NAME>".
//
// Prices and quantities are compared as scaled integers: the scale is the number of decimals the tick and
// step sizes actually use, so a value with finer decimals cannot be on the tick/step and fails. Notional
// products fall back to BigInt only when they would not be exact in a double.

import { parseDecimal } from '../../venue/model/decimal.js';
import {
  ceilAtScale,
  compareExact,
  exactDecimal,
  floorAtScale,
  multiplyExact,
  significantDecimals,
  type ExactDecimal,
} from './exact-decimal.js';
import type { BinanceOrderType, BinanceSide, SymbolFilterJson, SymbolInfoJson } from './types.js';

export type FilterName =
  | 'PRICE_FILTER'
  | 'PERCENT_PRICE'
  | 'PERCENT_PRICE_BY_SIDE'
  | 'LOT_SIZE'
  | 'MARKET_LOT_SIZE'
  | 'MIN_NOTIONAL'
  | 'NOTIONAL'
  | 'ICEBERG_PARTS'
  | 'MAX_NUM_ORDERS'
  | 'MAX_NUM_ALGO_ORDERS'
  | 'MAX_NUM_ICEBERG_ORDERS';

interface QtyRule {
  min: number;
  max: number;
  step: number;
}

interface NotionalRule {
  /** Bounds at scale priceDecimals + qtyDecimals; max < 0 means none. */
  min: bigint;
  max: bigint;
  applyMinToMarket: boolean;
  applyMaxToMarket: boolean;
}

interface PercentRule {
  buyUp: ExactDecimal;
  buyDown: ExactDecimal;
  sellUp: ExactDecimal;
  sellDown: ExactDecimal;
  avgPriceMins: number;
  name: 'PERCENT_PRICE' | 'PERCENT_PRICE_BY_SIDE';
}

export interface CompiledFilters {
  readonly symbol: string;
  readonly priceDecimals: number;
  readonly qtyDecimals: number;
  readonly price: { min: number; max: number; tick: number } | null;
  readonly lot: QtyRule | null;
  readonly marketLot: QtyRule | null;
  readonly notional: NotionalRule | null;
  readonly minNotional: NotionalRule | null;
  readonly percent: PercentRule | null;
  readonly icebergParts: number;
  readonly maxNumOrders: number;
  readonly maxNumAlgoOrders: number;
  readonly maxNumIcebergOrders: number;
  /** Minutes of trades the reference (average) price is taken over; 0 = last price. */
  readonly avgPriceMins: number;
}

/** The order fields the filters look at, exactly as they would be sent (strings, never numbers). */
export interface FilterableOrder {
  side: BinanceSide;
  type: BinanceOrderType;
  price?: string | undefined;
  stopPrice?: string | undefined;
  quantity?: string | undefined;
  quoteOrderQty?: string | undefined;
  icebergQty?: string | undefined;
}

/** What only the exchange knows for sure; each check is skipped when its input is not given. */
export interface FilterContext {
  /** Average/reference price (a decimal string, as GET /api/v3/avgPrice prints it). */
  referencePrice?: string | undefined;
  /** The account's open orders on the symbol before this one. */
  openOrders?: number | undefined;
  openAlgoOrders?: number | undefined;
  openIcebergOrders?: number | undefined;
}

export class FilterConfigError extends Error {}

function str(filter: SymbolFilterJson, field: string): string {
  const v = filter[field];
  if (typeof v !== 'string' || exactDecimal(v) === null) {
    throw new FilterConfigError(`${filter.filterType}.${field}: expected a decimal string, got ${JSON.stringify(v)}`);
  }
  return v;
}

function int(filter: SymbolFilterJson, field: string): number {
  const v = filter[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new FilterConfigError(`${filter.filterType}.${field}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return v;
}

function bool(filter: SymbolFilterJson, field: string): boolean {
  const v = filter[field];
  if (typeof v !== 'boolean') {
    throw new FilterConfigError(`${filter.filterType}.${field}: expected true or false, got ${JSON.stringify(v)}`);
  }
  return v;
}

function scaled(text: string, decimals: number): number {
  const v = parseDecimal(text, decimals);
  if (Number.isNaN(v)) throw new FilterConfigError(`value ${text} does not fit ${decimals} decimals`);
  return v;
}

function exact(text: string): ExactDecimal {
  return exactDecimal(text) as ExactDecimal; // str() already checked the format
}

/** Decimals a side of the book needs: what its filter sizes use, or the asset precision when unbounded. */
function decimalsFor(filters: SymbolFilterJson[], types: string[], fields: string[], stepField: string, fallback: number): number {
  let d = 0;
  let stepless = true;
  for (const f of filters) {
    if (!types.includes(f.filterType)) continue;
    for (const field of fields) d = Math.max(d, significantDecimals(str(f, field)));
    if (exactDecimal(str(f, stepField))?.units !== 0n) stepless = false;
  }
  return stepless ? Math.max(d, fallback) : d;
}

function qtyRule(f: SymbolFilterJson, qd: number): QtyRule {
  return { min: scaled(str(f, 'minQty'), qd), max: scaled(str(f, 'maxQty'), qd), step: scaled(str(f, 'stepSize'), qd) };
}

/** Compiles a symbol's filters; throws FilterConfigError naming the filter and field when one is malformed. */
export function compileFilters(info: Pick<SymbolInfoJson, 'symbol' | 'filters' | 'baseAssetPrecision' | 'quoteAssetPrecision'>): CompiledFilters {
  const fs = info.filters;
  const pd = decimalsFor(fs, ['PRICE_FILTER'], ['minPrice', 'maxPrice', 'tickSize'], 'tickSize', info.quoteAssetPrecision);
  const qd = decimalsFor(fs, ['LOT_SIZE', 'MARKET_LOT_SIZE'], ['minQty', 'maxQty', 'stepSize'], 'stepSize', info.baseAssetPrecision);
  if (pd > 15 || qd > 15) throw new FilterConfigError(`${info.symbol}: more than 15 decimals in price or quantity`);
  const ns = pd + qd;
  const out: {
    -readonly [K in keyof CompiledFilters]: CompiledFilters[K];
  } = {
    symbol: info.symbol,
    priceDecimals: pd,
    qtyDecimals: qd,
    price: null,
    lot: null,
    marketLot: null,
    notional: null,
    minNotional: null,
    percent: null,
    icebergParts: 0,
    maxNumOrders: 0,
    maxNumAlgoOrders: 0,
    maxNumIcebergOrders: 0,
    avgPriceMins: 0,
  };
  for (const f of fs) {
    switch (f.filterType) {
      case 'PRICE_FILTER':
        out.price = { min: scaled(str(f, 'minPrice'), pd), max: scaled(str(f, 'maxPrice'), pd), tick: scaled(str(f, 'tickSize'), pd) };
        break;
      case 'LOT_SIZE':
        out.lot = qtyRule(f, qd);
        break;
      case 'MARKET_LOT_SIZE':
        out.marketLot = qtyRule(f, qd);
        break;
      case 'NOTIONAL':
        out.notional = {
          min: ceilAtScale(exact(str(f, 'minNotional')), ns),
          max: floorAtScale(exact(str(f, 'maxNotional')), ns),
          applyMinToMarket: bool(f, 'applyMinToMarket'),
          applyMaxToMarket: bool(f, 'applyMaxToMarket'),
        };
        out.avgPriceMins = int(f, 'avgPriceMins');
        break;
      case 'MIN_NOTIONAL': {
        const apply = bool(f, 'applyToMarket');
        out.minNotional = { min: ceilAtScale(exact(str(f, 'minNotional')), ns), max: -1n, applyMinToMarket: apply, applyMaxToMarket: false };
        out.avgPriceMins = int(f, 'avgPriceMins');
        break;
      }
      case 'PERCENT_PRICE_BY_SIDE':
        out.percent = {
          buyUp: exact(str(f, 'bidMultiplierUp')),
          buyDown: exact(str(f, 'bidMultiplierDown')),
          sellUp: exact(str(f, 'askMultiplierUp')),
          sellDown: exact(str(f, 'askMultiplierDown')),
          avgPriceMins: int(f, 'avgPriceMins'),
          name: 'PERCENT_PRICE_BY_SIDE',
        };
        break;
      case 'PERCENT_PRICE': {
        const up = exact(str(f, 'multiplierUp'));
        const down = exact(str(f, 'multiplierDown'));
        out.percent = { buyUp: up, buyDown: down, sellUp: up, sellDown: down, avgPriceMins: int(f, 'avgPriceMins'), name: 'PERCENT_PRICE' };
        break;
      }
      case 'ICEBERG_PARTS':
        out.icebergParts = int(f, 'limit');
        break;
      case 'MAX_NUM_ORDERS':
        out.maxNumOrders = int(f, 'maxNumOrders');
        break;
      case 'MAX_NUM_ALGO_ORDERS':
        out.maxNumAlgoOrders = int(f, 'maxNumAlgoOrders');
        break;
      case 'MAX_NUM_ICEBERG_ORDERS':
        out.maxNumIcebergOrders = int(f, 'maxNumIcebergOrders');
        break;
      default:
        // Filters we do not evaluate (TRAILING_DELTA, MAX_POSITION ...) are left to the exchange.
        break;
    }
  }
  return out;
}

export function hasLimitPrice(type: BinanceOrderType): boolean {
  return type === 'LIMIT' || type === 'LIMIT_MAKER' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
}

export function isMarketLike(type: BinanceOrderType): boolean {
  return type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT';
}

export function isAlgoType(type: BinanceOrderType): boolean {
  return type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT';
}

function priceFails(rule: { min: number; max: number; tick: number }, text: string, pd: number): boolean {
  const p = parseDecimal(text, pd);
  if (Number.isNaN(p)) return true; // finer than the tick, or beyond any representable maximum
  if (rule.min !== 0 && p < rule.min) return true;
  if (rule.max !== 0 && p > rule.max) return true;
  return rule.tick !== 0 && p % rule.tick !== 0;
}

function qtyFails(rule: QtyRule, q: number): boolean {
  if (Number.isNaN(q)) return true;
  if (q < rule.min || q > rule.max) return true;
  return rule.step !== 0 && q % rule.step !== 0;
}

function notionalOf(price: number, qty: number): number | bigint {
  const n = price * qty;
  return Number.isSafeInteger(n) ? n : BigInt(price) * BigInt(qty);
}

function notionalFails(rule: NotionalRule, notional: number | bigint, isMarket: boolean): boolean {
  if ((!isMarket || rule.applyMinToMarket) && notional < rule.min) return true;
  return rule.max >= 0n && (!isMarket || rule.applyMaxToMarket) && notional > rule.max;
}

function percentFails(rule: PercentRule, side: BinanceSide, price: string, reference: string): boolean {
  const p = exactDecimal(price);
  const ref = exactDecimal(reference);
  if (p === null || ref === null) return false;
  const up = side === 'BUY' ? rule.buyUp : rule.sellUp;
  const down = side === 'BUY' ? rule.buyDown : rule.sellDown;
  return compareExact(p, multiplyExact(ref, up)) > 0 || compareExact(p, multiplyExact(ref, down)) < 0;
}

/**
 * Returns the first filter the order fails, or null when it passes. Format (the -1100 decimal rule) and
 * mandatory parameters are checked before this; here every given decimal is already well-formed.
 */
export function checkFilters(f: CompiledFilters, order: FilterableOrder, ctx: FilterContext = {}): FilterName | null {
  const pd = f.priceDecimals;
  const qd = f.qtyDecimals;
  const limitPriced = hasLimitPrice(order.type) && order.price !== undefined;
  const market = isMarketLike(order.type);

  if (f.price !== null) {
    if (limitPriced && priceFails(f.price, order.price as string, pd)) return 'PRICE_FILTER';
    if (order.stopPrice !== undefined && priceFails(f.price, order.stopPrice, pd)) return 'PRICE_FILTER';
  }
  if (f.percent !== null && limitPriced && ctx.referencePrice !== undefined) {
    if (percentFails(f.percent, order.side, order.price as string, ctx.referencePrice)) return f.percent.name;
  }

  const qty = order.quantity === undefined ? NaN : parseDecimal(order.quantity, qd);
  const iceberg = order.icebergQty === undefined ? 0 : parseDecimal(order.icebergQty, qd);
  if (f.lot !== null) {
    if (order.quantity !== undefined && qtyFails(f.lot, qty)) return 'LOT_SIZE';
    if (order.icebergQty !== undefined && iceberg !== 0 && qtyFails(f.lot, iceberg)) return 'LOT_SIZE';
  }
  if (f.marketLot !== null && market && order.quantity !== undefined && qtyFails(f.marketLot, qty)) return 'MARKET_LOT_SIZE';
  if (f.icebergParts > 0 && iceberg > 0 && !Number.isNaN(qty) && Math.ceil(qty / iceberg) > f.icebergParts) return 'ICEBERG_PARTS';

  for (const rule of [f.minNotional, f.notional]) {
    if (rule === null) continue;
    let notional: number | bigint | null = null;
    if (limitPriced && !Number.isNaN(qty)) {
      notional = notionalOf(parseDecimal(order.price as string, pd), qty);
    } else if (market && order.quoteOrderQty !== undefined) {
      const q = exactDecimal(order.quoteOrderQty);
      if (q !== null) notional = floorAtScale(q, pd + qd);
    } else if (market && !Number.isNaN(qty) && ctx.referencePrice !== undefined) {
      const ref = exactDecimal(ctx.referencePrice);
      if (ref !== null) notional = floorAtScale(multiplyExact(ref, { units: BigInt(qty), scale: qd }), pd + qd);
    }
    if (notional !== null && notionalFails(rule, notional, market)) return rule === f.notional ? 'NOTIONAL' : 'MIN_NOTIONAL';
  }

  if (f.maxNumOrders > 0 && ctx.openOrders !== undefined && ctx.openOrders + 1 > f.maxNumOrders) return 'MAX_NUM_ORDERS';
  if (f.maxNumAlgoOrders > 0 && isAlgoType(order.type) && ctx.openAlgoOrders !== undefined && ctx.openAlgoOrders + 1 > f.maxNumAlgoOrders) {
    return 'MAX_NUM_ALGO_ORDERS';
  }
  if (f.maxNumIcebergOrders > 0 && iceberg > 0 && ctx.openIcebergOrders !== undefined && ctx.openIcebergOrders + 1 > f.maxNumIcebergOrders) {
    return 'MAX_NUM_ICEBERG_ORDERS';
  }
  return null;
}
