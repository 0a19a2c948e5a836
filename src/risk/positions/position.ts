// A position in one asset: per account (persisted), or a firm's total over its accounts (derived).
//
// Exact state is BigInt: net quantity, signed cost basis (what the open position cost, positive for a
// long, negative for a short, so average cost = cost / net), realised P&L and traded volume, all in the
// asset's units (cost and P&L in the quote asset's units). The checks read double mirrors of it, plus
// the open buy/sell quantity of live orders in the asset.
//
// Trade application (base asset, signed quantity d at price p):
//   same direction (or flat)   cost += d × p
//   reducing by c = min(|d|, |net|)
//                              released = cost × c / |net|   (truncated: the remainder stays in the basis,
//                                                             so realised + basis stay exact)
//                              realised += sign(net) × c × p − released
//   then any quantity left of d opens a position the other way at p (a flip).

import { bigToExact } from '../exact/safe-math.js';

export type AssetRole = 'base' | 'quote';

export class Position {
  readonly firm: string;
  /** '' for a firm total. */
  readonly account: string;
  readonly asset: string;
  readonly role: AssetRole;
  /** Decimals of the asset's quantity. */
  readonly scale: number;
  /** Decimals of cost and P&L (the quote asset's); equals scale for a quote asset. */
  readonly valueScale: number;
  /** Quote asset in which cost and P&L are expressed ('' for a quote asset). */
  readonly valuedIn: string;

  net = 0n;
  cost = 0n;
  realised = 0n;
  volume = 0n;
  /** Event seq of the last trade applied (account positions): replay applies only later trades. */
  lastSeq = 0;

  /** Mirrors for the checks (±Infinity once beyond the exact range). */
  netNum = 0;
  costAbsNum = 0;
  /** Open orders' remaining quantity in this (base) asset, base units. */
  openBuy = 0;
  openSell = 0;

  constructor(firm: string, account: string, asset: string, role: AssetRole, scale: number, valueScale: number, valuedIn: string) {
    this.firm = firm;
    this.account = account;
    this.asset = asset;
    this.role = role;
    this.scale = scale;
    this.valueScale = valueScale;
    this.valuedIn = valuedIn;
  }

  /** Refreshes the double mirrors from the exact state. */
  syncMirrors(): void {
    this.netNum = bigToExact(this.net);
    this.costAbsNum = bigToExact(this.cost < 0n ? -this.cost : this.cost);
  }
}

/** What a fill changed, so firm totals can follow an account position. */
export interface FillDelta {
  cost: bigint;
  realised: bigint;
}

/**
 * Applies a fill of signed base quantity d at price p (unitToQuote converts base units × price into quote
 * units) to a base position. Fills `out` with the changes to cost and realised P&L.
 */
export function applyBaseFill(pos: Position, d: bigint, p: bigint, unitToQuote: bigint, out: FillDelta): void {
  const costBefore = pos.cost;
  const realisedBefore = pos.realised;
  const net = pos.net;
  if (net === 0n || (net > 0n) === (d > 0n)) {
    pos.cost += d * p * unitToQuote;
    pos.net = net + d;
  } else {
    const absNet = net < 0n ? -net : net;
    const absD = d < 0n ? -d : d;
    const closed = absD < absNet ? absD : absNet;
    const released = (pos.cost * closed) / absNet;
    const proceeds = closed * p * unitToQuote;
    pos.realised += (net > 0n ? proceeds : -proceeds) - released;
    pos.cost -= released;
    const left = absD - closed;
    pos.net = net + (d > 0n ? closed : -closed);
    if (left > 0n) {
      const opened = d > 0n ? left : -left;
      pos.cost += opened * p * unitToQuote;
      pos.net += opened;
    }
  }
  pos.volume += d < 0n ? -d : d;
  out.cost = pos.cost - costBefore;
  out.realised = pos.realised - realisedBefore;
}

/** Applies the cash leg of a fill: a buy of the base pays the notional, a sell receives it. */
export function applyQuoteFill(pos: Position, signedNotional: bigint): void {
  pos.net -= signedNotional;
  pos.volume += signedNotional < 0n ? -signedNotional : signedNotional;
}
