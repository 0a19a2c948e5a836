// Phases of the trading day in the matching core: calls collect orders without matching and publish an
// indicative price, the book uncrosses at one price when a call ends, closed refuses order entry, and
// auction-only orders (At the Opening / At the Close) live for their auction only.

import { expect } from 'chai';
import fc from 'fast-check';
import { uncross } from '../../src/venue/auction/uncross.js';
import { Venue } from '../../src/venue/core/venue.js';
import type { PhaseCommand } from '../../src/venue/model/commands.js';
import { MarketPhase, OrdType, OrderStatus, RejectReason, Side, StpMode, TimeInForce } from '../../src/venue/model/enums.js';
import type { VenueEvent } from '../../src/venue/model/events.js';
import { accepted, Harness, ofType, only, spec } from './support/harness.js';

function phase(h: Harness, p: MarketPhase, symbol = ''): VenueEvent[] {
  const cmd: PhaseCommand = { type: 'phase', time: ++h.time, phase: p, symbol, tradeDate: '' };
  return h.apply(cmd);
}

function preOpenHarness(overrides: Parameters<typeof spec>[0] = {}): Harness {
  const h = new Harness({ instruments: [spec({ referencePrice: 100, ...overrides })] });
  phase(h, MarketPhase.Closed);
  phase(h, MarketPhase.PreOpen);
  return h;
}

describe('venue phases: the opening call and its uncross', () => {
  it('collects crossing orders without trading, publishes the indicative price, and uncrosses at one price', () => {
    const h = preOpenHarness();
    const b1 = accepted(h.buy(103, 10));
    const e1 = h.sell(100, 4);
    expect(ofType(e1, 'trade')).to.have.length(0);
    expect(only(e1, 'indicative')).to.include({ symbol: 'ABC', price: 103, volume: 4, imbalance: 6 });
    const s2 = accepted(h.sell(102, 10));
    // Both sides rest, crossed, during the call.
    expect(h.levels(Side.Buy)).to.deep.equal([[103, 10, 1]]);
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 4, 1], [102, 10, 1]]);
    expect(h.venue.instrument('ABC')).to.include({ phase: 'preOpen', indicativePrice: 102, indicativeVolume: 10, indicativeImbalance: -4 });

    const open = phase(h, MarketPhase.Continuous);
    const trades = ofType(open, 'trade');
    expect(trades.map((t) => [t.price, t.qty, t.auction])).to.deep.equal([[102, 4, true], [102, 6, true]]);
    expect(trades[1]!.maker.orderId, 'the earlier order is the maker').to.equal(b1.orderId);
    expect(trades[1]!.taker.orderId).to.equal(s2.orderId);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
    expect(h.levels(Side.Sell)).to.deep.equal([[102, 4, 1]]);
    // The indicative is cleared, then the phase changes (instrument, then venue).
    const kinds = open.filter((e) => e.type === 'indicative' || e.type === 'phase').map((e) => [e.type, 'symbol' in e ? e.symbol : '']);
    expect(kinds).to.deep.equal([['indicative', 'ABC'], ['phase', 'ABC'], ['phase', '']]);
    expect(only(open.filter((e) => e.type === 'indicative'), 'indicative')).to.include({ price: 0, volume: 0 });
    expect(h.venue.phase).to.equal('continuous');
    expect(h.venue.instrument('ABC')!.lastPrice).to.equal(102);
    // Continuous trading matches again.
    expect(ofType(h.buy(102, 1), 'trade')).to.have.length(1);
  });

  it('allows cancels and replaces during the call (a replace never trades there)', () => {
    const h = preOpenHarness();
    const b = accepted(h.buy(99, 5));
    h.sell(101, 5);
    const rep = h.replace(h.live(b.orderId), { price: 101 });
    expect(ofType(rep, 'trade')).to.have.length(0);
    expect(only(rep, 'replaced').order.price).to.equal(101);
    expect(only(rep, 'indicative')).to.include({ price: 101, volume: 5, imbalance: 0 });
    const c = h.cancel(h.live(b.orderId));
    expect(only(c, 'cancelled').order.orderId).to.equal(b.orderId);
    expect(only(c, 'indicative')).to.include({ price: 0, volume: 0 });
  });

  it('refuses IOC, FOK and MinQty in a call with the reason', () => {
    const h = preOpenHarness();
    for (const o of [{ timeInForce: TimeInForce.IOC }, { timeInForce: TimeInForce.FOK }, { minQty: 2 }]) {
      const r = only(h.buy(100, 5, o), 'rejected');
      expect(r.reason).to.equal(RejectReason.WrongPhase);
      expect(r.text).to.match(/pre-open call/);
    }
  });

  it('takes market orders in the call and cancels what the uncross leaves of them', () => {
    const h = preOpenHarness();
    const m = accepted(h.buy(0, 12, { ordType: OrdType.Market, timeInForce: TimeInForce.Day }));
    expect(h.venue.queuedOrders('ABC').map((o) => o.orderId)).to.deep.equal([m.orderId]);
    h.sell(101, 5);
    h.sell(104, 5);
    const open = phase(h, MarketPhase.Continuous);
    // B is 12 at every price (the market order); S is 5 from 101 and 10 from 104: 10 at 104.
    expect(ofType(open, 'trade').map((t) => [t.price, t.qty])).to.deep.equal([[104, 5], [104, 5]]);
    const cancelled = only(open, 'cancelled');
    expect(cancelled.order.orderId).to.equal(m.orderId);
    expect(cancelled.reason).to.equal('auction');
    expect(cancelled.order.cumQty).to.equal(10);
    expect(h.venue.queuedOrders('ABC')).to.deep.equal([]);
  });

  it('matches the reference uncross for random calls (price, fills and what is left)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({
          side: fc.constantFrom(Side.Buy, Side.Sell), market: fc.integer({ min: 0, max: 5 }), px: fc.integer({ min: -4, max: 4 }),
          qty: fc.integer({ min: 1, max: 9 }), iceberg: fc.boolean(),
        }), { maxLength: 25 }),
        (orders) => {
          const h = preOpenHarness();
          const bids: Array<{ price: number; qty: number; priority: number; id: number }> = [];
          const asks: typeof bids = [];
          orders.forEach((o, i) => {
            const market = o.market === 0;
            const ev = h.submit({
              side: o.side, ordType: market ? OrdType.Market : OrdType.Limit, price: market ? 0 : 100 + 2 * o.px, qty: o.qty,
              timeInForce: TimeInForce.Day, maxFloor: !market && o.iceberg && o.qty > 2 ? 2 : 0,
            });
            const a = accepted(ev);
            (o.side === Side.Buy ? bids : asks).push({ price: market ? 0 : a.price, qty: o.qty, priority: i, id: a.orderId });
          });
          const expected = uncross(bids, asks, 100, 1);
          const open = phase(h, MarketPhase.Continuous);
          const filled = new Map<number, number>();
          for (const t of ofType(open, 'trade')) {
            expect(t.price).to.equal(expected.price);
            for (const o of [t.maker, t.taker]) filled.set(o.orderId, (filled.get(o.orderId) ?? 0) + t.qty);
          }
          const want = new Map<number, number>();
          for (const f of expected.fills) {
            want.set(bids[f.bid]!.id, (want.get(bids[f.bid]!.id) ?? 0) + f.qty);
            want.set(asks[f.ask]!.id, (want.get(asks[f.ask]!.id) ?? 0) + f.qty);
          }
          expect(filled).to.deep.equal(want);
          // Continuous trading starts from an uncrossed book.
          const bb = h.venue.book('ABC')!;
          if (bb.bids.length > 0 && bb.asks.length > 0) expect(bb.bids[0]!.price).to.be.lessThan(bb.asks[0]!.price);
          expect(h.venue.queuedOrders('ABC')).to.deep.equal([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('triggers stops at the opening price once continuous trading starts', () => {
    const h = preOpenHarness();
    const stop = accepted(h.buy(0, 2, { ordType: OrdType.Stop, stopPx: 101 }));
    expect(h.venue.pendingStops('ABC').map((o) => o.orderId)).to.deep.equal([stop.orderId]);
    h.buy(102, 3);
    h.sell(101, 3);
    h.sell(105, 5);
    const open = phase(h, MarketPhase.Continuous);
    expect(only(open, 'triggered').order.orderId).to.equal(stop.orderId);
    const trades = ofType(open, 'trade');
    expect(trades.map((t) => [t.price, t.qty, t.auction])).to.deep.equal([[101, 3, true], [105, 2, false]]);
  });

  it('defers the uncross of a halted instrument to its resume', () => {
    const h = preOpenHarness();
    h.buy(101, 5);
    h.sell(101, 5);
    h.apply({ type: 'halt', time: ++h.time, symbol: 'ABC', reason: 'news' });
    const open = phase(h, MarketPhase.Continuous);
    expect(ofType(open, 'trade')).to.have.length(0);
    const resume = h.apply({ type: 'resume', time: ++h.time, symbol: 'ABC', reason: '' });
    expect(ofType(resume, 'trade').map((t) => [t.price, t.qty])).to.deep.equal([[101, 5]]);
  });

  it('refuses an unknown phase or symbol', () => {
    const h = new Harness();
    expect(only(h.apply({ type: 'phase', time: 1, phase: 'lunch' as MarketPhase, symbol: '', tradeDate: '' }), 'rejected').reason).to.equal('unsupported');
    expect(only(h.apply({ type: 'phase', time: 1, phase: MarketPhase.Closed, symbol: 'NOPE', tradeDate: '' }), 'rejected').reason).to.equal('unknown-symbol');
    expect(h.venue.phase).to.equal('continuous');
  });
});

describe('venue phases: closed', () => {
  it('refuses new orders and replaces with the reason, and still takes cancels', () => {
    const h = new Harness();
    const b = accepted(h.buy(100, 5));
    phase(h, MarketPhase.Closed);
    const r = only(h.buy(100, 5), 'rejected');
    expect(r.reason).to.equal(RejectReason.InstrumentClosed);
    expect(r.text).to.equal('ABC: the market is closed (orders are accepted from the pre-open)');
    expect(only(h.replace(h.live(b.orderId), { qty: 4 }), 'rejected').reason).to.equal(RejectReason.InstrumentClosed);
    expect(only(h.cancel(h.live(b.orderId)), 'cancelled').order.orderId).to.equal(b.orderId);
  });
});

describe('venue phases: At the Opening and At the Close orders', () => {
  it('At the Opening: only in the pre-open call; what the opening auction leaves expires', () => {
    const h = new Harness({ instruments: [spec({ referencePrice: 100 })] });
    const r = only(h.buy(100, 5, { timeInForce: TimeInForce.AtTheOpening }), 'rejected');
    expect(r.reason).to.equal(RejectReason.WrongPhase);
    expect(r.text).to.match(/At the Opening orders are accepted only in the pre-open call/);
    phase(h, MarketPhase.PreOpen);
    const loo = accepted(h.buy(101, 8, { timeInForce: TimeInForce.AtTheOpening }));
    const moo = accepted(h.sell(0, 3, { ordType: OrdType.Market, timeInForce: TimeInForce.AtTheOpening }));
    expect(only(h.buy(0, 1, { ordType: OrdType.Stop, stopPx: 101, timeInForce: TimeInForce.AtTheOpening }), 'rejected').text)
      .to.equal('At the Opening orders must be market or limit orders');
    const open = phase(h, MarketPhase.Continuous);
    expect(ofType(open, 'trade').map((t) => [t.price, t.qty])).to.deep.equal([[101, 3]]);
    const expired = only(open, 'expired');
    expect(expired.order.orderId).to.equal(loo.orderId);
    expect(expired.order.cumQty).to.equal(3);
    expect(expired.order.status).to.equal(OrderStatus.Expired);
    expect(h.venue.order(moo.orderId)).to.equal(undefined);
    expect(h.venue.liveOrderCount).to.equal(0);
  });

  it('At the Close: held out of continuous trading, uncrossed in the closing auction, the rest expires', () => {
    const h = new Harness({ instruments: [spec({ referencePrice: 100 })] });
    const resting = accepted(h.sell(100, 10, { timeInForce: TimeInForce.Day }));
    const moc = accepted(h.buy(0, 4, { ordType: OrdType.Market, timeInForce: TimeInForce.AtTheClose }));
    const loc = accepted(h.buy(100, 20, { timeInForce: TimeInForce.AtTheClose }));
    // Held: no trade against the resting sell, not in the book.
    expect(h.levels(Side.Buy)).to.deep.equal([]);
    expect(h.venue.queuedOrders('ABC').map((o) => o.orderId)).to.deep.equal([moc.orderId, loc.orderId]);
    const rep = h.replace(h.live(loc.orderId), { qty: 6 });
    expect(only(rep, 'replaced').order.qty).to.equal(6);
    const toClose = phase(h, MarketPhase.PreClose);
    expect(ofType(toClose, 'trade')).to.have.length(0);
    expect(h.levels(Side.Buy)).to.deep.equal([[100, 6, 1]]);
    expect(only(toClose, 'indicative')).to.include({ price: 100, volume: 10, imbalance: 0 });
    const close = phase(h, MarketPhase.Closed);
    expect(ofType(close, 'trade').map((t) => [t.price, t.qty])).to.deep.equal([[100, 4], [100, 6]]);
    expect(h.venue.order(resting.orderId)).to.equal(undefined);
    expect(h.venue.liveOrderCount).to.equal(0);
  });

  it('At the Close orders still held when the day closes without a closing auction expire', () => {
    const h = new Harness();
    const loc = accepted(h.buy(100, 2, { timeInForce: TimeInForce.AtTheClose }));
    const day = accepted(h.buy(99, 2, { timeInForce: TimeInForce.Day }));
    const close = phase(h, MarketPhase.Closed);
    expect(only(close, 'expired').order.orderId).to.equal(loc.orderId);
    const eod = h.apply({ type: 'endOfDay', time: ++h.time, tradeDate: '20261208' });
    expect(only(eod, 'expired').order.orderId).to.equal(day.orderId);
  });

  it('an auction-only order keeps its time in force on a replace', () => {
    const h = new Harness();
    const loc = accepted(h.buy(100, 2, { timeInForce: TimeInForce.AtTheClose }));
    const r = only(h.replace(h.live(loc.orderId), { timeInForce: TimeInForce.Day }), 'rejected');
    expect(r.text).to.match(/time in force cannot change/);
  });
});

describe('venue phases: snapshot', () => {
  it('a snapshot taken in a call restores the call: market queue, held orders, indicative, phase', () => {
    const h = new Harness({ instruments: [spec({ referencePrice: 100 })], stp: { defaultMode: StpMode.None, scope: 'account' } });
    h.buy(100, 2, { timeInForce: TimeInForce.AtTheClose });
    phase(h, MarketPhase.Closed);
    phase(h, MarketPhase.PreOpen);
    h.buy(0, 5, { ordType: OrdType.Market, timeInForce: TimeInForce.Day });
    h.sell(101, 3);
    const copy = Venue.fromState({ instruments: [spec({ referencePrice: 100 })], stp: { defaultMode: StpMode.None, scope: 'account' } }, h.venue.exportState());
    expect(copy.exportState()).to.deep.equal(h.venue.exportState());
    const a: VenueEvent[] = [];
    const b: VenueEvent[] = [];
    copy.subscribe((e) => a.push({ ...e }));
    h.venue.subscribe((e) => b.push({ ...e }));
    const cmd: PhaseCommand = { type: 'phase', time: 99_999, phase: MarketPhase.Continuous, symbol: '', tradeDate: '2026-12-09' };
    copy.apply(cmd);
    h.venue.apply(cmd);
    expect(a.map((e) => [e.type, e.seq])).to.deep.equal(b.map((e) => [e.type, e.seq]));
    expect(ofType(a, 'trade').map((t) => [t.price, t.qty])).to.deep.equal([[101, 3]]);
  });
});
