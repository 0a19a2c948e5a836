import { expect } from 'chai';
import { OrderStatus, RejectReason, Side } from '../../src/venue/model/enums.js';
import { Harness, accepted, ofType, only, spec } from './support/harness.js';

describe('venue core: limit orders and price-time priority', () => {
  it('rests a non-crossing order and reports the level', () => {
    const h = new Harness();
    const ev = h.buy(100, 10);
    expect(ev.map((e) => e.type)).to.deep.equal(['accepted', 'bookDelta']);
    const o = accepted(ev);
    expect(o.orderId).to.equal(1);
    expect(o.status).to.equal(OrderStatus.New);
    expect(only(ev, 'bookDelta')).to.include({ side: Side.Buy, price: 100, qty: 10, orderCount: 1 });
    expect(h.levels(Side.Buy)).to.deep.equal([[100, 10, 1]]);
  });

  it('matches at the resting price, best price first, then time', () => {
    const h = new Harness();
    const a = accepted(h.sell(101, 5));
    const b = accepted(h.sell(100, 5));
    const c = accepted(h.sell(100, 5));
    const ev = h.buy(101, 12);
    const trades = ofType(ev, 'trade');
    expect(trades.map((t) => [t.maker.orderId, t.price, t.qty])).to.deep.equal([
      [b.orderId, 100, 5],
      [c.orderId, 100, 5],
      [a.orderId, 101, 2],
    ]);
    expect(trades.every((t) => t.aggressorSide === Side.Buy)).to.equal(true);
    expect(trades.map((t) => t.matchId)).to.deep.equal([1, 2, 3]);
    const last = trades[2]!;
    expect(last.taker).to.include({ cumQty: 12, leavesQty: 0, status: OrderStatus.Filled, cumNotional: 100 * 10 + 101 * 2 });
    expect(last.maker).to.include({ cumQty: 2, leavesQty: 3, status: OrderStatus.PartiallyFilled });
    expect(h.levels(Side.Sell)).to.deep.equal([[101, 3, 1]]);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
  });

  it('rests the unfilled part of a crossing order at its limit', () => {
    const h = new Harness();
    h.sell(100, 4);
    const ev = h.buy(100, 10);
    expect(ev.map((e) => e.type)).to.deep.equal(['accepted', 'trade', 'bookDelta', 'bookDelta']);
    expect(h.levels(Side.Buy)).to.deep.equal([[100, 6, 1]]);
    expect(h.levels(Side.Sell)).to.deep.equal([]);
  });

  it('numbers events gap-free and stamps the causing command', () => {
    const h = new Harness();
    h.sell(100, 4);
    h.buy(99, 1);
    h.buy(100, 10);
    expect(h.events.map((e) => e.seq)).to.deep.equal(h.events.map((_, i) => i + 1));
    expect(h.events.map((e) => e.commandSeq)).to.deep.equal([1, 1, 2, 2, 3, 3, 3, 3]);
    expect(h.venue.commandSeq).to.equal(3);
  });

  it('rejects off-tick prices and off-lot quantities with a reason, never rounding', () => {
    const h = new Harness({ instruments: [spec({ tickSize: 5, lotSize: 10, minQty: 10 })] });
    const r1 = only(h.buy(102, 10), 'rejected');
    expect(r1.reason).to.equal(RejectReason.InvalidPrice);
    expect(r1.text).to.contain('tick');
    const r2 = only(h.buy(100, 15), 'rejected');
    expect(r2.reason).to.equal(RejectReason.InvalidQuantity);
    expect(r2.text).to.contain('lot');
    expect(h.venue.liveOrderCount).to.equal(0);
    expect(accepted(h.buy(105, 20)).price).to.equal(105);
  });

  it('enforces min/max quantity and min notional', () => {
    const h = new Harness({ instruments: [spec({ minQty: 5, maxQty: 100, minNotional: 1000 })] });
    expect(only(h.buy(100, 4), 'rejected').reason).to.equal(RejectReason.InvalidQuantity);
    expect(only(h.buy(100, 101), 'rejected').reason).to.equal(RejectReason.InvalidQuantity);
    expect(only(h.buy(100, 9), 'rejected').reason).to.equal(RejectReason.MinNotional);
    accepted(h.buy(100, 10));
  });

  it('rejects an unknown symbol and a ClOrdID already live on the session', () => {
    const h = new Harness();
    expect(only(h.buy(100, 1, { symbol: 'NOPE' }), 'rejected').reason).to.equal(RejectReason.UnknownSymbol);
    accepted(h.buy(100, 1, { clOrdId: 'dup' }));
    const dup = only(h.buy(100, 1, { clOrdId: 'dup' }), 'rejected');
    expect(dup.reason).to.equal(RejectReason.DuplicateClOrdId);
    // Another session may use the same ClOrdID.
    accepted(h.buy(100, 1, { clOrdId: 'dup', session: 'S2' }));
  });

  it('finds live orders by session and ClOrdID and by order id, and forgets done ones', () => {
    const h = new Harness();
    const o = accepted(h.buy(100, 5, { clOrdId: 'k1', account: 'ACC' }));
    expect(h.venue.orderByClOrdId('S1', 'k1')?.orderId).to.equal(o.orderId);
    expect(h.venue.order(o.orderId)?.clOrdId).to.equal('k1');
    expect(h.venue.liveOrders({ account: 'ACC' }).map((x) => x.orderId)).to.deep.equal([o.orderId]);
    h.sell(100, 5);
    expect(h.venue.order(o.orderId)).to.equal(undefined);
    expect(h.venue.orderByClOrdId('S1', 'k1')).to.equal(undefined);
    // Once done, the ClOrdID may be used again.
    accepted(h.buy(100, 5, { clOrdId: 'k1' }));
  });

  it('never leaves the book crossed', () => {
    const h = new Harness();
    h.buy(100, 5);
    h.sell(99, 3);
    h.sell(101, 3);
    h.buy(102, 10);
    const b = h.venue.book('ABC')!;
    if (b.bids.length > 0 && b.asks.length > 0) expect(b.bids[0]!.price).to.be.lessThan(b.asks[0]!.price);
    expect(h.levels(Side.Buy)).to.deep.equal([[102, 7, 1], [100, 2, 1]].slice(0, 2));
  });
});
