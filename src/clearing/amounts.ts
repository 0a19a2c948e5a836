// Settlement amounts are integers in units of 10^-decimals of an asset, carried as BigInt: a day's notional
// at 7 or 8 decimals can pass 2^53, and an inexact sum would be a wrong settlement. (Trade prices and
// quantities themselves are safe integers; only products and sums need the extra range.)

const POW10N: bigint[] = Array.from({ length: 40 }, (_, i) => 10n ** BigInt(i));

export function pow10n(decimals: number): bigint {
  const p = POW10N[decimals];
  if (p === undefined) throw new RangeError(`unsupported number of decimals: ${decimals}`);
  return p;
}

/** ⌈n / d⌉ for d > 0: toward +infinity, for negative n too (BigInt division truncates toward zero). */
export function ceilDiv(n: bigint, d: bigint): bigint {
  return n > 0n ? (n + d - 1n) / d : n / d;
}

/** Prints an amount in units as an exact decimal with exactly `decimals` places ("-12.50"). */
export function formatUnits(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  if (decimals === 0) return (negative ? '-' : '') + abs.toString();
  const scale = pow10n(decimals);
  const frac = (abs % scale).toString().padStart(decimals, '0');
  return `${negative ? '-' : ''}${abs / scale}.${frac}`;
}
