// The Redis key layout of the risk engine (prefix "risk:" by default, configurable per venue):
//
//   risk:meta                        hash   seededAt, journalId, restoredAt: bookkeeping
//   risk:limits                      set    ids of the scopes that have limits (firm:F, account:A, instrument:A:SYM)
//   risk:limits:<scope id>           hash   limit name -> exact decimal string, e.g. maxOrderQty "100"
//   risk:kill                        hash   firm:F | account:A | session:S -> JSON {reason, by, at}
//   risk:breakers                    hash   symbol -> JSON {trippedAt, resumeAt, reason} of breaker halts
//   risk:positions                   set    keys of the position hashes
//   risk:pos:<account>:<asset>       hash   firm, account, asset, role, scale, valueScale, valuedIn, net, cost,
//                                           avgCost, realisedPnl, volume, lastSeq (event seq of the last trade)
//   risk:audit                       stream at, by, action, scope, name, old, new, reason (capped ~100k entries)
//   risk:control                     pub/sub channel for ops commands (see control/control-messages.ts)

export class RiskKeys {
  constructor(readonly prefix = 'risk:') {}

  get meta(): string {
    return `${this.prefix}meta`;
  }

  get limitsIndex(): string {
    return `${this.prefix}limits`;
  }

  limits(scopeId: string): string {
    return `${this.prefix}limits:${scopeId}`;
  }

  get kill(): string {
    return `${this.prefix}kill`;
  }

  get breakers(): string {
    return `${this.prefix}breakers`;
  }

  get positionsIndex(): string {
    return `${this.prefix}positions`;
  }

  position(account: string, asset: string): string {
    return `${this.prefix}pos:${account}:${asset}`;
  }

  get audit(): string {
    return `${this.prefix}audit`;
  }

  get control(): string {
    return `${this.prefix}control`;
  }
}
