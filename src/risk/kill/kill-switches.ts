// Kill switches per firm, account or session. While one is on, every new order and replace in its scope
// is refused with a Text naming the switch and why it is on. Three maps (not one keyed by "kind:id") so a
// check looks them up without building a string; `active` lets the common case skip them entirely.

import type { KillScope } from '../model/scopes.js';

export interface KillRecord {
  scope: KillScope;
  reason: string;
  by: string;
  /** Wall-clock ISO time it was switched on. */
  at: string;
}

export class KillSwitches {
  private readonly firms = new Map<string, KillRecord>();
  private readonly accounts = new Map<string, KillRecord>();
  private readonly sessions = new Map<string, KillRecord>();
  active = 0;

  private mapOf(kind: KillScope['kind']): Map<string, KillRecord> {
    return kind === 'firm' ? this.firms : kind === 'account' ? this.accounts : this.sessions;
  }

  get(scope: KillScope): KillRecord | undefined {
    return this.mapOf(scope.kind).get(scope.id);
  }

  firmKilled(firm: string): boolean {
    return this.firms.has(firm);
  }

  /** Switches on; returns false when it was already on (the first reason stays). */
  on(record: KillRecord): boolean {
    const map = this.mapOf(record.scope.kind);
    if (map.has(record.scope.id)) return false;
    map.set(record.scope.id, record);
    this.active++;
    return true;
  }

  /** Switches off; returns the record that was on, or undefined. */
  off(scope: KillScope): KillRecord | undefined {
    const map = this.mapOf(scope.kind);
    const rec = map.get(scope.id);
    if (rec !== undefined) {
      map.delete(scope.id);
      this.active--;
    }
    return rec;
  }

  /** The switch that stops an order of this firm/account/session, most specific first; null when none. */
  match(firm: string, account: string, session: string): KillRecord | null {
    return this.sessions.get(session) ?? this.accounts.get(account) ?? this.firms.get(firm) ?? null;
  }

  all(): KillRecord[] {
    return [...this.firms.values(), ...this.accounts.values(), ...this.sessions.values()];
  }
}
