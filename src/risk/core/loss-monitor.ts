// Automatic kill switch on a firm's loss. A firm breaches its lossLimit when, in any quote asset, its
// realised P&L plus the unrealised P&L of its open base positions (valued at the last trade price of
// each base asset, at cost until the first trade seen since start) falls below -lossLimit. Checked after
// every trade for the firms holding the traded asset, since a price move changes their unrealised P&L
// even when they did not trade. Exact (BigInt) and allocation-light: a few multiplications per holder.

import { formatBigDecimal, parseBigDecimal } from '../exact/big-decimal.js';
import type { RiskBooks } from '../exposure/risk-books.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import type { LimitTable } from '../limits/limit-table.js';
import { truncateDecimals } from '../limits/scale-limit.js';

interface Mark {
  price: bigint;
  unitToQuote: bigint;
}

interface FirmLossLimit {
  quote: string;
  scale: number;
  limit: bigint;
}

export class LossMonitor {
  private limits = new Map<string, FirmLossLimit[]>();
  private readonly marks = new Map<string, Mark>();
  private readonly quoteScales = new Map<string, number>();

  constructor(private readonly books: RiskBooks, instruments: Iterable<InstrumentRisk>) {
    for (const i of instruments) this.quoteScales.set(i.quoteAsset, i.quoteScale);
  }

  get active(): boolean {
    return this.limits.size > 0;
  }

  hasLimit(firm: string): boolean {
    return this.limits.has(firm);
  }

  compile(table: LimitTable): void {
    const next = new Map<string, FirmLossLimit[]>();
    for (const s of table.scopes()) {
      const text = s.values.lossLimit;
      if (s.scope.level !== 'firm' || text === undefined) continue;
      const list: FirmLossLimit[] = [];
      for (const [quote, scale] of this.quoteScales) list.push({ quote, scale, limit: parseBigDecimal(truncateDecimals(text, scale), scale) ?? 0n });
      next.set(s.scope.firm, list);
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

  firmsWithLimits(): string[] {
    return [...this.limits.keys()];
  }

  /** The breach text when the firm is beyond its loss limit in some quote asset; null otherwise. */
  breach(firm: string): string | null {
    const limits = this.limits.get(firm);
    if (limits === undefined) return null;
    for (let i = 0; i < limits.length; i++) {
      const l = limits[i]!;
      const bases = this.books.firmBasesValuedIn(firm, l.quote);
      let pnl = 0n;
      for (let b = 0; b < bases.length; b++) {
        const p = bases[b]!;
        pnl += p.realised;
        const m = this.marks.get(p.asset);
        if (m !== undefined && p.net !== 0n) pnl += p.net * m.price * m.unitToQuote - p.cost;
      }
      if (pnl < -l.limit) {
        return `loss limit breached: P&L ${formatBigDecimal(pnl, l.scale)} < -${formatBigDecimal(l.limit, l.scale)} ${l.quote} ` +
          `(realised + unrealised at last price; firm ${firm})`;
      }
    }
    return null;
  }
}
