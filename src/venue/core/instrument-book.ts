// Everything the core keeps for one instrument: its settings, trading status, both sides of the book,
// the stop orders waiting for a trigger, the last trade price and the price band derived from it.

import { Side, TradingStatus } from '../model/enums.js';
import type { InstrumentSpec } from '../model/instrument.js';
import { BookSide } from './book-side.js';
import { computeBand, type BandEdges } from './price-band.js';
import { StopBook } from './stop-book.js';

export class InstrumentBook {
  readonly spec: Readonly<InstrumentSpec>;
  readonly index: number;
  status: TradingStatus;
  readonly bids = new BookSide(Side.Buy);
  readonly asks = new BookSide(Side.Sell);
  readonly stops = new StopBook();
  /** Price of the last trade, 0 before the first. */
  lastPrice = 0;
  readonly band: BandEdges = { low: 0, high: Number.POSITIVE_INFINITY };

  constructor(spec: InstrumentSpec, index: number) {
    this.spec = Object.freeze({ ...spec });
    this.index = index;
    this.status = spec.status;
    this.updateBand();
  }

  /** The reference the band is computed from. */
  get referencePrice(): number {
    return this.lastPrice > 0 ? this.lastPrice : this.spec.referencePrice;
  }

  updateBand(): void {
    computeBand(this.referencePrice, this.spec.priceBandPercent, this.spec.tickSize, this.band);
  }

  sideOf(side: Side): BookSide {
    return side === Side.Buy ? this.bids : this.asks;
  }

  oppositeOf(side: Side): BookSide {
    return side === Side.Buy ? this.asks : this.bids;
  }
}
