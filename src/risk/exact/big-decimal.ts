// Exact decimal strings <-> BigInt scaled integers, for positions: volumes and cash balances grow without
// bound and soon pass 2^53 at seven decimals, so positions are kept in BigInt (cheap for small values in
// V8) and only mirrored into doubles for the checks.

/** "-12.5" at scale 3 -> -12500n; null when not a plain decimal or more non-zero decimals than the scale. */
export function parseBigDecimal(text: string, scale: number): bigint | null {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (m === null) return null;
  const frac = m[3] ?? '';
  const kept = frac.slice(0, scale);
  if (/[1-9]/.test(frac.slice(scale))) return null;
  const digits = m[2]! + kept.padEnd(scale, '0');
  const v = BigInt(digits);
  return m[1] === '-' ? -v : v;
}

/** -12500n at scale 3 -> "-12.5" (trailing zeros trimmed unless keepZeros). */
export function formatBigDecimal(value: bigint, scale: number, keepZeros = false): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let text = abs.toString();
  if (scale > 0) {
    text = text.padStart(scale + 1, '0');
    let frac = text.slice(text.length - scale);
    if (!keepZeros) frac = frac.replace(/0+$/, '');
    text = text.slice(0, text.length - scale) + (frac.length > 0 ? `.${frac}` : '');
  }
  return negative ? `-${text}` : text;
}

/**
 * numerator / denominator rounded half away from zero, printed with `scale` places, where the quotient is
 * already in units of 10^-scale (average cost = cost basis / net quantity).
 */
export function formatBigQuotient(numerator: bigint, denominator: bigint, scale: number): string {
  if (denominator === 0n) return formatBigDecimal(0n, scale);
  const negative = (numerator < 0n) !== (denominator < 0n);
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const q = (n * 2n + d) / (d * 2n);
  return formatBigDecimal(negative ? -q : q, scale);
}
