// Exact decimal strings <-> scaled integers. Money never passes through a float: "123.45" at 2 decimals
// is the integer 12345, and it prints back as "123.45". A value with more significant decimals than the
// scale allows is not representable and is refused (the caller rejects the order), never rounded.

/** Largest magnitude we accept, so that price × quantity products stay exact in a double. */
export const MAX_SCALED = 2 ** 53 - 1;

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** 10^decimals as an integer; decimals must be 0..15. */
export function pow10(decimals: number): number {
  const p = POW10[decimals];
  if (p === undefined) throw new RangeError(`unsupported number of decimals: ${decimals}`);
  return p;
}

/**
 * Parses an unsigned or signed decimal string ("100", "100.5", "-0.25", "1.2300") into an integer scaled by
 * 10^decimals. Returns NaN when the text is not a plain decimal number, has more non-zero decimals than
 * the scale, or is too large to be exact.
 */
export function parseDecimal(text: string, decimals: number): number {
  const len = text.length;
  if (len === 0) return NaN;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    i = 1;
  }
  let intPart = 0;
  let digits = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) break;
    if (c < 48 || c > 57) return NaN;
    intPart = intPart * 10 + (c - 48);
    digits++;
  }
  let frac = 0;
  let fracDigits = 0;
  if (i < len) {
    i++; // skip '.'
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return NaN;
      digits++;
      if (fracDigits < decimals) {
        frac = frac * 10 + (c - 48);
        fracDigits++;
      } else if (c !== 48) {
        return NaN; // a non-zero digit beyond the scale: not exact
      }
    }
  }
  if (digits === 0) return NaN;
  const scale = pow10(decimals);
  const value = intPart * scale + frac * pow10(decimals - fracDigits);
  if (!(value <= MAX_SCALED)) return NaN;
  return negative ? -value : value;
}

/**
 * Prints a scaled integer as an exact decimal string with exactly `decimals` places ("123.45", "1.00000").
 * Pass trim=true to drop trailing fractional zeros ("1", "0.5").
 */
export function formatDecimal(value: number, decimals: number, trim = false): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
  const negative = value < 0;
  const abs = negative ? -value : value;
  let out: string;
  if (decimals === 0) {
    out = String(abs);
  } else {
    const scale = pow10(decimals);
    const intPart = Math.floor(abs / scale);
    let frac = String(abs - intPart * scale).padStart(decimals, '0');
    if (trim) {
      let end = frac.length;
      while (end > 0 && frac.charCodeAt(end - 1) === 48) end--;
      frac = frac.slice(0, end);
    }
    out = frac.length > 0 ? `${intPart}.${frac}` : String(intPart);
  }
  return negative ? `-${out}` : out;
}

/** Number of decimal places written in a decimal string ("0.01" -> 2, "1" -> 0, "0.0100" -> 4). */
export function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Divides two non-negative integers and prints the quotient with `decimals` places, rounded half up
 * (used for AvgPx, where the exact value may need more places than exist).
 */
export function formatQuotient(numerator: number, denominator: number, decimals: number): string {
  if (denominator === 0) return formatDecimal(0, decimals);
  const scale = pow10(decimals);
  // numerator × scale may exceed 2^53: do it in BigInt, which is off the hot path (reports only).
  const n = BigInt(numerator) * BigInt(scale);
  const d = BigInt(denominator);
  const q = (n + d / 2n) / d;
  return formatDecimal(Number(q), decimals);
}
