// One tradable symbol at run time: what exchangeInfo shows, the compiled filters (shared with our client),
// the instrument spec handed to the matching core, and the conversions between Binance's decimal strings
// and the core's scaled integers. Prices are scaled by the tick's decimals, quantities by the step's.

import { compileFilters, type CompiledFilters } from '../../../routing/binance/filters.js';
import type { BinanceStpMode, SymbolInfoJson } from '../../../routing/binance/types.js';
import { formatDecimal, MAX_SCALED, parseDecimal, pow10 } from '../../../venue/model/decimal.js';
import type { InstrumentSpec } from '../../../venue/model/instrument.js';
import type { SimSymbolConfig } from '../config.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Prints a value held at `from` decimals with `to` decimals (to >= from), exactly. */
export function printScaled(value: number, from: number, to: number): string {
  if (to === from) return formatDecimal(value, from);
  return formatDecimal(value * pow10(to - from), to);
}

export class SimSymbol {
  readonly name: string;
  readonly info: SymbolInfoJson;
  readonly filters: CompiledFilters;
  readonly spec: InstrumentSpec;
  /** Decimals of core prices and quantities. */
  readonly pd: number;
  readonly qd: number;
  /** Decimals of the base and quote assets' balances. */
  readonly baseScale: number;
  readonly quoteScale: number;
  readonly allowedStp: ReadonlySet<BinanceStpMode>;

  constructor(readonly config: SimSymbolConfig) {
    this.name = config.symbol;
    this.baseScale = config.baseAssetPrecision ?? 8;
    this.quoteScale = config.quoteAssetPrecision ?? 8;
    this.filters = compileFilters({ symbol: config.symbol, filters: config.filters, baseAssetPrecision: this.baseScale, quoteAssetPrecision: this.quoteScale });
    this.pd = this.filters.priceDecimals;
    this.qd = this.filters.qtyDecimals;
    this.allowedStp = new Set(config.allowedSelfTradePreventionModes);
    const steps = [this.filters.lot?.step ?? 0, this.filters.marketLot?.step ?? 0].filter((s) => s > 0);
    this.spec = {
      symbol: config.symbol,
      baseAsset: config.baseAsset,
      quoteAsset: config.quoteAsset,
      priceDecimals: this.pd,
      qtyDecimals: this.qd,
      // Binance's own filters run before the core sees an order; the core only needs the common grid.
      tickSize: this.filters.price !== null && this.filters.price.tick > 0 ? this.filters.price.tick : 1,
      lotSize: steps.length === 0 ? 1 : steps.reduce(gcd),
      minQty: 0,
      maxQty: 0,
      minNotional: 0,
      priceBandPercent: config.priceRangePercent ?? 0,
      referencePrice: 0,
      status: config.status === 'TRADING' || config.status === undefined ? 'open' : 'halted',
    };
    this.info = {
      symbol: config.symbol,
      status: config.status ?? 'TRADING',
      baseAsset: config.baseAsset,
      baseAssetPrecision: this.baseScale,
      quoteAsset: config.quoteAsset,
      quotePrecision: this.quoteScale,
      quoteAssetPrecision: this.quoteScale,
      baseCommissionPrecision: this.baseScale,
      quoteCommissionPrecision: this.quoteScale,
      orderTypes: [...(config.orderTypes ?? [])],
      icebergAllowed: config.icebergAllowed ?? true,
      ocoAllowed: false,
      otoAllowed: false,
      opoAllowed: false,
      quoteOrderQtyMarketAllowed: config.quoteOrderQtyMarketAllowed ?? true,
      allowTrailingStop: false,
      cancelReplaceAllowed: config.cancelReplaceAllowed ?? true,
      amendAllowed: config.amendAllowed ?? true,
      pegInstructionsAllowed: false,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: false,
      filters: config.filters.map((f) => ({ ...f })),
      permissions: [],
      permissionSets: [['SPOT']],
      defaultSelfTradePreventionMode: config.defaultSelfTradePreventionMode ?? 'NONE',
      allowedSelfTradePreventionModes: [...(config.allowedSelfTradePreventionModes ?? [])],
    };
  }

  /** A price string at core scale; NaN when it is finer than the tick or too large (filters ran first). */
  parsePrice(text: string): number {
    return parseDecimal(text, this.pd);
  }

  parseQty(text: string): number {
    return parseDecimal(text, this.qd);
  }

  price(value: number): string {
    return printScaled(value, this.pd, this.quoteScale);
  }

  qty(value: number): string {
    return printScaled(value, this.qd, this.baseScale);
  }

  /** A notional (price × qty, at pd+qd decimals) printed as a quote amount. */
  quote(notional: number): string {
    return printScaled(notional, this.pd + this.qd, this.quoteScale);
  }

  /**
   * Base quantity (core scale) as base-asset balance units. Infinity when no balance could hold it, so a
   * lock of it is refused as insufficient balance (every fill is bounded by some lock, so fills stay exact).
   */
  qtyToBase(qty: number): number {
    const v = qty * pow10(this.baseScale - this.qd);
    return v <= MAX_SCALED ? v : Number.POSITIVE_INFINITY;
  }

  /** Notional (pd+qd scale) as quote-asset balance units (pd+qd <= quoteScale, a config check); Infinity as above. */
  notionalToQuote(notional: number): number {
    const v = notional * pow10(this.quoteScale - this.pd - this.qd);
    return Number.isSafeInteger(v) ? v : Number.POSITIVE_INFINITY;
  }
}
