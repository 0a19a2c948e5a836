// Positions as the admin API and the dashboard show them: exact decimal strings.

import { formatBigDecimal, formatBigQuotient } from '../exact/big-decimal.js';
import { toBig, xsign } from '../exact/exact-int.js';
import type { Position } from './position.js';

export interface PositionView {
  firm: string;
  account: string;
  asset: string;
  /** Net quantity, signed (negative = short). */
  net: string;
  /** Average cost of the open position in `valuedIn` ('0' when flat or for a quote asset). */
  avgCost: string;
  /** Cost basis of the open position, signed like net. */
  cost: string;
  realisedPnl: string;
  volume: string;
  valuedIn: string;
  /** Event seq of the last trade applied. */
  lastSeq: number;
}

export function positionView(p: Position): PositionView {
  const priceScale = p.valueScale - p.scale;
  return {
    firm: p.firm,
    account: p.account,
    asset: p.asset,
    net: formatBigDecimal(toBig(p.net), p.scale),
    avgCost: p.role === 'base' && xsign(p.net) !== 0 ? formatBigQuotient(toBig(p.cost), toBig(p.net), priceScale) : '0',
    cost: formatBigDecimal(toBig(p.cost), p.valueScale),
    realisedPnl: formatBigDecimal(toBig(p.realised), p.valueScale),
    volume: formatBigDecimal(toBig(p.volume), p.scale),
    valuedIn: p.valuedIn,
    lastSeq: p.lastSeq,
  };
}
