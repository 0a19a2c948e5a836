import { expect } from 'chai';
import { CancelReason, OrderStatus, RejectReason, Side, TimeInForce } from '../../src/venue/model/enums.js';
import { Harness, accepted, ofType, only } from './support/harness.js';

describe('venue core: cancel and cancel/replace', () => {
  it('cancels a resting order by ClOrdID and by OrderID', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 5));
    const b = accepted(h.buy(100, 7));
    const ev = h.cancel(a);
    const c = only(ev, 'cancelled');
    expect(c.reason).to.equal(CancelReason.UserRequest);
    expect(c.requestId).to.match(/^x/);
    expect(c.order).to.include({ orderId: a.orderId, status: OrderStatus.Cancelled, leavesQty: 0 });
    expect(only(ev, 'bookDelta')).to.include({ price: 100, qty: 7, orderCount: 1 });
    h.cancel(b, { origClOrdId: 'whatever', orderId: b.orderId });
    expect(h.levels(Side.Buy)).to.deep.equal([]);
    expect(only(h.events.slice(-1), 'bookDelta')).to.include({ qty: 0, orderCount: 0 });
  });

  it('rejects a cancel for an unknown or done order, or with the wrong side', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 5));
    const wrongSide = only(h.cancel(a, { side: Side.Sell }), 'rejected');
    expect(wrongSide.reason).to.equal(RejectReason.UnknownOrder);
    expect(wrongSide.command).to.equal('cancel');
    h.sell(100, 5);
    const gone = only(h.cancel(a), 'rejected');
    expect(gone.reason).to.equal(RejectReason.UnknownOrder);
    expect(gone.text).to.contain(a.clOrdId);
    // OrderID of another firm is not found.
    const b = accepted(h.buy(100, 5));
    expect(only(h.cancel(b, { orderId: b.orderId, firm: 'OTHER' }), 'rejected').reason).to.equal(RejectReason.UnknownOrder);
  });

  it('keeps time priority when only the quantity goes down', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 10));
    const b = accepted(h.buy(100, 10));
    const ev = h.replace(a, { qty: 4 });
    const r = only(ev, 'replaced');
    expect(r.keptPriority).to.equal(true);
    expect(r.order).to.include({ qty: 4, leavesQty: 4, origClOrdId: a.clOrdId });
    expect(h.queue(Side.Buy)).to.deep.equal([[a.orderId, b.orderId]]);
    expect(h.levels(Side.Buy)).to.deep.equal([[100, 14, 2]]);
    // The order now answers to the new ClOrdID only.
    expect(h.venue.orderByClOrdId('S1', a.clOrdId)).to.equal(undefined);
    expect(h.venue.orderByClOrdId('S1', r.order.clOrdId)?.orderId).to.equal(a.orderId);
  });

  it('loses time priority on a quantity increase', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 10));
    const b = accepted(h.buy(100, 10));
    expect(only(h.replace(a, { qty: 11 }), 'replaced').keptPriority).to.equal(false);
    expect(h.queue(Side.Buy)).to.deep.equal([[b.orderId, a.orderId]]);
  });

  it('loses time priority on a price change and trades if the new price crosses', () => {
    const h = new Harness();
    const a = accepted(h.buy(99, 10));
    const b = accepted(h.buy(100, 10));
    const s = accepted(h.sell(101, 4));
    h.replace(a, { price: 100 });
    expect(h.queue(Side.Buy)).to.deep.equal([[b.orderId, a.orderId]]);
    const ev = h.replace(h.live(a.orderId), { price: 101 });
    expect(ev.map((e) => e.type)).to.deep.equal(['replaced', 'bookDelta', 'trade', 'bookDelta', 'bookDelta']);
    const t = only(ev, 'trade');
    expect([t.maker.orderId, t.taker.orderId, t.price, t.qty]).to.deep.equal([s.orderId, a.orderId, 101, 4]);
    expect(h.levels(Side.Buy)).to.deep.equal([[101, 6, 1], [100, 10, 1]]);
  });

  it('completes the order when replaced to at or below the filled quantity', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 10));
    h.sell(100, 6);
    const r = only(h.replace(h.live(a.orderId), { qty: 5 }), 'replaced');
    expect(r.order).to.include({ status: OrderStatus.Filled, leavesQty: 0, cumQty: 6, qty: 6 });
    expect(h.venue.order(a.orderId)).to.equal(undefined);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
    const b = accepted(h.buy(100, 10));
    h.sell(100, 3);
    expect(only(h.replace(h.live(b.orderId), { qty: 3 }), 'replaced').order.status).to.equal(OrderStatus.Filled);
  });

  it('keeps filled quantity and adjusts leaves on a partially filled order', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 10));
    h.sell(100, 4);
    const r = only(h.replace(h.live(a.orderId), { qty: 8 }), 'replaced');
    expect(r.order).to.include({ qty: 8, cumQty: 4, leavesQty: 4, status: OrderStatus.PartiallyFilled });
    expect(r.keptPriority).to.equal(true);
  });

  it('rejects a replace with a live ClOrdID, a changed order type or an IOC time in force', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 10, { clOrdId: 'a' }));
    accepted(h.buy(100, 10, { clOrdId: 'b' }));
    expect(only(h.replace(a, { clOrdId: 'b' }), 'rejected').reason).to.equal(RejectReason.DuplicateClOrdId);
    expect(only(h.replace(a, { ordType: 1 }), 'rejected').reason).to.equal(RejectReason.Unsupported);
    expect(only(h.replace(a, { timeInForce: TimeInForce.IOC }), 'rejected').reason).to.equal(RejectReason.Unsupported);
    const bad = only(h.replace(a, { price: 100, qty: 0 }), 'rejected');
    expect(bad.reason).to.equal(RejectReason.InvalidQuantity);
    expect(bad.order?.orderId).to.equal(a.orderId);
    expect(h.live(a.orderId).clOrdId).to.equal('a');
  });

  it('applies a decrease of an iceberg without losing priority and caps the visible slice', () => {
    const h = new Harness();
    const a = accepted(h.sell(100, 100, { maxFloor: 10 }));
    const b = accepted(h.sell(100, 5));
    const r = only(h.replace(a, { qty: 6, maxFloor: 10 }), 'replaced');
    expect(r.keptPriority).to.equal(true);
    expect(h.queue(Side.Sell)).to.deep.equal([[a.orderId, b.orderId]]);
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 11, 2]]);
    expect(ofType(h.buy(100, 11), 'trade').map((t) => t.maker.orderId)).to.deep.equal([a.orderId, b.orderId]);
  });
});
