// Price band: orders may not trade or rest more than a percentage away from the reference price (the last
// trade, or the configured reference before the first trade). The edges are rounded inward to the tick,
// so a price on the edge is allowed and nothing outside it ever is. Computed once per reference change.

const PPM = 1_000_000; // the percentage is applied in parts per million, so 2.5% is exact

/** floor(a × b / c) for non-negative integers, exact even when a × b exceeds 2^53. */
export function mulDivFloor(a: number, b: number, c: number): number {
  const product = a * b;
  if (product <= Number.MAX_SAFE_INTEGER) {
    let q = Math.floor(product / c);
    if (q * c > product) q--;
    else if ((q + 1) * c <= product) q++;
    return q;
  }
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

export interface BandEdges {
  low: number;
  high: number;
}

/**
 * The band around `reference` for `percent`, snapped inward to multiples of `tick`. With no band
 * (percent 0) or no reference price, the edges are 0 and +Infinity.
 */
export function computeBand(reference: number, percent: number, tick: number, out: BandEdges): void {
  if (percent <= 0 || reference <= 0) {
    out.low = 0;
    out.high = Number.POSITIVE_INFINITY;
    return;
  }
  const ppm = Math.round(percent * 10_000);
  const rawHigh = mulDivFloor(reference, PPM + ppm, PPM);
  // ceil(ref × (1 - p)) = -floor(-…): computed as floor then bumped when not exact.
  const lowNumerator = PPM - ppm;
  let rawLow = lowNumerator <= 0 ? 0 : mulDivFloor(reference, lowNumerator, PPM);
  if (lowNumerator > 0 && rawLow * PPM < reference * lowNumerator) rawLow++;
  out.high = Math.floor(rawHigh / tick) * tick;
  out.low = Math.ceil(rawLow / tick) * tick;
}
