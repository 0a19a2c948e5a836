import { expect } from 'chai';
import { CancelReason, OrderStatus, RejectReason, Side, StpMode, TradingStatus } from '../../src/venue/model/enums.js';
import { Harness, accepted, ofType, only, spec } from './support/harness.js';

function stpHarness(mode: StpMode, scope: 'account' | 'firm' = 'account'): Harness {
  return new Harness({ stp: { defaultMode: mode, scope } });
}

describe('venue core: self-trade prevention', () => {
  it('cancel resting: the own resting order is cancelled and matching continues behind it', () => {
    const h = stpHarness(StpMode.CancelResting);
    const own = accepted(h.sell(100, 5, { account: 'A' }));
    const other = accepted(h.sell(100, 5, { account: 'B' }));
    const ev = h.buy(100, 5, { account: 'A' });
    const c = only(ev, 'cancelled');
    expect(c.order.orderId).to.equal(own.orderId);
    expect(c.reason).to.equal(CancelReason.SelfTrade);
    expect(only(ev, 'trade').maker.orderId).to.equal(other.orderId);
  });

  it('cancel aggressing: the incoming order is cancelled, the resting one stays', () => {
    const h = stpHarness(StpMode.CancelAggressing);
    h.sell(99, 2, { account: 'B' });
    const own = accepted(h.sell(100, 5, { account: 'A' }));
    const ev = h.buy(100, 5, { account: 'A' });
    expect(only(ev, 'trade').qty).to.equal(2);
    const c = only(ev, 'cancelled');
    expect(c.reason).to.equal(CancelReason.SelfTrade);
    expect(c.order).to.include({ cumQty: 2, status: OrderStatus.Cancelled });
    expect(h.live(own.orderId).leavesQty).to.equal(5);
    expect(h.levels(Side.Buy)).to.deep.equal([]);
  });

  it('cancel both', () => {
    const h = stpHarness(StpMode.CancelBoth);
    h.sell(100, 5, { account: 'A' });
    const ev = h.buy(100, 3, { account: 'A' });
    expect(ofType(ev, 'cancelled').map((c) => c.reason)).to.deep.equal([CancelReason.SelfTrade, CancelReason.SelfTrade]);
    expect(ofType(ev, 'trade')).to.have.length(0);
    expect(h.venue.liveOrderCount).to.equal(0);
  });

  it('decrement and cancel: the larger is reduced by the smaller, the smaller cancelled', () => {
    const h = stpHarness(StpMode.DecrementAndCancel);
    const big = accepted(h.sell(100, 10, { account: 'A' }));
    const ev = h.buy(100, 4, { account: 'A' });
    const re = only(ev, 'restated');
    expect(re.reason).to.equal('self-trade-decrement');
    expect(re.order).to.include({ orderId: big.orderId, qty: 6, leavesQty: 6, decrementedQty: 4 });
    expect(only(ev, 'cancelled').order).to.include({ side: Side.Buy, status: OrderStatus.Cancelled });
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 6, 1]]);
    // Incoming larger: resting own order cancelled, incoming decremented and goes on trading.
    h.sell(100, 3, { account: 'B' });
    const ev2 = h.buy(100, 8, { account: 'A' });
    expect(ofType(ev2, 'cancelled')[0]!.order.orderId).to.equal(big.orderId);
    const dec = only(ev2, 'restated');
    expect(dec.order).to.include({ side: Side.Buy, qty: 2, leavesQty: 2 });
    expect(only(ev2, 'trade').qty).to.equal(2);
    expect(h.levels(Side.Sell)).to.deep.equal([[100, 1, 1]]);
    // Equal: both cancelled.
    const h3 = stpHarness(StpMode.DecrementAndCancel);
    h3.sell(100, 5, { account: 'C' });
    const ev3 = h3.buy(100, 5, { account: 'C' });
    expect(ofType(ev3, 'cancelled')).to.have.length(2);
    expect(ofType(ev3, 'restated')).to.have.length(0);
    expect(h3.venue.liveOrderCount).to.equal(0);
  });

  it('firm scope prevents trades between accounts of one firm; per-account setStp overrides the default', () => {
    const h = stpHarness(StpMode.CancelAggressing, 'firm');
    h.sell(100, 5, { account: 'A', firm: 'F' });
    expect(only(h.buy(100, 5, { account: 'B', firm: 'F' }), 'cancelled').reason).to.equal(CancelReason.SelfTrade);
    h.apply({ type: 'setStp', time: 1, account: 'B', mode: StpMode.None });
    expect(only(h.buy(100, 5, { account: 'B', firm: 'F' }), 'trade').qty).to.equal(5);
    const bad = only(h.apply({ type: 'setStp', time: 1, account: 'B', mode: 9 as StpMode }), 'rejected');
    expect(bad.command).to.equal('setStp');
  });

  it('STP is honoured by the FOK/MinQty pre-check', () => {
    const h = stpHarness(StpMode.CancelAggressing);
    h.sell(100, 5, { account: 'A' });
    h.sell(100, 5, { account: 'B' });
    expect(only(h.buy(100, 5, { account: 'A', minQty: 1 }), 'rejected').reason).to.equal(RejectReason.MinQtyNotMet);
    const h2 = stpHarness(StpMode.CancelResting);
    h2.sell(100, 5, { account: 'A' });
    h2.sell(100, 5, { account: 'B' });
    expect(ofType(h2.buy(100, 5, { account: 'A', minQty: 5 }), 'trade')).to.have.length(1);
  });
});

describe('venue core: mass cancel', () => {
  function seeded(): Harness {
    const h = new Harness({ instruments: [spec(), spec({ symbol: 'XYZ' })] });
    h.buy(100, 1, { session: 'S1', firm: 'F1', account: 'A1' });
    h.sell(110, 1, { session: 'S1', firm: 'F1', account: 'A2' });
    h.buy(100, 1, { session: 'S2', firm: 'F1', account: 'A1', symbol: 'XYZ' });
    h.buy(100, 1, { session: 'S3', firm: 'F2', account: 'A3' });
    return h;
  }

  const cases: Array<[string, Record<string, unknown>, number[]]> = [
    ['firm', { firm: 'F1' }, [1, 2, 3]],
    ['account', { account: 'A1' }, [1, 3]],
    ['session', { session: 'S1' }, [1, 2]],
    ['instrument', { symbol: 'XYZ' }, [3]],
    ['side', { side: Side.Sell }, [2]],
    ['firm + side', { firm: 'F1', side: Side.Buy }, [1, 3]],
  ];
  for (const [name, filter, expected] of cases) {
    it(`by ${name}`, () => {
      const h = seeded();
      const ev = h.massCancel({ ...filter, reason: 'user' });
      expect(ofType(ev, 'cancelled').map((c) => c.order.orderId)).to.deep.equal(expected);
      expect(ofType(ev, 'cancelled').every((c) => c.reason === CancelReason.MassCancel)).to.equal(true);
      expect(only(ev, 'massCancelDone').cancelled).to.equal(expected.length);
      expect(h.venue.liveOrderCount).to.equal(4 - expected.length);
    });
  }

  it('a disconnect mass cancel carries the disconnect reason; an unknown symbol is rejected', () => {
    const h = seeded();
    const ev = h.massCancel({ session: 'S3', reason: 'disconnect' });
    expect(only(ev, 'cancelled').reason).to.equal(CancelReason.Disconnect);
    expect(only(h.massCancel({ symbol: 'NOPE' }), 'rejected').reason).to.equal(RejectReason.UnknownSymbol);
  });
});

describe('venue core: halt and resume', () => {
  it('a halted instrument rejects new orders and replaces but allows cancels; resume re-opens', () => {
    const h = new Harness();
    const a = accepted(h.buy(100, 5));
    const st = only(h.apply({ type: 'halt', time: 1, symbol: 'ABC', reason: 'news pending' }), 'tradingStatus');
    expect(st).to.include({ status: TradingStatus.Halted, reason: 'news pending' });
    const r = only(h.sell(100, 5), 'rejected');
    expect(r.reason).to.equal(RejectReason.InstrumentHalted);
    expect(r.text).to.contain('halted');
    expect(only(h.replace(a, { qty: 4 }), 'rejected').reason).to.equal(RejectReason.InstrumentHalted);
    only(h.cancel(a), 'cancelled');
    h.apply({ type: 'resume', time: 2, symbol: 'ABC', reason: '' });
    expect(h.venue.instrument('ABC')!.status).to.equal(TradingStatus.Open);
    accepted(h.sell(100, 5));
  });

  it('a closed instrument rejects new orders; halting an unknown symbol is rejected', () => {
    const h = new Harness({ instruments: [spec({ status: 'closed' })] });
    expect(only(h.buy(100, 1), 'rejected').reason).to.equal(RejectReason.InstrumentClosed);
    const bad = only(h.apply({ type: 'halt', time: 1, symbol: 'NOPE', reason: '' }), 'rejected');
    expect(bad).to.include({ command: 'halt', reason: RejectReason.UnknownSymbol });
  });
});

describe('venue core: refusals decided before the book (reject command)', () => {
  it('turns a reject command into a sequenced RejectedEvent, with the live order for a cancel/replace', () => {
    const h = new Harness();
    const o = accepted(h.buy(100, 5, { clOrdId: 'live1' }));
    const base = { type: 'reject' as const, time: 5, session: 'S1', firm: 'F1', account: 'A', symbol: 'ABC', sideCode: '', text: 'credit limit' };
    const r1 = only(h.apply({ ...base, command: 'new', clOrdId: 'n1', origClOrdId: '', side: Side.Buy, reason: RejectReason.RiskLimit, ordRejReason: 0, cxlRejReason: -1 }), 'rejected');
    expect(r1).to.include({ command: 'new', clOrdId: 'n1', reason: RejectReason.RiskLimit, text: 'credit limit', ordRejReason: 0, cxlRejReason: -1, order: null });
    expect(r1.seq).to.equal(h.events.length);
    const r2 = only(h.apply({ ...base, command: 'replace', clOrdId: 'r1', origClOrdId: 'live1', side: Side.Buy, reason: RejectReason.KillSwitch, ordRejReason: 99, cxlRejReason: 99 }), 'rejected');
    expect(r2.order?.orderId).to.equal(o.orderId);
    expect(r2.command).to.equal('replace');
    const r3 = only(h.apply({ ...base, command: 'new', clOrdId: 'n2', origClOrdId: '', side: 0, sideCode: 'B', reason: RejectReason.Unsupported, ordRejReason: -7, cxlRejReason: -1 }), 'rejected');
    expect(r3).to.include({ side: 0, sideCode: 'B', ordRejReason: -1 });
    // Nothing else changed.
    expect(h.venue.liveOrderCount).to.equal(1);
  });
});

describe('venue core: robustness', () => {
  it('a throwing listener does not break the core', () => {
    const errors: unknown[] = [];
    const h = new Harness({ onListenerError: (e) => errors.push(e) });
    h.venue.subscribe(() => {
      throw new Error('listener bug');
    });
    h.sell(100, 1);
    h.buy(100, 1);
    expect(errors.length).to.be.greaterThan(0);
    expect(h.venue.liveOrderCount).to.equal(0);
    expect(h.venue.listenerErrors).to.equal(errors.length);
  });

  it('refuses garbage command fields with a reject, never a crash', () => {
    const h = new Harness();
    const bad = [
      h.newOrder({ qty: Number.NaN }),
      h.newOrder({ qty: -5 }),
      h.newOrder({ price: 1.5 }),
      h.newOrder({ side: 7 as Side }),
      h.newOrder({ clOrdId: '' }),
      h.newOrder({ timeInForce: 9 as never }),
      h.newOrder({ ordType: 0 as never }),
      { ...h.newOrder(), session: undefined as unknown as string },
    ];
    for (const cmd of bad) expect(h.apply(cmd).map((e) => e.type)).to.deep.equal(['rejected']);
    expect(h.apply({ type: 'bogus', time: 1 } as never).map((e) => e.type)).to.deep.equal(['rejected']);
    expect(h.venue.liveOrderCount).to.equal(0);
  });

  it('runs a command applied from inside a listener right after the current one, in call order', () => {
    const h = new Harness();
    const resting = accepted(h.sell(100, 5, { clOrdId: 'maker' }));
    let returned = 0;
    h.venue.subscribe((e) => {
      // A listener reacting to a trade (say, a risk check) cancels the rest of the maker.
      if (e.type === 'trade' && e.maker.leavesQty > 0) {
        returned = h.venue.apply({
          type: 'cancel', time: e.time, session: 'S1', firm: 'F1', account: 'A', clOrdId: 'x-maker', origClOrdId: 'maker',
          orderId: 0, symbol: 'ABC', side: Side.Sell,
        });
      }
    });
    const ev = h.buy(100, 2);
    expect(ev.map((e) => e.type)).to.deep.equal(['accepted', 'trade', 'bookDelta', 'cancelled', 'bookDelta']);
    const cancelled = only(ev, 'cancelled');
    expect(cancelled.order.orderId).to.equal(resting.orderId);
    expect(cancelled.commandSeq).to.equal(ev[0]!.commandSeq + 1);
    expect(returned).to.equal(cancelled.commandSeq);
    expect(h.venue.commandSeq).to.equal(cancelled.commandSeq);
    expect(h.venue.liveOrderCount).to.equal(0);
  });
});
