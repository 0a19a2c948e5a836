import { expect } from 'chai';
import { CancelReason, OrderStatus, OrdType, Side, TimeInForce } from '../../src/venue/model/enums.js';
import { Harness, accepted, ofType, only, spec } from './support/harness.js';

const STOP = { ordType: OrdType.Stop, price: 0 } as const;
const STOP_LIMIT = { ordType: OrdType.StopLimit } as const;

describe('venue core: stop and stop-limit orders', () => {
  it('a buy stop waits, then triggers on a trade at its stop price and trades as a market order', () => {
    const h = new Harness();
    h.sell(100, 1);
    h.sell(103, 5);
    const stop = accepted(h.submit({ side: Side.Buy, qty: 3, stopPx: 100, ...STOP }));
    expect(h.venue.pendingStops('ABC').map((o) => o.orderId)).to.deep.equal([stop.orderId]);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
    const ev = h.buy(100, 1, { clOrdId: 'trigger' }); // trade at 100 triggers the stop
    const types = ev.map((e) => e.type);
    expect(types.indexOf('triggered')).to.be.greaterThan(types.indexOf('trade'));
    const trig = only(ev, 'triggered');
    expect(trig.order).to.include({ orderId: stop.orderId, triggered: true });
    const trades = ofType(ev, 'trade');
    expect(trades.map((t) => [t.taker.clOrdId, t.price, t.qty])).to.deep.equal([
      ['trigger', 100, 1],
      [stop.clOrdId, 103, 3],
    ]);
    expect(h.venue.pendingStops('ABC')).to.have.length(0);
  });

  it('a sell stop-limit triggers when a trade prints at or below its stop and rests at its limit', () => {
    const h = new Harness();
    h.buy(95, 2);
    const sl = accepted(h.submit({ side: Side.Sell, qty: 5, stopPx: 96, price: 95, ...STOP_LIMIT }));
    h.buy(97, 1);
    h.sell(97, 1); // trade at 97: not triggered
    expect(h.venue.pendingStops('ABC')).to.have.length(1);
    const ev = h.sell(95, 1); // trade at 95 triggers
    expect(only(ev, 'triggered').order.orderId).to.equal(sl.orderId);
    const slTrades = ofType(ev, 'trade').filter((t) => t.taker.orderId === sl.orderId);
    expect(slTrades.map((t) => [t.price, t.qty])).to.deep.equal([[95, 1]]);
    expect(h.levels(Side.Sell)).to.deep.equal([[95, 4, 1]]);
    expect(h.live(sl.orderId).status).to.equal(OrderStatus.PartiallyFilled);
  });

  it('triggers at once when the last price is already through the stop', () => {
    const h = new Harness();
    h.sell(100, 1);
    h.buy(100, 1);
    h.sell(101, 1);
    const ev = h.submit({ side: Side.Buy, qty: 1, stopPx: 99, ...STOP });
    expect(ev.map((e) => e.type).slice(0, 3)).to.deep.equal(['accepted', 'triggered', 'trade']);
  });

  it('cascades deterministically: triggered stops enter in priority order and can trigger more', () => {
    const h = new Harness();
    // Asks at 101..105, one lot each.
    for (let p = 101; p <= 105; p++) h.sell(p, 1, { account: 'MM' });
    const s1 = accepted(h.submit({ side: Side.Buy, qty: 1, stopPx: 102, account: 'X1', ...STOP })); // triggers on 102
    const s2 = accepted(h.submit({ side: Side.Buy, qty: 1, stopPx: 101, account: 'X2', ...STOP })); // triggers on 101
    const s3 = accepted(h.submit({ side: Side.Buy, qty: 1, stopPx: 104, account: 'X3', ...STOP })); // needs 104
    const ev = h.buy(101, 1, { account: 'T' }); // trade at 101 triggers s2 only
    const order = ofType(ev, 'triggered').map((e) => e.order.orderId);
    // s2 buys at 102 (triggering s1), s1 buys at 103, then nothing prints at 104: s3 stays.
    expect(order).to.deep.equal([s2.orderId, s1.orderId]);
    expect(ofType(ev, 'trade').map((t) => [t.taker.orderId, t.price])).to.deep.equal([
      [ofType(ev, 'trade')[0]!.taker.orderId, 101],
      [s2.orderId, 102],
      [s1.orderId, 103],
    ]);
    expect(h.venue.pendingStops('ABC').map((o) => o.orderId)).to.deep.equal([s3.orderId]);
    // One trade touching several stops enters them by priority (acceptance order), not by stop price.
    const h2 = new Harness();
    for (let p = 101; p <= 103; p++) h2.sell(p, 1, { account: 'MM' });
    const a = accepted(h2.submit({ side: Side.Buy, qty: 1, stopPx: 101, account: 'X1', ...STOP }));
    const b = accepted(h2.submit({ side: Side.Buy, qty: 1, stopPx: 100, account: 'X2', ...STOP }));
    h2.sell(100, 1, { account: 'MM' });
    const ev2 = h2.buy(101, 2, { account: 'T' }); // prints 100 and 101
    expect(ofType(ev2, 'triggered').map((e) => e.order.orderId)).to.deep.equal([a.orderId, b.orderId]);
  });

  it('a triggered stop-limit outside the band is cancelled with reason price-band', () => {
    const h = new Harness({ instruments: [spec({ priceBandPercent: 10, referencePrice: 100 })] });
    h.buy(95, 1);
    const sl = accepted(h.submit({ side: Side.Buy, qty: 1, stopPx: 100, price: 108, ...STOP_LIMIT }));
    h.sell(100, 5);
    const ev1 = h.buy(100, 1); // last 100, band 90..110: the limit 108 is inside, so it trades
    expect(only(ev1, 'triggered').order.orderId).to.equal(sl.orderId);
    expect(ofType(ev1, 'trade').map((t) => t.taker.orderId)).to.include(sl.orderId);
    const h2 = new Harness({ instruments: [spec({ priceBandPercent: 5, referencePrice: 100 })] });
    const sl2 = accepted(h2.submit({ side: Side.Sell, qty: 1, stopPx: 99, price: 104, ...STOP_LIMIT }));
    h2.buy(99, 1);
    const ev = h2.sell(99, 1); // last 99: band 95..103, limit 104 is outside
    const c = ofType(ev, 'cancelled').find((e) => e.order.orderId === sl2.orderId)!;
    expect(c.reason).to.equal(CancelReason.PriceBand);
  });

  it('a pending stop can be cancelled and replaced', () => {
    const h = new Harness();
    const s = accepted(h.submit({ side: Side.Sell, qty: 2, stopPx: 90, price: 89, ...STOP_LIMIT }));
    const r = only(h.replace(s, { stopPx: 91, price: 90, qty: 3 }), 'replaced');
    expect(r.order).to.include({ stopPx: 91, price: 90, qty: 3, leavesQty: 3 });
    expect(h.venue.pendingStops('ABC')[0]!.stopPx).to.equal(91);
    only(h.cancel(h.live(s.orderId)), 'cancelled');
    expect(h.venue.pendingStops('ABC')).to.have.length(0);
  });
});

describe('venue core: iceberg orders', () => {
  it('shows only MaxFloor and refreshes to the back of the level', () => {
    const h = new Harness();
    const ice = accepted(h.sell(100, 10, { maxFloor: 3 }));
    const other = accepted(h.sell(100, 2));
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 5, 2]]);
    // Takes the 3-lot slice, then `other`'s 2, then the refreshed slice.
    const ev = h.buy(100, 7);
    expect(ofType(ev, 'trade').map((t) => [t.maker.orderId, t.qty])).to.deep.equal([
      [ice.orderId, 3],
      [other.orderId, 2],
      [ice.orderId, 2],
    ]);
    const re = ofType(ev, 'restated');
    expect(re).to.have.length(1);
    expect(re[0]!.reason).to.equal('iceberg-refresh');
    expect(re[0]!.order).to.include({ visibleQty: 3, leavesQty: 7 });
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 1, 1]]);
    expect(h.live(ice.orderId)).to.include({ leavesQty: 5, visibleQty: 1 });
  });

  it('a later order at the level trades before the iceberg hidden quantity', () => {
    const h = new Harness();
    const ice = accepted(h.sell(100, 10, { maxFloor: 2 }));
    h.buy(100, 2); // consumes the slice; refresh goes to the back
    const late = accepted(h.sell(100, 4));
    const ev = h.buy(100, 5);
    expect(ofType(ev, 'trade').map((t) => [t.maker.orderId, t.qty])).to.deep.equal([
      [ice.orderId, 2],
      [late.orderId, 3],
    ]);
    expect(h.queue(Side.Sell)).to.deep.equal([[late.orderId, ice.orderId]]);
  });

  it('an incoming order alone against an iceberg takes its hidden quantity slice by slice', () => {
    const h = new Harness();
    const ice = accepted(h.sell(100, 7, { maxFloor: 3 }));
    const ev = h.buy(100, 7);
    expect(ofType(ev, 'trade').map((t) => t.qty)).to.deep.equal([3, 3, 1]);
    expect(ofType(ev, 'restated')).to.have.length(2);
    expect(h.venue.order(ice.orderId)).to.equal(undefined);
  });

  it('an aggressing iceberg trades in full and shows only its slice when it rests', () => {
    const h = new Harness();
    h.sell(100, 4);
    h.buy(100, 20, { maxFloor: 5 });
    expect(h.levels(Side.Buy)).to.deep.equal([[100, 5, 1]]);
  });

  it('rejects MaxFloor on IOC and on market orders', () => {
    const h = new Harness();
    expect(only(h.buy(100, 10, { maxFloor: 5, timeInForce: TimeInForce.IOC }), 'rejected').text).to.contain('MaxFloor');
    expect(only(h.buy(0, 10, { maxFloor: 5, ordType: OrdType.Market }), 'rejected').text).to.contain('MaxFloor');
  });
});
