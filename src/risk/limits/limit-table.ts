// The limits in force, as set per scope (exact decimal strings, exactly as stored in Redis), and the
// most-specific-wins resolution: for an order of (firm, account, symbol), each limit comes from the
// account × instrument scope if set there, else the account, else the firm.

import { LIMIT_NAMES, type LimitName, type LimitValues } from '../model/limit-names.js';
import { limitScopeId, parseLimitScope, type LimitScope } from '../model/scopes.js';

export const Level = { None: 0, Firm: 1, Account: 2, Instrument: 3 } as const;
export type Level = (typeof Level)[keyof typeof Level];

export interface ResolvedLimit {
  text: string;
  level: Level;
}

export interface ScopeLimits {
  scope: LimitScope;
  id: string;
  values: LimitValues;
}

export class LimitTable {
  private readonly byId = new Map<string, ScopeLimits>();

  /** The values set at a scope id ({} when none). */
  values(id: string): LimitValues {
    return this.byId.get(id)?.values ?? {};
  }

  scopes(): ScopeLimits[] {
    return [...this.byId.values()].map((s) => ({ scope: s.scope, id: s.id, values: { ...s.values } }));
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Sets (text) or clears (undefined) one limit at a scope; returns the previous text or undefined. */
  set(scope: LimitScope, name: LimitName, text: string | undefined): string | undefined {
    const id = limitScopeId(scope);
    let entry = this.byId.get(id);
    const old = entry?.values[name];
    if (text === undefined) {
      if (entry !== undefined) {
        delete entry.values[name];
        if (Object.keys(entry.values).length === 0) this.byId.delete(id);
      }
      return old;
    }
    if (entry === undefined) this.byId.set(id, (entry = { scope, id, values: {} }));
    entry.values[name] = text;
    return old;
  }

  /** Replaces every value at a scope (loading from Redis). */
  replace(id: string, values: LimitValues): void {
    const scope = parseLimitScope(id);
    if (scope === null) throw new Error(`risk: malformed limit scope id ${id}`);
    const clean: LimitValues = {};
    for (const n of LIMIT_NAMES) if (values[n] !== undefined) clean[n] = values[n];
    if (Object.keys(clean).length === 0) this.byId.delete(id);
    else this.byId.set(id, { scope, id, values: clean });
  }

  resolve(firm: string, account: string, symbol: string, name: LimitName): ResolvedLimit | null {
    const inst = this.byId.get(`instrument:${account}:${symbol}`)?.values[name];
    if (inst !== undefined) return { text: inst, level: Level.Instrument };
    const acc = this.byId.get(`account:${account}`)?.values[name];
    if (acc !== undefined) return { text: acc, level: Level.Account };
    const f = this.byId.get(`firm:${firm}`)?.values[name];
    if (f !== undefined) return { text: f, level: Level.Firm };
    return null;
  }
}
