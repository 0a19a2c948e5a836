// Finds the compiled slot of an (firm, account, symbol) with three map lookups and no allocation; a slot
// is built the first time a combination is seen and recompiled in place when limits change, so the open
// orders holding it stay valid.

import type { RiskBooks } from '../exposure/risk-books.js';
import type { InstrumentRisk } from '../instruments/instrument-risk.js';
import type { LimitTable } from './limit-table.js';
import { RiskSlot } from './risk-slot.js';

export class SlotRegistry {
  private readonly slots = new Map<string, Map<string, Map<string, RiskSlot>>>();

  constructor(
    private readonly instruments: ReadonlyMap<string, InstrumentRisk>,
    private readonly books: RiskBooks,
    private readonly table: LimitTable,
  ) {}

  /** The slot, or null for an unknown symbol (the core rejects those itself). */
  find(firm: string, account: string, symbol: string): RiskSlot | null {
    const slot = this.slots.get(firm)?.get(account)?.get(symbol);
    return slot !== undefined ? slot : this.create(firm, account, symbol);
  }

  /** Recompiles every slot after a limit change (rare; a few hundred slots at most). */
  recompileAll(): void {
    for (const accounts of this.slots.values()) {
      for (const symbols of accounts.values()) for (const slot of symbols.values()) slot.compile(this.table);
    }
  }

  private create(firm: string, account: string, symbol: string): RiskSlot | null {
    const inst = this.instruments.get(symbol);
    if (inst === undefined || typeof firm !== 'string' || typeof account !== 'string') return null;
    const slot = new RiskSlot(firm, account, inst, this.books);
    slot.compile(this.table);
    let accounts = this.slots.get(firm);
    if (accounts === undefined) this.slots.set(firm, (accounts = new Map()));
    let symbols = accounts.get(account);
    if (symbols === undefined) accounts.set(account, (symbols = new Map()));
    symbols.set(symbol, slot);
    return slot;
  }
}
