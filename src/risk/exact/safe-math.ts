// Exact integer arithmetic on doubles for the hot path. Every scaled price, quantity and notional is an
// integer; a double holds integers exactly only up to 2^53. Rather than silently lose precision, a sum
// or product that leaves that range becomes ±Infinity and stays there, so any limit compared with it
// refuses (and the refusal text says the value is beyond the exact range).

export const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** a + b, or ±Infinity when the result is not exactly representable (sticky). */
export function addExact(a: number, b: number): number {
  const r = a + b;
  if (r <= MAX_EXACT && r >= -MAX_EXACT) return r;
  return r > 0 || Number.isNaN(r) ? Infinity : -Infinity;
}

/** a × b for non-negative integers, or Infinity when the product is beyond the exact range. */
export function mulExact(a: number, b: number): number {
  const r = a * b;
  return r <= MAX_EXACT ? r : Infinity;
}

export function isPositiveExact(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0;
}
