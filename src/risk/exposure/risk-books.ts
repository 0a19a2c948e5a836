// The registry of every running total, created on first use and kept for the life of the engine, so the
// compiled per-(account, instrument) slots can hold direct references and a check never looks anything
// up by a composite key.

import { CreditTotals, ScopeCounters } from './aggregates.js';
import type { AssetInfo } from '../positions/asset-info.js';
import { Position } from '../positions/position.js';
import { addExact } from '../exact/safe-math.js';
import { xadd } from '../exact/exact-int.js';

type Nested<T> = Map<string, Map<string, T>>;

function nested<T>(map: Nested<T>, a: string, b: string, make: () => T): T {
  let inner = map.get(a);
  if (inner === undefined) {
    inner = new Map();
    map.set(a, inner);
  }
  let v = inner.get(b);
  if (v === undefined) {
    v = make();
    inner.set(b, v);
  }
  return v;
}

export class RiskBooks {
  private readonly firmCounterMap = new Map<string, ScopeCounters>();
  private readonly accountCounterMap = new Map<string, ScopeCounters>();
  private readonly instrumentCounterMap: Nested<ScopeCounters> = new Map();
  private readonly firmCreditMap: Nested<CreditTotals> = new Map();
  private readonly accountCreditMap: Nested<CreditTotals> = new Map();
  /** account -> asset -> position (persisted). */
  private readonly positionMap: Nested<Position> = new Map();
  /** firm -> asset -> firm total (derived from the account positions). */
  private readonly firmTotalMap: Nested<Position> = new Map();
  /** base asset -> firm totals holding it (for loss-limit valuation when its price moves). */
  private readonly holders = new Map<string, Position[]>();

  constructor(private readonly assets: ReadonlyMap<string, AssetInfo>) {}

  firmCounters(firm: string): ScopeCounters {
    let c = this.firmCounterMap.get(firm);
    if (c === undefined) this.firmCounterMap.set(firm, (c = new ScopeCounters()));
    return c;
  }

  accountCounters(account: string): ScopeCounters {
    let c = this.accountCounterMap.get(account);
    if (c === undefined) this.accountCounterMap.set(account, (c = new ScopeCounters()));
    return c;
  }

  instrumentCounters(account: string, symbol: string): ScopeCounters {
    return nested(this.instrumentCounterMap, account, symbol, () => new ScopeCounters());
  }

  firmCredit(firm: string, quote: string): CreditTotals {
    return nested(this.firmCreditMap, firm, quote, () => new CreditTotals());
  }

  accountCredit(account: string, quote: string): CreditTotals {
    return nested(this.accountCreditMap, account, quote, () => new CreditTotals());
  }

  assetInfo(asset: string): AssetInfo | undefined {
    return this.assets.get(asset);
  }

  /** The account's position in an asset (created flat). The asset must be configured. */
  position(firm: string, account: string, asset: string): Position {
    return nested(this.positionMap, account, asset, () => this.newPosition(firm, account, asset));
  }

  /** The firm's total in an asset. */
  firmTotal(firm: string, asset: string): Position {
    return nested(this.firmTotalMap, firm, asset, () => {
      const p = this.newPosition(firm, '', asset);
      if (p.role === 'base') {
        let list = this.holders.get(asset);
        if (list === undefined) this.holders.set(asset, (list = []));
        list.push(p);
      }
      return p;
    });
  }

  /** Firm totals of a base asset, one per firm that ever held it. */
  firmTotalsOf(base: string): readonly Position[] {
    return this.holders.get(base) ?? [];
  }

  *positions(): Iterable<Position> {
    for (const inner of this.positionMap.values()) yield* inner.values();
  }

  /** Installs a position loaded from Redis (before any trade is applied) and adds it to its firm's totals. */
  restorePosition(p: Position): void {
    nested(this.positionMap, p.account, p.asset, () => p);
    const total = this.firmTotal(p.firm, p.asset);
    total.net = xadd(total.net, p.net);
    total.cost = xadd(total.cost, p.cost);
    total.realised = xadd(total.realised, p.realised);
    total.volume = xadd(total.volume, p.volume);
    total.syncMirrors();
    p.syncMirrors();
    if (p.role === 'base') {
      const account = this.accountCredit(p.account, p.valuedIn);
      account.filled = addExact(account.filled, p.costAbsNum);
      const firm = this.firmCredit(p.firm, p.valuedIn);
      firm.filled = addExact(firm.filled, p.costAbsNum);
    }
  }

  private newPosition(firm: string, account: string, asset: string): Position {
    const info = this.assets.get(asset);
    if (info === undefined) throw new Error(`risk: no instrument trades asset ${asset}`);
    return new Position(firm, account, asset, info.role, info.scale, info.valueScale, info.valuedIn);
  }
}
