// What each asset is (a base valued in its quote asset, or a quote asset) and its decimals, derived from
// the instruments.

import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import type { AssetRole } from './position.js';

export interface AssetInfo {
  asset: string;
  role: AssetRole;
  scale: number;
  valueScale: number;
  valuedIn: string;
}

export function assetInfos(instruments: Iterable<InstrumentRisk>): Map<string, AssetInfo> {
  const out = new Map<string, AssetInfo>();
  for (const i of instruments) {
    out.set(i.baseAsset, { asset: i.baseAsset, role: 'base', scale: i.baseScale, valueScale: i.quoteScale, valuedIn: i.quoteAsset });
    out.set(i.quoteAsset, { asset: i.quoteAsset, role: 'quote', scale: i.quoteScale, valueScale: i.quoteScale, valuedIn: '' });
  }
  return out;
}
