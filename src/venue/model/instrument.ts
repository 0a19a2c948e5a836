// Instrument settings as the core sees them: every price and quantity already a scaled integer.
// Parsing "0.01"-style strings from config into these is done once, at load, by the config module.

import type { TradingStatus } from './enums.js';

export interface InstrumentSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  /** Decimal places of prices: a price p is carried as p × 10^priceDecimals. */
  priceDecimals: number;
  /** Decimal places of quantities: a quantity q is carried as q × 10^qtyDecimals. */
  qtyDecimals: number;
  /** Tick size, scaled: every price must be a multiple of it. */
  tickSize: number;
  /** Lot size (quantity step), scaled: every quantity must be a multiple of it. */
  lotSize: number;
  minQty: number;
  maxQty: number;
  /** Minimum price × quantity, at scale priceDecimals + qtyDecimals; 0 for none. */
  minNotional: number;
  /** Orders may not trade or rest more than this percent away from the reference price; 0 for no band. */
  priceBandPercent: number;
  /** Reference price for the band before the first trade (scaled); 0 for none. */
  referencePrice: number;
  status: TradingStatus;
}
