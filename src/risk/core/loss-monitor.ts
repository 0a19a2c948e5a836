// Automatic kill switch on a firm's loss. A firm breaches its lossLimit when, in any quote asset, its
// realised P&L plus the unrealised P&L of its open base positions (valued at the last trade price of
// each base asset; at cost until a price is known) falls below -lossLimit.
//
// Kept exact (BigInt) and incremental: each firm total of a base asset caches its contribution
// (realised + net × last price − cost) and each firm × quote asset the sum of them. A trade in a base
// asset changes the contribution of every firm holding it (their position, or only the price), so each
// holder's term is recomputed (a few multiplications) and the sum adjusted: no scan over all positions.

import { formatBigDecimal, parseBigDecimal } from '../exact/big-decimal.js';
import * as exactInt from '../exact/exact-int.js';
import type { ExactInt } from '../exact/exact-int.js';
import type { RiskBooks } from '../exposure/risk-books.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import type { LimitTable } from '../limits/limit-table.js';
import { truncateDecimals } from '../limits/scale-limit.js';
import type { Position } from '../positions/position.js';

// Hot path: under tsx (tests, benchmarks) an imported binding is read through a getter at every use
// (~10 ns); the module-local copies below are plain reads.
const { exact, toBig, xadd, xmul, xsub } = exactInt;

export class FirmLoss {
  /** Realised + unrealised P&L of the firm in this quote asset, quote units. */
  pnl: ExactInt = 0;
  /** -lossLimit: breached below this. */
  readonly floor: ExactInt;

  constructor(readonly firm: string, readonly quote: string, readonly scale: number, readonly limit: bigint) {
    this.floor = exact(-limit);
  }

  get breached(): boolean {
    return this.pnl < this.floor;
  }

  describe(): string {
    return `loss limit breached: P&L ${formatBigDecimal(toBig(this.pnl), this.scale)} < -${formatBigDecimal(this.limit, this.scale)} ${this.quote} ` +
      `(realised + unrealised at last price; firm ${this.firm})`;
  }
}

/** The total's contribution to its firm's P&L: realised + net × price − cost (at cost without a price). */
function term(total: Position, price: number, unitToQuote: number): ExactInt {
  if (price === 0) return total.realised;
  return xsub(xadd(total.realised, xmul(xmul(total.net, price), unitToQuote)), total.cost);
}

export class LossMonitor {
  /** firm -> quote asset -> state. */
  private states = new Map<string, Map<string, FirmLoss>>();
  private readonly quoteScales = new Map<string, number>();

  constructor(private readonly books: RiskBooks, private readonly instruments: ReadonlyMap<string, InstrumentRisk>) {
    for (const i of instruments.values()) this.quoteScales.set(i.quoteAsset, i.quoteScale);
  }

  get active(): boolean {
    return this.states.size > 0;
  }

  /** Rebuilds every state from the limits and the positions and prices as they are now. */
  compile(table: LimitTable): void {
    const next = new Map<string, Map<string, FirmLoss>>();
    for (const s of table.scopes()) {
      const text = s.values.lossLimit;
      if (s.scope.level !== 'firm' || text === undefined) continue;
      const perQuote = new Map<string, FirmLoss>();
      for (const [quote, scale] of this.quoteScales) {
        perQuote.set(quote, new FirmLoss(s.scope.firm, quote, scale, parseBigDecimal(truncateDecimals(text, scale), scale) ?? 0n));
      }
      next.set(s.scope.firm, perQuote);
    }
    this.states = next;
    const marks = new Map<string, InstrumentRisk>();
    for (const inst of this.instruments.values()) if (inst.lastPrice > 0) marks.set(inst.baseAsset, inst);
    for (const base of new Set([...this.instruments.values()].map((i) => i.baseAsset))) {
      const mark = marks.get(base);
      for (const total of this.books.firmTotalsOf(base)) {
        total.lossState = this.stateOf(total);
        total.lossTerm = term(total, mark ? mark.lastPrice : 0, mark ? mark.unitToQuote : 0);
        if (total.lossState !== null) total.lossState.pnl = xadd(total.lossState.pnl, total.lossTerm);
      }
    }
  }

  /**
   * After a trade in the instrument (positions already updated): revalues every firm holding its base
   * asset at the trade price. Calls onBreach for each firm state beyond its limit.
   */
  onTrade(inst: InstrumentRisk, tradePrice: number, onBreach: (state: FirmLoss) => void): void {
    const holders = this.books.firmTotalsOf(inst.baseAsset);
    const unit = inst.unitToQuote;
    for (let i = 0; i < holders.length; i++) {
      const total = holders[i]!;
      let state = total.lossState;
      if (state === undefined) {
        state = total.lossState = this.stateOf(total);
        total.lossTerm = 0;
      }
      if (state === null) continue;
      const next = term(total, tradePrice, unit);
      state.pnl = xadd(state.pnl, xsub(next, total.lossTerm));
      total.lossTerm = next;
      if (state.pnl < state.floor) onBreach(state);
    }
  }

  /** States beyond their limit now (checked when recovery ends). */
  breaches(): FirmLoss[] {
    const out: FirmLoss[] = [];
    for (const perQuote of this.states.values()) for (const s of perQuote.values()) if (s.breached) out.push(s);
    return out;
  }

  private stateOf(total: Position): FirmLoss | null {
    return this.states.get(total.firm)?.get(total.valuedIn) ?? null;
  }
}
