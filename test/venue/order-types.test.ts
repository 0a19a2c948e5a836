import { expect } from 'chai';
import { CancelReason, OrderStatus, OrdType, RejectReason, Side, TimeInForce } from '../../src/venue/model/enums.js';
import { Harness, accepted, ofType, only, spec } from './support/harness.js';

const MARKET = { ordType: OrdType.Market, timeInForce: TimeInForce.IOC, price: 0 } as const;

describe('venue core: market orders and the price band', () => {
  it('sweeps the book and cancels the unfilled rest when liquidity runs out', () => {
    const h = new Harness();
    h.sell(100, 3);
    h.sell(105, 3);
    const ev = h.submit({ side: Side.Buy, qty: 10, ...MARKET });
    expect(ofType(ev, 'trade').map((t) => [t.price, t.qty])).to.deep.equal([[100, 3], [105, 3]]);
    const c = only(ev, 'cancelled');
    expect(c.reason).to.equal(CancelReason.MarketNoLiquidity);
    expect(c.order).to.include({ cumQty: 6, leavesQty: 0, status: OrderStatus.Cancelled });
    expect(h.venue.liveOrderCount).to.equal(0);
  });

  it('is accepted then cancelled on an empty book', () => {
    const h = new Harness();
    const ev = h.submit({ side: Side.Sell, qty: 1, ...MARKET });
    expect(ev.map((e) => e.type)).to.deep.equal(['accepted', 'cancelled']);
  });

  it('never trades through the band: the rest is cancelled with reason price-band', () => {
    const h = new Harness({ instruments: [spec({ priceBandPercent: 5, referencePrice: 1000 })] });
    h.sell(1000, 2);
    h.sell(1050, 2); // inside the band around 1000 (950..1050)
    h.sell(960, 1);
    h.buy(960, 1); // last trade 960: the band is now 912..1008
    const ev = h.submit({ side: Side.Buy, qty: 10, ...MARKET });
    expect(ofType(ev, 'trade').map((t) => t.price)).to.deep.equal([1000]);
    expect(only(ev, 'cancelled').reason).to.equal(CancelReason.PriceBand);
    expect(h.levels(Side.Sell)).to.deep.equal([[1050, 2, 1]]);
  });

  it('rejects limit orders outside the band, and moves the band with the last trade', () => {
    const h = new Harness({ instruments: [spec({ priceBandPercent: 10, referencePrice: 1000 })] });
    expect(only(h.buy(1101, 1), 'rejected').reason).to.equal(RejectReason.PriceBand);
    expect(only(h.sell(899, 1), 'rejected').reason).to.equal(RejectReason.PriceBand);
    accepted(h.sell(1100, 1));
    h.buy(1100, 1); // last trade 1100: band is now 990..1210
    expect(h.venue.instrument('ABC')).to.include({ lastPrice: 1100, bandLow: 990, bandHigh: 1210 });
    accepted(h.buy(1210, 1));
    expect(only(h.buy(1211, 1), 'rejected').reason).to.equal(RejectReason.PriceBand);
  });

  it('snaps band edges inward to the tick', () => {
    const h = new Harness({ instruments: [spec({ priceBandPercent: 2.5, referencePrice: 1003, tickSize: 5 })] });
    // 1003 × 1.025 = 1028.075 → 1025; 1003 × 0.975 = 977.925 → 980
    expect(h.venue.instrument('ABC')).to.include({ bandLow: 980, bandHigh: 1025 });
  });
});

describe('venue core: time in force', () => {
  it('IOC trades what it can and cancels the rest', () => {
    const h = new Harness();
    h.sell(100, 3);
    const ev = h.buy(100, 5, { timeInForce: TimeInForce.IOC });
    expect(only(ev, 'trade').qty).to.equal(3);
    expect(only(ev, 'cancelled').reason).to.equal(CancelReason.ImmediateOrCancel);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
  });

  it('FOK fills completely or is cancelled without touching the book', () => {
    const h = new Harness();
    h.sell(100, 3);
    h.sell(101, 3);
    const kill = h.buy(101, 7, { timeInForce: TimeInForce.FOK });
    expect(kill.map((e) => e.type)).to.deep.equal(['accepted', 'cancelled']);
    expect(only(kill, 'cancelled').reason).to.equal(CancelReason.FillOrKill);
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 3, 1], [101, 3, 1]]);
    const fill = h.buy(101, 6, { timeInForce: TimeInForce.FOK });
    expect(ofType(fill, 'trade').reduce((s, t) => s + t.qty, 0)).to.equal(6);
    expect(ofType(fill, 'cancelled')).to.have.length(0);
  });

  it('FOK counts hidden iceberg quantity', () => {
    const h = new Harness();
    h.sell(100, 20, { maxFloor: 2 });
    expect(ofType(h.buy(100, 20, { timeInForce: TimeInForce.FOK }), 'trade').reduce((s, t) => s + t.qty, 0)).to.equal(20);
  });

  it('Day orders expire at end of day; GTC stay', () => {
    const h = new Harness();
    const day = accepted(h.buy(100, 1, { timeInForce: TimeInForce.Day }));
    const gtc = accepted(h.buy(100, 1, { timeInForce: TimeInForce.GTC }));
    const ev = h.apply({ type: 'endOfDay', time: 5_000, tradeDate: '20240102' });
    const x = only(ev, 'expired');
    expect(x.order).to.include({ orderId: day.orderId, status: OrderStatus.Expired, leavesQty: 0 });
    expect(h.venue.liveOrders().map((o) => o.orderId)).to.deep.equal([gtc.orderId]);
  });

  it('GTD orders expire on the first time command at or after their expire time, in order-id order', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 1, { timeInForce: TimeInForce.GTD, expireTime: 9_000 }));
    const b = accepted(h.buy(99, 1, { timeInForce: TimeInForce.GTD, expireTime: 8_000 }));
    const c = accepted(h.buy(98, 1, { timeInForce: TimeInForce.GTD, expireTime: 20_000 }));
    expect(h.apply({ type: 'time', time: 7_999 })).to.deep.equal([]);
    expect(ofType(h.apply({ type: 'time', time: 9_000 }), 'expired').map((e) => e.order.orderId)).to.deep.equal([a.orderId, b.orderId]);
    expect(h.venue.liveOrders().map((o) => o.orderId)).to.deep.equal([c.orderId]);
  });

  it('rejects GTD without a future expire time', () => {
    const h = new Harness();
    expect(only(h.buy(100, 1, { timeInForce: TimeInForce.GTD, expireTime: 0 }), 'rejected').text).to.contain('expire');
    expect(only(h.buy(100, 1, { timeInForce: TimeInForce.GTD, expireTime: 500, time: 600 }), 'rejected').text).to.contain('expire');
  });

  it('a replace can turn GTC into GTD (and the expiry then applies)', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 1));
    h.replace(a, { timeInForce: TimeInForce.GTD, expireTime: 50_000 });
    expect(only(h.apply({ type: 'time', time: 50_000 }), 'expired').order.orderId).to.equal(a.orderId);
  });
});

describe('venue core: post-only and MinQty', () => {
  it('rejects a post-only order that would take liquidity and rests one that would not', () => {
    const h = new Harness();
    h.sell(101, 5);
    const r = only(h.buy(101, 1, { postOnly: true }), 'rejected');
    expect(r.reason).to.equal(RejectReason.WouldTakeLiquidity);
    expect(h.levels(Side.Sell)).to.deep.equal([[101, 5, 1]]);
    accepted(h.buy(100, 1, { postOnly: true }));
  });

  it('rejects a post-only replace that would cross', () => {
    const h = new Harness();
    h.sell(101, 5);
    const a = accepted(h.buy(100, 1, { postOnly: true }));
    expect(only(h.replace(a, { price: 101 }), 'rejected').reason).to.equal(RejectReason.WouldTakeLiquidity);
  });

  it('rejects post-only with IOC or market', () => {
    const h = new Harness();
    expect(only(h.buy(100, 1, { postOnly: true, timeInForce: TimeInForce.IOC }), 'rejected').reason).to.equal(RejectReason.Unsupported);
    expect(only(h.submit({ postOnly: true, ...MARKET }), 'rejected').reason).to.equal(RejectReason.Unsupported);
  });

  it('rejects an order whose MinQty cannot trade on entry; accepts it and rests the rest when it can', () => {
    const h = new Harness();
    h.sell(100, 3);
    const r = only(h.buy(100, 10, { minQty: 4 }), 'rejected');
    expect(r.reason).to.equal(RejectReason.MinQtyNotMet);
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 3, 1]]);
    h.sell(100, 2);
    const ev = h.buy(100, 10, { minQty: 4 });
    expect(ofType(ev, 'trade').reduce((s, t) => s + t.qty, 0)).to.equal(5);
    expect(h.levels(Side.Buy)).to.deep.equal([[100, 5, 1]]);
  });
});
