// The reference uncross of a call auction: one price for every order collected in the call, and the fills
// at that price. A pure function over plain arrays, so it can be checked against a brute force and reused by
// the matching core (src/venue/core/auction-call.ts) both for the uncross and for the indicative price.
//
// Price rule, in this order (the Xetra / LSE auction price determination):
//   1. Maximum executable volume: V(p) = min(B(p), S(p)), with B(p) the buy quantity willing to trade at p
//      (market buys and limit buys at p or above) and S(p) the sell quantity (market sells and limit sells at
//      p or below).
//   2. Minimum surplus |B(p) - S(p)| among those.
//   3. Market pressure: when several prices remain and at every one of them the surplus is on the buy side,
//      the highest of them; all on the sell side, the lowest. (The side with the surplus is the one willing
//      to pay more to trade, so the price moves its way.)
//   4. Otherwise (no surplus, or a buy surplus at some and a sell surplus at others) the reference price
//      decides: the reference price itself if it lies inside the remaining range, else the end of the range
//      nearest to it. Without a reference price (0) the lowest is taken, only so that the outcome is
//      deterministic; an instrument that auctions should configure one.
//   With market orders only (no limit price at all) the auction price is the reference price; without one
//   there is no price and nothing trades.
// The prices considered are every price on the tick grid from the lowest to the highest limit price in the
// call, not only the limit prices themselves. Xetra's description names the limits and then admits the
// reference price between them in step 4; evaluating the whole grid gives the same answer in those cases
// and also finds a price between two limits whose surplus is smaller than at either (a market buy, a market
// sell and two limits on the "wrong" sides: see the worked examples in test/venue/uncross.test.ts). Prices
// outside the limits are never chosen, so market orders alone cannot drag the price beyond every limit.
// Between two neighbouring limits B and S are constant, so the grid is handled as limit prices and the gaps
// between them, never price by price.
//
// Fills: market orders first, then by price (best first), then by time priority (smaller first), on each
// side; the executable volume is taken from the top of each queue and the two queues are paired in order.
// The last order taken on a side may fill in part.

/** One order in the call: price 0 for a market order; priority is its time stamp (smaller is earlier). */
export interface AuctionOrder {
  readonly price: number;
  readonly qty: number;
  readonly priority: number;
}

export const SurplusSide = { None: 0, Buy: 1, Sell: 2 } as const;
export type SurplusSide = (typeof SurplusSide)[keyof typeof SurplusSide];

export interface AuctionPrice {
  /** The auction price; 0 when nothing can trade. */
  price: number;
  /** Executable volume at that price. */
  volume: number;
  /** B - S at that price: positive buy surplus, negative sell surplus. */
  imbalance: number;
}

/** A match of the uncross: indexes into the bids and asks given. */
export interface UncrossFill {
  bid: number;
  ask: number;
  qty: number;
}

export interface UncrossResult extends AuctionPrice {
  fills: UncrossFill[];
}

function sortedLimitPrices(bids: readonly AuctionOrder[], asks: readonly AuctionOrder[]): number[] {
  const prices: number[] = [];
  for (const o of bids) if (o.price > 0) prices.push(o.price);
  for (const o of asks) if (o.price > 0) prices.push(o.price);
  prices.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < prices.length; i++) if (n === 0 || prices[i] !== prices[n - 1]) prices[n++] = prices[i]!;
  prices.length = n;
  return prices;
}

/** Buy quantity at each candidate (ascending): market buys plus limit buys priced at or above it. */
function buyVolumes(bids: readonly AuctionOrder[], candidates: readonly number[], market: number): number[] {
  const limits = bids.filter((o) => o.price > 0).sort((a, b) => b.price - a.price);
  const out = new Array<number>(candidates.length);
  let sum = market;
  let j = 0;
  for (let i = candidates.length - 1; i >= 0; i--) {
    while (j < limits.length && limits[j]!.price >= candidates[i]!) sum += limits[j++]!.qty;
    out[i] = sum;
  }
  return out;
}

/** Sell quantity at each candidate (ascending): market sells plus limit sells priced at or below it. */
function sellVolumes(asks: readonly AuctionOrder[], candidates: readonly number[], market: number): number[] {
  const limits = asks.filter((o) => o.price > 0).sort((a, b) => a.price - b.price);
  const out = new Array<number>(candidates.length);
  let sum = market;
  let j = 0;
  for (let i = 0; i < candidates.length; i++) {
    while (j < limits.length && limits[j]!.price <= candidates[i]!) sum += limits[j++]!.qty;
    out[i] = sum;
  }
  return out;
}

function marketQty(orders: readonly AuctionOrder[]): number {
  let sum = 0;
  for (const o of orders) if (o.price === 0) sum += o.qty;
  return sum;
}

/**
 * A stretch of the grid where B and S do not change: a limit price (from = to), or the prices strictly
 * between two neighbouring limits.
 */
interface Segment {
  from: number;
  to: number;
  buy: number;
  sell: number;
}

function segments(candidates: readonly number[], buy: readonly number[], sell: readonly number[], tick: number): Segment[] {
  const out: Segment[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    out.push({ from: c, to: c, buy: buy[i]!, sell: sell[i]! });
    if (i + 1 < candidates.length) {
      // Limits are on the grid. Above c nothing more sells until the next limit; the buyers are those of
      // the next limit up.
      const from = c + tick;
      const to = candidates[i + 1]! - tick;
      if (from <= to) out.push({ from, to, buy: buy[i + 1]!, sell: sell[i]! });
    }
  }
  return out;
}

/** The auction price by the rule above, without the fills (what an indicative price publishes). */
export function auctionPrice(
  bids: readonly AuctionOrder[], asks: readonly AuctionOrder[], referencePrice: number, tickSize: number,
): AuctionPrice {
  const marketBuy = marketQty(bids);
  const marketSell = marketQty(asks);
  const candidates = sortedLimitPrices(bids, asks);
  if (candidates.length === 0) {
    const volume = Math.min(marketBuy, marketSell);
    if (volume === 0 || referencePrice <= 0) return { price: 0, volume: 0, imbalance: marketBuy - marketSell };
    return { price: referencePrice, volume, imbalance: marketBuy - marketSell };
  }
  const segs = segments(candidates, buyVolumes(bids, candidates, marketBuy), sellVolumes(asks, candidates, marketSell), tickSize);
  let best = 0;
  let bestSurplus = Number.POSITIVE_INFINITY;
  for (const g of segs) {
    const v = Math.min(g.buy, g.sell);
    const surplus = Math.abs(g.buy - g.sell);
    if (v > best || (v === best && surplus < bestSurplus)) {
      best = v;
      bestSurplus = surplus;
    }
  }
  if (best === 0) return { price: 0, volume: 0, imbalance: 0 };
  // Steps 1 and 2 leave a contiguous run (volume rises then falls along the grid, B - S only falls).
  let lo = -1;
  let hi = -1;
  let allBuy = true;
  let allSell = true;
  for (let i = 0; i < segs.length; i++) {
    const g = segs[i]!;
    if (Math.min(g.buy, g.sell) !== best || Math.abs(g.buy - g.sell) !== bestSurplus) continue;
    if (lo < 0) lo = i;
    hi = i;
    if (g.buy <= g.sell) allBuy = false;
    if (g.buy >= g.sell) allSell = false;
  }
  const low = segs[lo]!.from;
  const high = segs[hi]!.to;
  let price: number;
  if (allBuy) price = high;
  else if (allSell) price = low;
  else if (referencePrice <= 0) price = low;
  else price = Math.min(high, Math.max(low, referencePrice - (referencePrice % tickSize)));
  let at = lo;
  while (segs[at]!.to < price) at++;
  return { price, volume: best, imbalance: segs[at]!.buy - segs[at]!.sell };
}

/** Indexes of the orders that may trade at price, in execution priority: market first, best price, earliest. */
function queue(orders: readonly AuctionOrder[], price: number, buy: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < orders.length; i++) {
    const p = orders[i]!.price;
    if (p === 0 || (buy ? p >= price : p <= price)) out.push(i);
  }
  return out.sort((a, b) => {
    const x = orders[a]!;
    const y = orders[b]!;
    if ((x.price === 0) !== (y.price === 0)) return x.price === 0 ? -1 : 1;
    if (x.price !== y.price) return buy ? y.price - x.price : x.price - y.price;
    return x.priority - y.priority;
  });
}

/** The uncross: the auction price and the fills at it, in price-time priority. */
export function uncross(
  bids: readonly AuctionOrder[], asks: readonly AuctionOrder[], referencePrice: number, tickSize: number,
): UncrossResult {
  const at = auctionPrice(bids, asks, referencePrice, tickSize);
  const fills: UncrossFill[] = [];
  if (at.volume === 0) return { ...at, fills };
  const buyQueue = queue(bids, at.price, true);
  const sellQueue = queue(asks, at.price, false);
  let remaining = at.volume;
  let b = 0;
  let s = 0;
  let buyLeft = bids[buyQueue[0]!]!.qty;
  let sellLeft = asks[sellQueue[0]!]!.qty;
  while (remaining > 0) {
    const qty = Math.min(buyLeft, sellLeft, remaining);
    fills.push({ bid: buyQueue[b]!, ask: sellQueue[s]!, qty });
    remaining -= qty;
    buyLeft -= qty;
    sellLeft -= qty;
    if (remaining === 0) break;
    if (buyLeft === 0) buyLeft = bids[buyQueue[++b]!]!.qty;
    if (sellLeft === 0) sellLeft = asks[sellQueue[++s]!]!.qty;
  }
  return { ...at, fills };
}
