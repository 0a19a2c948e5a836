// Turns a limit's decimal string into the scaled integer a check compares with. A firm-wide limit such
// as maxOrderQty "0.123456" applies to instruments of different precision; at a coarser scale the extra
// decimals are truncated, which can only make a maximum stricter, never looser.

import { parseDecimal } from '../../venue/model/decimal.js';
import { MAX_EXACT } from '../exact/safe-math.js';

/** The scaled value, truncated to `decimals`; MAX_EXACT+1 (over the range) when it does not fit exactly. */
export function scaleLimit(text: string, decimals: number): number {
  const v = parseDecimal(truncateDecimals(text, decimals), decimals);
  return Number.isNaN(v) ? OVER_RANGE : v;
}

/** Marks a limit value that cannot be held exactly at some scale. */
export const OVER_RANGE = MAX_EXACT + 1;

/** The largest value (as text) that fits exactly at `decimals`, for error messages. */
export function largestExact(decimals: number): string {
  const s = String(MAX_EXACT);
  if (decimals === 0) return s;
  return `${s.slice(0, s.length - decimals)}.${s.slice(s.length - decimals)}`;
}

/** Drops decimals beyond `decimals` ("1.239", 2 -> "1.23"); the caller has validated the syntax. */
export function truncateDecimals(text: string, decimals: number): string {
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  const kept = text.slice(0, Math.min(text.length, dot + 1 + decimals));
  return kept.endsWith('.') ? kept.slice(0, -1) : kept;
}
