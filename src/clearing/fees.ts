// Maker/taker fees, per firm with a default (config clearing.fees). A rate is an integer r in units of
// 10^-8 of the notional ("0.0005" → 50,000).
//
// Rounding rule, exactly: for each side of each trade,
//     notional = price × quantity, in units of the quote asset's settlement scale (exact, an integer)
//     fee      = ⌈ notional × r / 10^8 ⌉            (integer division rounded toward +infinity)
// so a charge is rounded up to the next unit and a rebate (negative maker rate) is rounded toward zero:
// the rounding always favours the venue, by less than one unit of the quote asset's scale per side. Fees
// are computed per trade side, never on a batch's netted amounts, so how trades are batched never
// changes a fee. Fees are charged in the quote asset.

import type { FeeRates } from '../config/clearing-section.js';
import { FEE_RATE_DECIMALS } from '../config/clearing-section.js';
import { ceilDiv, pow10n } from './amounts.js';

const RATE_SCALE = pow10n(FEE_RATE_DECIMALS);

export interface FeeConfig {
  default: FeeRates;
  firms: Readonly<Record<string, FeeRates>>;
}

export class FeeSchedule {
  private readonly byFirm = new Map<string, { maker: bigint; taker: bigint }>();
  private readonly dflt: { maker: bigint; taker: bigint };

  constructor(config: FeeConfig) {
    this.dflt = { maker: BigInt(config.default.maker), taker: BigInt(config.default.taker) };
    for (const [firm, r] of Object.entries(config.firms)) this.byFirm.set(firm, { maker: BigInt(r.maker), taker: BigInt(r.taker) });
  }

  /** The fee of one trade side, in quote-asset units (see the rounding rule above). */
  fee(firm: string, role: 'maker' | 'taker', notionalUnits: bigint): bigint {
    const rates = this.byFirm.get(firm) ?? this.dflt;
    const rate = role === 'maker' ? rates.maker : rates.taker;
    return rate === 0n ? 0n : ceilDiv(notionalUnits * rate, RATE_SCALE);
  }
}
