// AvgPx(6) from the exact sum of price × quantity over fills. The average of exact prices need not be exact
// at the tick's precision, so it is printed with extra places, rounded half up; when it is exact (the common
// case: every fill at one price) it is printed at the tick's precision without any big-number work.

import { formatDecimal, pow10 } from '../../venue/model/decimal.js';

/** Extra decimal places given to an average price that does not divide exactly. */
export const AVG_PX_EXTRA_DECIMALS = 4;

/**
 * cumNotional is at scale priceDecimals + qtyDecimals, cumQty at qtyDecimals, so cumNotional / cumQty is the
 * average price at priceDecimals.
 */
export function formatAveragePrice(cumNotional: number, cumQty: number, priceDecimals: number): string {
  if (cumQty === 0) return formatDecimal(0, priceDecimals);
  if (cumNotional % cumQty === 0) return formatDecimal(cumNotional / cumQty, priceDecimals);
  // Rare (fills at several prices): round(cumNotional × 10^extra / cumQty) at priceDecimals + extra places.
  const n = BigInt(cumNotional) * BigInt(pow10(AVG_PX_EXTRA_DECIMALS));
  const d = BigInt(cumQty);
  return formatDecimal(Number((n + d / 2n) / d), priceDecimals + AVG_PX_EXTRA_DECIMALS);
}
