// The reference uncross (src/venue/auction/uncross.ts): worked examples of each step of the price rule, and
// properties against a brute force that evaluates every price on the tick grid one by one.

import { expect } from 'chai';
import fc from 'fast-check';
import { auctionPrice, uncross, type AuctionOrder, type UncrossResult } from '../../src/venue/auction/uncross.js';

let stamp = 0;
function o(price: number, qty: number): AuctionOrder {
  return { price, qty, priority: ++stamp };
}

// ------------------------------------------------------------------ brute force

function buyAt(bids: readonly AuctionOrder[], p: number): number {
  let sum = 0;
  for (const b of bids) if (b.price === 0 || b.price >= p) sum += b.qty;
  return sum;
}

function sellAt(asks: readonly AuctionOrder[], p: number): number {
  let sum = 0;
  for (const a of asks) if (a.price === 0 || a.price <= p) sum += a.qty;
  return sum;
}

/** The rule applied literally, price by price over the grid between the lowest and highest limit. */
function bruteForce(bids: readonly AuctionOrder[], asks: readonly AuctionOrder[], ref: number, tick: number): { price: number; volume: number; imbalance: number } {
  const limits = [...bids, ...asks].filter((x) => x.price > 0).map((x) => x.price);
  if (limits.length === 0) {
    const volume = Math.min(buyAt(bids, 0), sellAt(asks, 0));
    return volume > 0 && ref > 0 ? { price: ref, volume, imbalance: buyAt(bids, 0) - sellAt(asks, 0) } : { price: 0, volume: 0, imbalance: buyAt(bids, 0) - sellAt(asks, 0) };
  }
  const rows: Array<{ p: number; v: number; d: number }> = [];
  for (let p = Math.min(...limits); p <= Math.max(...limits); p += tick) {
    const b = buyAt(bids, p);
    const s = sellAt(asks, p);
    rows.push({ p, v: Math.min(b, s), d: b - s });
  }
  const maxV = Math.max(...rows.map((r) => r.v));
  if (maxV === 0) return { price: 0, volume: 0, imbalance: 0 };
  const byVolume = rows.filter((r) => r.v === maxV);
  const minSurplus = Math.min(...byVolume.map((r) => Math.abs(r.d)));
  const left = byVolume.filter((r) => Math.abs(r.d) === minSurplus);
  let chosen: { p: number; v: number; d: number };
  if (left.every((r) => r.d > 0)) chosen = left[left.length - 1]!;
  else if (left.every((r) => r.d < 0)) chosen = left[0]!;
  else if (ref <= 0) chosen = left[0]!;
  else {
    // Nearest the reference price (on the grid, snapped down).
    const target = ref - (ref % tick);
    chosen = left.reduce((best, r) => (Math.abs(r.p - target) < Math.abs(best.p - target) ? r : best));
  }
  return { price: chosen.p, volume: chosen.v, imbalance: chosen.d };
}

// ------------------------------------------------------------------ checks on the fills

function checkFills(bids: readonly AuctionOrder[], asks: readonly AuctionOrder[], r: UncrossResult): void {
  const buyFilled = new Array<number>(bids.length).fill(0);
  const sellFilled = new Array<number>(asks.length).fill(0);
  let total = 0;
  for (const f of r.fills) {
    expect(f.qty).to.be.greaterThan(0);
    buyFilled[f.bid]! += f.qty;
    sellFilled[f.ask]! += f.qty;
    total += f.qty;
  }
  expect(total).to.equal(r.volume);
  checkSide(bids, buyFilled, r.price, true);
  checkSide(asks, sellFilled, r.price, false);
}

/** No order over-filled or beyond its limit; an order with anything unfilled has nobody behind it filled. */
function checkSide(orders: readonly AuctionOrder[], filled: number[], price: number, buy: boolean): void {
  const better = (x: AuctionOrder, y: AuctionOrder): boolean => {
    if ((x.price === 0) !== (y.price === 0)) return x.price === 0;
    if (x.price !== y.price) return buy ? x.price > y.price : x.price < y.price;
    return x.priority < y.priority;
  };
  orders.forEach((x, i) => {
    expect(filled[i]).to.be.at.most(x.qty);
    if (filled[i]! > 0 && x.price > 0) expect(buy ? x.price >= price : x.price <= price).to.equal(true);
    if (filled[i]! < x.qty) {
      orders.forEach((y, j) => {
        if (better(x, y)) expect(filled[j], `order ${j} behind unfilled order ${i} traded`).to.equal(0);
      });
    }
  });
}

// ------------------------------------------------------------------ worked examples

describe('reference uncross', () => {
  it('step 1: the price with the largest executable volume', () => {
    // B: 10@103, 10@101.  S: 5@100, 10@102.  At 101: B 20, S 5; at 102: B 10, S 15 -> 10 at 102.
    const bids = [o(103, 10), o(101, 10)];
    const asks = [o(100, 5), o(102, 10)];
    const r = uncross(bids, asks, 0, 1);
    expect(r).to.include({ price: 102, volume: 10, imbalance: -5 });
    expect(r.fills).to.deep.equal([{ bid: 0, ask: 0, qty: 5 }, { bid: 0, ask: 1, qty: 5 }]);
  });

  it('step 2: the same volume, the smaller surplus', () => {
    // At 100 and 101 the volume is 10; the surplus is 10 at 100 (B 20, S 10) and 5 at 101 (B 15, S 10).
    const bids = [o(101, 15), o(100, 5)];
    const asks = [o(99, 10)];
    expect(auctionPrice(bids, asks, 0, 1)).to.deep.equal({ price: 101, volume: 10, imbalance: 5 });
  });

  it('step 3: a buy surplus everywhere takes the highest price, a sell surplus the lowest', () => {
    // B 12@102; S 5@100 -> volume 5 and buy surplus 7 at 100, 101 and 102.
    expect(auctionPrice([o(102, 12)], [o(100, 5)], 101, 1)).to.deep.equal({ price: 102, volume: 5, imbalance: 7 });
    expect(auctionPrice([o(102, 5)], [o(100, 12)], 101, 1)).to.deep.equal({ price: 100, volume: 5, imbalance: -7 });
  });

  it('step 4: no surplus: the reference price inside the range, else the nearest end', () => {
    const bids = (): AuctionOrder[] => [o(105, 10)];
    const asks = (): AuctionOrder[] => [o(100, 10)];
    expect(auctionPrice(bids(), asks(), 103, 1).price).to.equal(103);
    expect(auctionPrice(bids(), asks(), 110, 1).price).to.equal(105);
    expect(auctionPrice(bids(), asks(), 90, 1).price).to.equal(100);
    expect(auctionPrice(bids(), asks(), 0, 1).price, 'no reference price: the lowest').to.equal(100);
    // Off the tick grid (tick 5): snapped down.
    expect(auctionPrice(bids(), asks(), 104, 5).price).to.equal(100);
  });

  it('a price between two limits can beat both on surplus', () => {
    // Market buy 5, market sell 5, a bid 5@100 and an ask 5@102. At 100: B 10, S 5; at 102: B 5, S 10;
    // at 101 B 5 and S 5: the same volume and no surplus, whatever the reference price.
    const bids = [o(0, 5), o(100, 5)];
    const asks = [o(0, 5), o(102, 5)];
    expect(auctionPrice(bids, asks, 150, 1)).to.deep.equal({ price: 101, volume: 5, imbalance: 0 });
    const r = uncross(bids, asks, 150, 1);
    expect(r.fills).to.deep.equal([{ bid: 0, ask: 0, qty: 5 }]);
  });

  it('market orders only: the reference price, or nothing without one', () => {
    expect(auctionPrice([o(0, 7)], [o(0, 4)], 250, 1)).to.deep.equal({ price: 250, volume: 4, imbalance: 3 });
    expect(auctionPrice([o(0, 7)], [o(0, 4)], 0, 1).volume).to.equal(0);
  });

  it('nothing crosses: no price, no fills', () => {
    const r = uncross([o(99, 5)], [o(100, 5)], 100, 1);
    expect(r.volume).to.equal(0);
    expect(r.price).to.equal(0);
    expect(r.fills).to.deep.equal([]);
  });

  it('fills in price-time priority: market first, then price, then time; the marginal order in part', () => {
    const bids = [o(101, 4), o(0, 3), o(102, 2), o(101, 4)];
    const asks = [o(100, 10)];
    const r = uncross(bids, asks, 0, 1);
    // At 100: B 13, S 10 (volume 10); at 101 the same volume and surplus 3; at 102 B 5: 101 (buy surplus, highest).
    expect(r).to.include({ price: 101, volume: 10, imbalance: 3 });
    expect(r.fills).to.deep.equal([
      { bid: 1, ask: 0, qty: 3 }, // market
      { bid: 2, ask: 0, qty: 2 }, // 102
      { bid: 0, ask: 0, qty: 4 }, // 101, earlier
      { bid: 3, ask: 0, qty: 1 }, // 101, later: in part
    ]);
  });

  // ------------------------------------------------------------------ properties

  const tickArb = fc.constantFrom(1, 1, 5);
  const bookArb = tickArb.chain((tick) =>
    fc.record({
      tick: fc.constant(tick),
      ref: fc.oneof(fc.constant(0), fc.integer({ min: 90, max: 110 })),
      bids: fc.array(fc.record({ m: fc.integer({ min: 0, max: 5 }), px: fc.integer({ min: -4, max: 4 }), qty: fc.integer({ min: 1, max: 20 }) }), { maxLength: 12 }),
      asks: fc.array(fc.record({ m: fc.integer({ min: 0, max: 5 }), px: fc.integer({ min: -4, max: 4 }), qty: fc.integer({ min: 1, max: 20 }) }), { maxLength: 12 }),
    }).map(({ tick, ref, bids, asks }) => {
      // One order in six is a market order; limit prices on the grid around 100 (with gaps between them
      // when the tick is 1 and the offsets are spread by 2); priorities shuffled.
      const spread = tick === 1 ? 2 : tick;
      const toOrders = (xs: typeof bids): AuctionOrder[] =>
        xs.map((x, i) => ({ price: x.m === 0 ? 0 : 100 + x.px * spread, qty: x.qty, priority: (i * 7919) % 101 }));
      return { tick, ref, bids: toOrders(bids), asks: toOrders(asks) };
    }),
  );

  it('property: the price, volume and imbalance are those of the brute force over every grid price', () => {
    fc.assert(
      fc.property(bookArb, ({ tick, ref, bids, asks }) => {
        expect(auctionPrice(bids, asks, ref, tick)).to.deep.equal(bruteForce(bids, asks, ref, tick));
      }),
      { numRuns: 2000 },
    );
  });

  it('property: fills add up to the volume, respect limits and price-time priority, and leave nothing crossed', () => {
    fc.assert(
      fc.property(bookArb, ({ tick, ref, bids, asks }) => {
        const r = uncross(bids, asks, ref, tick);
        checkFills(bids, asks, r);
        if (r.volume === 0) return;
        // What is left cannot trade at the auction price: one side's willing quantity is used up.
        const left = (orders: AuctionOrder[], side: 'bid' | 'ask'): number => {
          let sum = 0;
          orders.forEach((x, i) => {
            const eligible = x.price === 0 || (side === 'bid' ? x.price >= r.price : x.price <= r.price);
            if (!eligible) return;
            const filled = r.fills.filter((f) => f[side] === i).reduce((a, f) => a + f.qty, 0);
            sum += x.qty - filled;
          });
          return sum;
        };
        expect(Math.min(left(bids, 'bid'), left(asks, 'ask'))).to.equal(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: no grid price executes more than the auction price does', () => {
    fc.assert(
      fc.property(bookArb, ({ tick, ref, bids, asks }) => {
        // Market orders alone with no reference price give the auction no price to find (it does not uncross,
        // as the brute force agrees); at any grid price they would trade, so the property needs a price source.
        fc.pre(ref > 0 || bids.some((b) => b.price > 0) || asks.some((a) => a.price > 0));
        const r = auctionPrice(bids, asks, ref, tick);
        for (let p = tick; p <= 200; p += tick) expect(Math.min(buyAt(bids, p), sellAt(asks, p))).to.be.at.most(r.volume);
      }),
      { numRuns: 500 },
    );
  });
});
