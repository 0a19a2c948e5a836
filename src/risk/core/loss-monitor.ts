// Automatic kill switch on a firm's loss. A firm breaches its lossLimit when, in any quote asset, its
// realised P&L plus the unrealised P&L of its open base positions (valued at the last trade price of
// each base asset, at cost until the first trade seen since start) falls below -lossLimit. Checked after
// every trade for the firms holding the traded asset, since a price move changes their unrealised P&L
// even when they did not trade.

import { formatBigDecimal, parseBigDecimal } from '../exact/big-decimal.js';
import type { RiskBooks } from '../exposure/risk-books.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import type { LimitTable } from '../limits/limit-table.js';
import { truncateDecimals } from '../limits/scale-limit.js';

interface Mark {
  price: bigint;
  unitToQuote: bigint;
}

export class LossMonitor {
  /** firm -> quote asset -> scaled loss limit. */
  private limits = new Map<string, Map<string, bigint>>();
  private readonly marks = new Map<string, Mark>();
  private readonly quoteScales = new Map<string, number>();

  constructor(private readonly books: RiskBooks, instruments: Iterable<InstrumentRisk>) {
    for (const i of instruments) this.quoteScales.set(i.quoteAsset, i.quoteScale);
  }

  get active(): boolean {
    return this.limits.size > 0;
  }

  compile(table: LimitTable): void {
    const next = new Map<string, Map<string, bigint>>();
    for (const s of table.scopes()) {
      const text = s.values.lossLimit;
      if (s.scope.level !== 'firm' || text === undefined) continue;
      const perQuote = new Map<string, bigint>();
      for (const [quote, scale] of this.quoteScales) perQuote.set(quote, parseBigDecimal(truncateDecimals(text, scale), scale) ?? 0n);
      next.set(s.scope.firm, perQuote);
    }
    this.limits = next;
  }

  /** Records the last price of the instrument's base asset. */
  mark(inst: InstrumentRisk, price: number): void {
    const m = this.marks.get(inst.baseAsset);
    if (m === undefined) this.marks.set(inst.baseAsset, { price: BigInt(price), unitToQuote: inst.unitToQuoteBig });
    else {
      m.price = BigInt(price);
      m.unitToQuote = inst.unitToQuoteBig;
    }
  }

  /** Firms that hold the base asset (their unrealised P&L moved). */
  *firmsHolding(base: string): Iterable<string> {
    for (const total of this.books.firmTotalsOf(base)) if (this.limits.has(total.firm)) yield total.firm;
  }

  *firmsWithLimits(): Iterable<string> {
    yield* this.limits.keys();
  }

  /** The breach text when the firm is beyond its loss limit in some quote asset; null otherwise. */
  breach(firm: string): string | null {
    const perQuote = this.limits.get(firm);
    if (perQuote === undefined) return null;
    for (const [quote, limit] of perQuote) {
      let pnl = 0n;
      for (const p of this.books.firmBasesValuedIn(firm, quote)) {
        pnl += p.realised;
        const m = this.marks.get(p.asset);
        if (m !== undefined) pnl += p.net * m.price * m.unitToQuote - p.cost;
      }
      if (pnl < -limit) {
        const scale = this.quoteScales.get(quote)!;
        return `loss limit breached: P&L ${formatBigDecimal(pnl, scale)} < -${formatBigDecimal(limit, scale)} ${quote} ` +
          `(realised + unrealised at last price; firm ${firm})`;
      }
    }
    return null;
  }
}
