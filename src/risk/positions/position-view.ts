// Positions as the admin API and the dashboard show them: exact decimal strings.

import { formatBigDecimal, formatBigQuotient } from '../exact/big-decimal.js';
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
    net: formatBigDecimal(p.net, p.scale),
    avgCost: p.role === 'base' && p.net !== 0n ? formatBigQuotient(p.cost, p.net, priceScale) : '0',
    cost: formatBigDecimal(p.cost, p.valueScale),
    realisedPnl: formatBigDecimal(p.realised, p.valueScale),
    volume: formatBigDecimal(p.volume, p.scale),
    valuedIn: p.valuedIn,
    lastSeq: p.lastSeq,
  };
}
