// Percentages (price bands, circuit-breaker moves) as exact scaled integers: "2.5" percent is 25_000 in
// units of 1/10_000 percent. Comparing |a - b| / b against a percentage then needs no division and no
// float: |a - b| × 1_000_000 > pct × b, in doubles when both sides are exact and in BigInt otherwise.

import { parseDecimal } from '../../venue/model/decimal.js';
import { MAX_EXACT } from './safe-math.js';

export const PERCENT_DECIMALS = 4;
const PERCENT_UNIT = 1_000_000; // 100 (percent) × 10^PERCENT_DECIMALS

/** "2.5" -> 25000; NaN when not a decimal with at most 4 places, or outside 0..max percent. */
export function parsePercent(text: string, maxPercent = 100): number {
  const v = parseDecimal(text, PERCENT_DECIMALS);
  if (Number.isNaN(v) || v < 0 || v > maxPercent * 10 ** PERCENT_DECIMALS) return NaN;
  return v;
}

/** True when distance / base is more than pct (scaled as above). distance >= 0, base > 0. */
export function exceedsPercent(distance: number, base: number, pct: number): boolean {
  const lhs = distance * PERCENT_UNIT;
  const rhs = pct * base;
  if (lhs <= MAX_EXACT && rhs <= MAX_EXACT) return lhs > rhs;
  return BigInt(distance) * BigInt(PERCENT_UNIT) > BigInt(pct) * BigInt(base);
}

/** The percentage distance / base as text with two decimals, for messages only. */
export function describePercent(distance: number, base: number): string {
  return ((distance * 100) / base).toFixed(2);
}
