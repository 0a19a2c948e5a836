// The settlement scale of each asset: positions and instructions are integers in units of 10^-d of the
// asset. By default d is the smallest scale that keeps every amount exact: the quantity decimals of the
// instruments that have the asset as base, and price + quantity decimals (the notional) of those that
// have it as quote. A configured scale may be larger (say 8 for USDT), never smaller: amounts are never
// rounded, except fees, whose rounding is defined in fees.ts.

import { exactDecimals } from '../config/clearing-section.js';
import type { InstrumentSpec } from '../venue/model/instrument.js';

export class AssetScales {
  private readonly scales = new Map<string, number>();

  constructor(instruments: readonly InstrumentSpec[], overrides: Readonly<Record<string, number>> = {}) {
    for (const [asset, d] of exactDecimals(instruments)) this.scales.set(asset, d);
    for (const [asset, d] of Object.entries(overrides)) {
      const min = this.scales.get(asset) ?? 0;
      if (d < min) {
        throw new Error(`clearing.assetDecimals.${asset}: ${d} decimals cannot hold exact amounts of ${asset}; it needs at least ${min}`);
      }
      this.scales.set(asset, d);
    }
  }

  /** Decimals of an asset; throws for an asset no instrument trades. */
  of(asset: string): number {
    const d = this.scales.get(asset);
    if (d === undefined) throw new Error(`no settlement scale for asset ${asset}: no configured instrument trades it`);
    return d;
  }

  entries(): Array<[string, number]> {
    return [...this.scales.entries()];
  }
}
