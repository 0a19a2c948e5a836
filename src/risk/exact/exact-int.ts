// Exact integers that stay doubles while they fit and become BigInt only when they do not. Positions
// accumulate without bound (traded volume, cash balances at seven decimals pass 2^53 soon enough), so
// they must never lose precision; but nearly every value fits in a double, and doing all the arithmetic
// in BigInt costs an allocation per operation on every trade. Each operation here takes the double path
// when both operands are doubles and the result is provably exact, and falls back to BigInt otherwise;
// a BigInt result that fits again is turned back into a double.
//
// Why the double paths are exact: the operands are integers below 2^53 in magnitude; a sum, difference
// or product whose rounded result is within ±(2^53 - 1) is then the exact result (an integer that
// size is representable, and IEEE arithmetic returns the representable result when there is one);
// a - a % b is an exact multiple of b (% is exact on doubles), so dividing it by b is exact too.

export type ExactInt = number | bigint;

const MAX = Number.MAX_SAFE_INTEGER;
const MAX_BIG = BigInt(MAX);
const MIN_BIG = -MAX_BIG;

/** A BigInt as a double when it fits. */
export function exact(v: bigint): ExactInt {
  return v <= MAX_BIG && v >= MIN_BIG ? Number(v) : v;
}

export function toBig(a: ExactInt): bigint {
  return typeof a === 'bigint' ? a : BigInt(a);
}

/** The value as a double for the checks: exact, or ±Infinity beyond the exact range. */
export function toCheckNumber(a: ExactInt): number {
  if (typeof a === 'number') return a;
  return a > 0n ? Infinity : -Infinity;
}

export function xadd(a: ExactInt, b: ExactInt): ExactInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return exact(toBig(a) + toBig(b));
}

export function xsub(a: ExactInt, b: ExactInt): ExactInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return exact(toBig(a) - toBig(b));
}

export function xmul(a: ExactInt, b: ExactInt): ExactInt {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX && r >= -MAX) return r + 0; // + 0 turns -1 × 0 = -0 into 0
  }
  return exact(toBig(a) * toBig(b));
}

/** a / b truncated toward zero (b != 0). */
export function xdiv(a: ExactInt, b: ExactInt): ExactInt {
  if (typeof a === 'number' && typeof b === 'number') return (a - (a % b)) / b + 0;
  return exact(toBig(a) / toBig(b));
}

export function xneg(a: ExactInt): ExactInt {
  return typeof a === 'number' ? 0 - a : exact(-a);
}

export function xabs(a: ExactInt): ExactInt {
  return a < 0 ? xneg(a) : a;
}

/** -1, 0 or 1. */
export function xsign(a: ExactInt): number {
  return a > 0 ? 1 : a < 0 ? -1 : 0;
}
