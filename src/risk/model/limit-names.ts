// The risk limits and how their values are written. Every value is an exact decimal string, in config, in
// Redis and through the API (a JSON number would already have been through a float). What a value means
// depends on its unit:
//   qty       base-asset quantity of one order            (scaled per instrument, extra decimals truncated)
//   position  base-asset quantity held, long or short     (scaled per base asset)
//   notional  quote-asset amount                          (scaled per quote asset)
//   percent   percent, at most 4 decimals, 0..100
//   count     a whole number

import { decimalsOf, parseDecimal } from '../../venue/model/decimal.js';
import { parsePercent } from '../exact/percent.js';

export const LIMIT_NAMES = [
  'maxOrderQty',
  'maxOrderNotional',
  'priceBandPercent',
  'maxOpenOrders',
  'maxLongPosition',
  'maxShortPosition',
  'creditLimit',
  'maxOrdersPerSecond',
  'lossLimit',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

export type LimitUnit = 'qty' | 'position' | 'notional' | 'percent' | 'count';

export const LIMIT_UNITS: Readonly<Record<LimitName, LimitUnit>> = {
  maxOrderQty: 'qty',
  maxOrderNotional: 'notional',
  priceBandPercent: 'percent',
  maxOpenOrders: 'count',
  maxLongPosition: 'position',
  maxShortPosition: 'position',
  creditLimit: 'notional',
  maxOrdersPerSecond: 'count',
  lossLimit: 'notional',
};

/** Words used in reject texts and audit lines. */
export const LIMIT_LABELS: Readonly<Record<LimitName, string>> = {
  maxOrderQty: 'max order qty',
  maxOrderNotional: 'max order notional',
  priceBandPercent: 'price band',
  maxOpenOrders: 'max open orders',
  maxLongPosition: 'max long position',
  maxShortPosition: 'max short position',
  creditLimit: 'credit limit',
  maxOrdersPerSecond: 'max orders per second',
  lossLimit: 'loss limit',
};

/** Largest count limit (orders per second, open orders): beyond this a limit is meaningless. */
export const MAX_COUNT_LIMIT = 1_000_000_000;

/** A set of limit values at one scope: only the limits set there. */
export type LimitValues = Partial<Record<LimitName, string>>;

export function isLimitName(name: string): name is LimitName {
  return (LIMIT_NAMES as readonly string[]).includes(name);
}

/**
 * Checks the syntax of a limit value. Returns null when fine, else what was expected (for a ConfigError
 * or an API answer). Whether the value fits each instrument's exact range is checked by the risk core,
 * which knows the instruments.
 */
export function limitValueProblem(name: LimitName, text: unknown): string | null {
  if (typeof text !== 'string') return 'a decimal string like "100" (numbers are refused so that no value passes through a float)';
  const unit = LIMIT_UNITS[name];
  if (unit === 'percent') return percentProblem(text, false);
  if (unit === 'count') {
    const v = parseDecimal(text, 0);
    return Number.isNaN(v) || v < 0 || v > MAX_COUNT_LIMIT ? `a whole number from "0" to "${MAX_COUNT_LIMIT}"` : null;
  }
  const places = decimalsOf(text);
  const v = places > 15 ? NaN : parseDecimal(text, places);
  return Number.isNaN(v) || v < 0 ? 'a non-negative decimal string like "1.5" (at most 15 decimals)' : null;
}

/** Checks a percentage ("2.5"): null when fine, else what was expected. aboveZero refuses "0" (a breaker's move). */
export function percentProblem(text: string, aboveZero: boolean): string | null {
  const pct = parsePercent(text);
  if (aboveZero) return Number.isNaN(pct) || pct === 0 ? 'a percentage above "0" and at most "100", with at most 4 decimals' : null;
  return Number.isNaN(pct) ? 'a percentage from "0" to "100" with at most 4 decimals' : null;
}
