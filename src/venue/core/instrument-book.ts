// Everything the core keeps for one instrument: its settings, trading status, both sides of the book,
// the stop orders waiting for a trigger, the last trade price and the price band derived from it.

import { MarketPhase, Side, TradingStatus } from '../model/enums.js';
import type { InstrumentSpec } from '../model/instrument.js';
import { BookSide } from './book-side.js';
import { computeBand, type BandEdges } from './price-band.js';
import { PriceLevel } from './price-level.js';
import { StopBook } from './stop-book.js';

/** Price of the market-order queues of a call. */
export const MARKET_QUEUE = 0;
/** Price of the queue of At the Close orders waiting for the closing call. */
export const HELD_QUEUE = -1;

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
  /** Phase of the trading day (see MarketPhase); continuous unless a phase command says otherwise. */
  phase: MarketPhase = MarketPhase.Continuous;
  /**
   * Market orders collected in a call, per side, in time order (they have no price to sit in the ladder).
   * Queues outside the ladder have a price <= 0, which is how take-out knows not to publish a book delta.
   */
  readonly marketBids = PriceLevel.queue(MARKET_QUEUE);
  readonly marketAsks = PriceLevel.queue(MARKET_QUEUE);
  /** At the Close orders entered before the closing call, both sides: they join the book when it starts. */
  readonly heldForClose = PriceLevel.queue(HELD_QUEUE);
  /** The last indicative auction price published (see IndicativeEvent). */
  indicativePrice = 0;
  indicativeVolume = 0;
  indicativeImbalance = 0;
  /** Left a call while halted: the uncross waits for the resume (pendingCallPhase: the call that ended). */
  uncrossPending = false;
  pendingCallPhase: MarketPhase = MarketPhase.PreOpen;

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

  marketQueueOf(side: Side): PriceLevel {
    return side === Side.Buy ? this.marketBids : this.marketAsks;
  }

  sideOf(side: Side): BookSide {
    return side === Side.Buy ? this.bids : this.asks;
  }

  oppositeOf(side: Side): BookSide {
    return side === Side.Buy ? this.asks : this.bids;
  }
}
