// Exact decimal arithmetic on BigInt for the places where scaled doubles could overflow or where two
// values with different numbers of decimals meet (filter limits read from exchangeInfo, percent-price
// multipliers). Not for the per-order hot path: filters.ts compiles limits into scaled integers once.

/** A non-negative decimal as units / 10^scale, exactly. */
export interface ExactDecimal {
  readonly units: bigint;
  readonly scale: number;
}

const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses "12.340" into { units: 12340n, scale: 3 }; null when the text is not a plain decimal. */
export function exactDecimal(text: string): ExactDecimal | null {
  const m = PLAIN_DECIMAL.exec(text);
  if (m === null) return null;
  const fraction = m[2] ?? '';
  return { units: BigInt(m[1] + fraction), scale: fraction.length };
}

/** Number of decimals that matter ("0.01000000" -> 2, "10.0" -> 0). */
export function significantDecimals(text: string): number {
  const dot = text.indexOf('.');
  if (dot < 0) return 0;
  let end = text.length;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end--;
  return end - dot - 1;
}

function rescale(d: ExactDecimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

export function compareExact(a: ExactDecimal, b: ExactDecimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function multiplyExact(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** The value at `scale` decimals, rounded down (toward zero). */
export function floorAtScale(d: ExactDecimal, scale: number): bigint {
  if (scale >= d.scale) return rescale(d, scale);
  return d.units / 10n ** BigInt(d.scale - scale);
}

/** The value at `scale` decimals, rounded up. */
export function ceilAtScale(d: ExactDecimal, scale: number): bigint {
  if (scale >= d.scale) return rescale(d, scale);
  const div = 10n ** BigInt(d.scale - scale);
  const q = d.units / div;
  return q * div === d.units ? q : q + 1n;
}

/** Prints units / 10^scale with exactly `decimals` places, rounding down. */
export function formatExact(d: ExactDecimal, decimals: number): string {
  const units = floorAtScale(d, decimals);
  if (decimals === 0) return units.toString();
  const digits = units.toString().padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
