// Books and instruments as ops read them: exact decimal strings (never floats), for the API and the dashboard.

import { formatDecimal } from '../../venue/model/decimal.js';
import type { LevelView } from '../../venue/core/queries.js';
import type { InstrumentSpec } from '../../venue/model/instrument.js';
import type { VenueSource } from '../sources.js';

export interface LevelRow {
  price: string;
  qty: string;
  orders: number;
}

export interface TopOfBook {
  symbol: string;
  status: string;
  lastPrice: string | null;
  bid: LevelRow | null;
  ask: LevelRow | null;
  bidLevels: number;
  askLevels: number;
}

export interface BookRows {
  symbol: string;
  status: string;
  bids: LevelRow[];
  asks: LevelRow[];
}

export class MarketView {
  private readonly specs: Map<string, InstrumentSpec>;

  constructor(private readonly venue: VenueSource) {
    this.specs = new Map(venue.instruments.map((s) => [s.symbol, s]));
  }

  has(symbol: string): boolean {
    return this.specs.has(symbol);
  }

  symbols(): string[] {
    return [...this.specs.keys()];
  }

  spec(symbol: string): InstrumentSpec | undefined {
    return this.specs.get(symbol);
  }

  price(symbol: string, scaled: number): string {
    return formatDecimal(scaled, this.specs.get(symbol)!.priceDecimals, true);
  }

  qty(symbol: string, scaled: number): string {
    return formatDecimal(scaled, this.specs.get(symbol)!.qtyDecimals, true);
  }

  top(symbol: string): TopOfBook {
    const state = this.venue.queries.instrument(symbol);
    const book = this.venue.queries.book(symbol, 0);
    const bids = book?.bids ?? [];
    const asks = book?.asks ?? [];
    return {
      symbol,
      status: state?.status ?? 'unknown',
      lastPrice: state !== undefined && state.lastPrice > 0 ? this.price(symbol, state.lastPrice) : null,
      bid: bids.length > 0 ? this.level(symbol, bids[0]!) : null,
      ask: asks.length > 0 ? this.level(symbol, asks[0]!) : null,
      bidLevels: bids.length,
      askLevels: asks.length,
    };
  }

  tops(): TopOfBook[] {
    return this.symbols().map((s) => this.top(s));
  }

  book(symbol: string, depth: number): BookRows {
    const book = this.venue.queries.book(symbol, depth);
    return {
      symbol,
      status: this.venue.queries.instrument(symbol)?.status ?? 'unknown',
      bids: (book?.bids ?? []).map((l) => this.level(symbol, l)),
      asks: (book?.asks ?? []).map((l) => this.level(symbol, l)),
    };
  }

  private level(symbol: string, l: LevelView): LevelRow {
    return { price: this.price(symbol, l.price), qty: this.qty(symbol, l.qty), orders: l.orderCount };
  }
}
