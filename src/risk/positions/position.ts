// A position in one asset: per account (persisted), or a firm's total over its accounts (derived).
//
// Exact state: net quantity, signed cost basis (what the open position cost, positive for a long,
// negative for a short, so average cost = cost / net), realised P&L and traded volume, all in the
// asset's units (cost and P&L in the quote asset's units). Exact integers that stay doubles while they
// fit and become BigInt beyond 2^53 (exact/exact-int.ts). The checks read double mirrors of them, plus
// the open buy/sell quantity of live orders in the asset.
//
// Trade application (base asset, signed quantity d at price p):
//   same direction (or flat)   cost += d × p
//   reducing by c = min(|d|, |net|)
//                              released = cost × c / |net|   (truncated: the remainder stays in the basis,
//                                                             so realised + basis stay exact)
//                              realised += sign(net) × c × p − released
//   then any quantity left of d opens a position the other way at p (a flip).

import * as exactInt from '../exact/exact-int.js';
import type { ExactInt } from '../exact/exact-int.js';
import type { FirmLoss } from '../core/loss-monitor.js';

// Hot path: under tsx (tests, benchmarks) an imported binding is read through a getter at every use
// (~10 ns); the module-local copies below are plain reads.
const { toCheckNumber, xabs, xadd, xdiv, xmul, xneg, xsign, xsub } = exactInt;

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

  net: ExactInt = 0;
  cost: ExactInt = 0;
  realised: ExactInt = 0;
  volume: ExactInt = 0;
  /** Event seq of the last trade applied (account positions): replay applies only later trades. */
  lastSeq = 0;

  /** Mirrors for the checks (±Infinity once beyond the exact range). */
  netNum = 0;
  costAbsNum = 0;
  /** Open orders' remaining quantity in this (base) asset, base units. */
  openBuy = 0;
  openSell = 0;

  /** Firm totals only: the loss-limit state this total counts in (undefined until looked up) and its term. */
  lossState: FirmLoss | null | undefined = undefined;
  lossTerm: ExactInt = 0;

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
    this.netNum = toCheckNumber(this.net);
    this.costAbsNum = toCheckNumber(xabs(this.cost));
  }

  /** True when the position has never seen a trade (or everything in it cancelled out to nothing). */
  get untouched(): boolean {
    return xsign(this.volume) === 0 && xsign(this.net) === 0 && xsign(this.realised) === 0;
  }
}

/** What a fill changed, so firm totals can follow an account position. */
export interface FillDelta {
  cost: ExactInt;
  realised: ExactInt;
}

/**
 * Applies a fill of signed base quantity d at price p (unitToQuote converts base units × price into quote
 * units) to a base position. Fills `out` with the changes to cost and realised P&L.
 */
export function applyBaseFill(pos: Position, d: ExactInt, p: number, unitToQuote: number, out: FillDelta): void {
  const net = pos.net;
  const netSign = xsign(net);
  const dSign = xsign(d);
  if (netSign === 0 || netSign === dSign) {
    const added = xmul(xmul(d, p), unitToQuote);
    pos.cost = xadd(pos.cost, added);
    pos.net = xadd(net, d);
    out.cost = added;
    out.realised = 0;
  } else {
    const absNet = xabs(net);
    const absD = xabs(d);
    const closed = absD < absNet ? absD : absNet;
    const released = xdiv(xmul(pos.cost, closed), absNet);
    const proceeds = xmul(xmul(closed, p), unitToQuote);
    const realised = xsub(netSign > 0 ? proceeds : xneg(proceeds), released);
    pos.realised = xadd(pos.realised, realised);
    let costChange = xneg(released);
    pos.net = xadd(net, dSign > 0 ? closed : xneg(closed));
    const left = xsub(absD, closed);
    if (xsign(left) > 0) {
      const opened = dSign > 0 ? left : xneg(left);
      const added = xmul(xmul(opened, p), unitToQuote);
      costChange = xadd(costChange, added);
      pos.net = xadd(pos.net, opened);
    }
    pos.cost = xadd(pos.cost, costChange);
    out.cost = costChange;
    out.realised = realised;
  }
  pos.volume = xadd(pos.volume, xabs(d));
}

/** Applies the cash leg of a fill: a buy of the base pays the notional, a sell receives it. */
export function applyQuoteFill(pos: Position, signedNotional: ExactInt): void {
  pos.net = xsub(pos.net, signedNotional);
  pos.volume = xadd(pos.volume, xabs(signedNotional));
}
