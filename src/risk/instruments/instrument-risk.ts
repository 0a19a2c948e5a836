// Per-instrument numbers the risk checks need: how its quantities and notionals convert into the units
// of its base and quote assets (positions and credit add up across instruments, so they are kept per
// asset), and the last trade price (the price-band reference and the valuation of market orders).
//
// Each asset gets one scale: a base asset the finest lot of any instrument trading it, a quote asset
// enough decimals to hold base units × price exactly for every instrument it quotes. So conversions are
// multiplications by powers of ten, never divisions.
//
// Positions value every base asset in a single quote asset (average cost and P&L in USDT, say), so an
// asset may not be the base of instruments with different quote assets, nor both a base and a quote.
// Such a configuration is refused at start with the instruments named.

import { pow10 } from '../../venue/model/decimal.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';

export class InstrumentRisk {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly qtyDecimals: number;
  readonly priceDecimals: number;
  /** Decimals of the base asset (positions, position limits). */
  readonly baseScale: number;
  /** Decimals of the quote asset (notionals, credit, P&L). */
  readonly quoteScale: number;
  /** instrument quantity × qtyToBase = base-asset units. */
  readonly qtyToBase: number;
  /** price × quantity (instrument scales) × notionalToQuote = quote-asset units. */
  readonly notionalToQuote: number;
  /** base units × price × unitToQuote = quote units (positions). */
  readonly unitToQuote: number;
  /** Configured reference price (scaled) for the band before the first trade; 0 for none. */
  readonly configuredReference: number;
  /** Last trade price (scaled), 0 before the first trade. */
  lastPrice = 0;

  constructor(spec: InstrumentSpec, baseScale: number, quoteScale: number) {
    this.symbol = spec.symbol;
    this.baseAsset = spec.baseAsset;
    this.quoteAsset = spec.quoteAsset;
    this.qtyDecimals = spec.qtyDecimals;
    this.priceDecimals = spec.priceDecimals;
    this.baseScale = baseScale;
    this.quoteScale = quoteScale;
    this.qtyToBase = pow10(baseScale - spec.qtyDecimals);
    this.notionalToQuote = pow10(quoteScale - spec.priceDecimals - spec.qtyDecimals);
    this.unitToQuote = pow10(quoteScale - baseScale - spec.priceDecimals);
    this.configuredReference = spec.referencePrice;
  }

  /** The price-band reference: last trade, else the configured reference, else 0 (no band possible). */
  get referencePrice(): number {
    return this.lastPrice > 0 ? this.lastPrice : this.configuredReference;
  }
}

export class InstrumentConfigError extends Error {
  constructor(message: string) {
    super(`risk: ${message}`);
    this.name = 'InstrumentConfigError';
  }
}

/** Builds the per-instrument risk numbers, refusing asset layouts positions cannot value. */
export function buildInstrumentRisk(specs: readonly InstrumentSpec[]): Map<string, InstrumentRisk> {
  const quoteOfBase = new Map<string, InstrumentSpec>();
  const quoteAssets = new Map<string, InstrumentSpec>();
  for (const s of specs) quoteAssets.set(s.quoteAsset, s);
  for (const s of specs) {
    const other = quoteOfBase.get(s.baseAsset);
    if (other !== undefined && other.quoteAsset !== s.quoteAsset) {
      throw new InstrumentConfigError(
        `${s.baseAsset} is traded against ${other.quoteAsset} (${other.symbol}) and ${s.quoteAsset} (${s.symbol}); ` +
          'positions value each base asset in one quote asset',
      );
    }
    const asQuote = quoteAssets.get(s.baseAsset);
    if (asQuote !== undefined) {
      throw new InstrumentConfigError(`${s.baseAsset} is the base of ${s.symbol} and the quote of ${asQuote.symbol}; an asset may be one or the other`);
    }
    quoteOfBase.set(s.baseAsset, s);
  }
  const baseScale = new Map<string, number>();
  for (const s of specs) baseScale.set(s.baseAsset, Math.max(baseScale.get(s.baseAsset) ?? 0, s.qtyDecimals));
  const quoteScale = new Map<string, number>();
  for (const s of specs) {
    const need = baseScale.get(s.baseAsset)! + s.priceDecimals;
    quoteScale.set(s.quoteAsset, Math.max(quoteScale.get(s.quoteAsset) ?? 0, need));
  }
  for (const [asset, scale] of quoteScale) {
    if (scale > 15) throw new InstrumentConfigError(`amounts of ${asset} would need ${scale} decimals to stay exact; at most 15 are supported`);
  }
  const out = new Map<string, InstrumentRisk>();
  for (const s of specs) out.set(s.symbol, new InstrumentRisk(s, baseScale.get(s.baseAsset)!, quoteScale.get(s.quoteAsset)!));
  return out;
}
