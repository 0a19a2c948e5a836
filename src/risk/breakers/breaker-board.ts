// The circuit breakers of every instrument that has one, and the halts they are holding: which symbols
// are halted by a breaker, since when, when they resume. The resume is a wall-clock timer (the halt and
// resume themselves become journaled venue commands through RiskActions).

import type { BreakerSettings, CircuitBreakerSettings } from '../../config/risk-section.js';
import { formatDecimal } from '../../venue/model/decimal.js';
import { describePercent } from '../exact/percent.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import { CircuitBreaker } from './circuit-breaker.js';

export interface BreakerState {
  symbol: string;
  /** Event time of the trade that tripped it, epoch ms. */
  trippedAt: number;
  /** Wall-clock time the halt ends, epoch ms. */
  resumeAt: number;
  reason: string;
}

export class BreakerBoard {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly halts = new Map<string, BreakerState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly instruments: ReadonlyMap<string, InstrumentRisk>,
    settings: CircuitBreakerSettings | undefined,
    private readonly clock: () => number,
  ) {
    for (const inst of instruments.values()) {
      const s = settings?.instruments[inst.symbol] ?? settings?.default ?? null;
      if (s !== null) this.breakers.set(inst.symbol, new CircuitBreaker(inst.symbol, s));
    }
  }

  settingsOf(symbol: string): BreakerSettings | null {
    return this.breakers.get(symbol)?.settings ?? null;
  }

  /** Feeds a trade; returns the new halt when it trips the symbol's breaker. */
  observe(symbol: string, time: number, price: number): BreakerState | null {
    const breaker = this.breakers.get(symbol);
    if (breaker === undefined || this.halts.has(symbol)) return null;
    const trip = breaker.observe(time, price);
    if (trip === null) return null;
    const decimals = this.instruments.get(symbol)!.priceDecimals;
    const s = breaker.settings;
    const state: BreakerState = {
      symbol,
      trippedAt: time,
      resumeAt: this.clock() + breaker.haltMs,
      reason:
        `circuit breaker: ${symbol} moved ${describePercent(Math.abs(trip.to - trip.from), trip.from)}% ` +
        `(${formatDecimal(trip.from, decimals, true)} -> ${formatDecimal(trip.to, decimals, true)}) within ${s.windowSeconds}s, ` +
        `more than ${s.movePercent}%; halted for ${s.haltSeconds}s`,
    };
    this.halts.set(symbol, state);
    return state;
  }

  /** Calls onDue when the halt's time is over (at once if it already is). */
  armResume(state: BreakerState, onDue: () => void): void {
    this.cancelTimer(state.symbol);
    const delay = Math.max(0, state.resumeAt - this.clock());
    this.timers.set(state.symbol, setTimeout(() => {
      this.timers.delete(state.symbol);
      onDue();
    }, delay));
  }

  /** Forgets a halt (the instrument reopened); returns it if there was one. */
  clear(symbol: string): BreakerState | undefined {
    this.cancelTimer(symbol);
    const state = this.halts.get(symbol);
    this.halts.delete(symbol);
    this.breakers.get(symbol)?.reset();
    return state;
  }

  restore(state: BreakerState): void {
    this.halts.set(state.symbol, state);
  }

  get(symbol: string): BreakerState | undefined {
    return this.halts.get(symbol);
  }

  all(): BreakerState[] {
    return [...this.halts.values()];
  }

  dispose(): void {
    for (const symbol of [...this.timers.keys()]) this.cancelTimer(symbol);
  }

  private cancelTimer(symbol: string): void {
    const t = this.timers.get(symbol);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(symbol);
  }
}
