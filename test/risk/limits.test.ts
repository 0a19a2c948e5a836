import { expect } from 'chai';
import { OrdType, Side } from '../../src/venue/model/enums.js';
import { RiskInputError } from '../../src/risk/core/risk-core.js';
import { ETH, newOrder, px, qty, replaceOf } from './support/fixtures.js';
import { coreRig } from './support/core-setup.js';

const T0 = 1_700_000_000_000;

describe('risk: limits, most specific wins, exact reject texts', () => {
  it('max order qty at firm, account and account × instrument level', () => {
    const { core } = coreRig();
    core.setLimits({ level: 'firm', firm: 'F1' }, { maxOrderQty: '10' }, 'ops');
    core.setLimits({ level: 'account', account: 'ACC1' }, { maxOrderQty: '5' }, 'ops');
    core.setLimits({ level: 'instrument', account: 'ACC1', symbol: 'BTCUSDT' }, { maxOrderQty: '100' }, 'ops');

    const r = core.check(newOrder({ qty: qty('150') }));
    expect(r).to.deep.equal({
      reason: 'risk-limit', ordRejReason: 3, cxlRejReason: 99, limit: 'maxOrderQty',
      text: 'max order qty exceeded: 150 > 100 (account ACC1, BTCUSDT)',
    });
    expect(core.check(newOrder({ qty: qty('100') }))).to.equal(null);
    // ETHUSDT has no instrument-level limit for ACC1: the account's applies.
    expect(core.check(newOrder({ symbol: 'ETHUSDT', qty: qty('5.0001', ETH), price: px('3000', ETH) }))?.text)
      .to.equal('max order qty exceeded: 5.0001 > 5 (account ACC1)');
    expect(core.check(newOrder({ symbol: 'ETHUSDT', qty: qty('5', ETH), price: px('3000', ETH) }))).to.equal(null);
    // ACC2 has neither: the firm's applies.
    expect(core.check(newOrder({ account: 'ACC2', qty: qty('10.00001') }))?.text).to.equal('max order qty exceeded: 10.00001 > 10 (firm F1)');
    expect(core.check(newOrder({ account: 'ACC2', qty: qty('10') }))).to.equal(null);
    // Another firm is not limited at all.
    expect(core.check(newOrder({ account: 'ACC3', qty: qty('100000') }))).to.equal(null);
    expect(core.effectiveLimits('F1', 'ACC1', 'ETHUSDT').maxOrderQty).to.deep.equal({ value: '5', level: 'account' });
  });

  it('max order notional, valuing market orders at the last or reference price', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'firm', firm: 'F1' }, { maxOrderNotional: '100000' }, 'ops');
    core.setLimits({ level: 'account', account: 'ACC2' }, { maxOrderNotional: '150000' }, 'ops');
    const r = core.check(newOrder({ qty: qty('2'), price: px('60000.01') }));
    expect(r?.text).to.equal('max order notional exceeded: 120000.02 > 100000 (firm F1)');
    expect(core.check(newOrder({ qty: qty('1.66666'), price: px('60000') }))).to.equal(null);
    expect(core.check(newOrder({ account: 'ACC2', qty: qty('2'), price: px('60000.01') }))).to.equal(null);
    // Market: valued at the configured reference (60000) before any trade, then at the last trade.
    const market = newOrder({ ordType: OrdType.Market, price: 0, qty: qty('1.7') });
    expect(core.check(market)?.text).to.equal('max order notional exceeded: 102000 > 100000 (firm F1)');
    feed.cross('ACC3', Side.Sell, 'ACC3', px('50000'), qty('1'));
    expect(core.check(market)).to.equal(null); // 1.7 × 50000 = 85000
    // ETHUSDT has no reference and no trade yet: a market order cannot be valued, so it is refused.
    expect(core.check(newOrder({ symbol: 'ETHUSDT', ordType: OrdType.Market, price: 0, qty: qty('1', ETH) }))?.text)
      .to.equal('max order notional cannot be checked: no last or reference price to value a market order in ETHUSDT (firm F1)');
  });

  it('price band around the configured reference, then the last trade', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { priceBandPercent: '5' }, 'ops');
    core.setLimits({ level: 'instrument', account: 'ACC2', symbol: 'BTCUSDT' }, { priceBandPercent: '0.5' }, 'ops');
    expect(core.check(newOrder({ price: px('63000') }))).to.equal(null);
    expect(core.check(newOrder({ price: px('63000.01') }))?.text).to.equal('price band exceeded: 63000.01 > 63000 (5% above reference 60000; account ACC1)');
    expect(core.check(newOrder({ side: Side.Sell, price: px('56999.99') }))?.text)
      .to.equal('price band exceeded: 56999.99 < 57000 (5% below reference 60000; account ACC1)');
    expect(core.check(newOrder({ account: 'ACC2', price: px('60300.01') }))?.text)
      .to.equal('price band exceeded: 60300.01 > 60300 (0.5% above reference 60000; account ACC2, BTCUSDT)');
    feed.cross('ACC3', Side.Sell, 'ACC3', px('61000'), qty('1'));
    expect(core.check(newOrder({ price: px('64050') }))).to.equal(null);
    expect(core.check(newOrder({ price: px('64050.01') }))?.text).to.equal('price band exceeded: 64050.01 > 64050 (5% above reference 61000; account ACC1)');
    // A stop-limit's limit price is held to the band; a market order has none.
    expect(core.check(newOrder({ ordType: OrdType.StopLimit, stopPx: px('64000'), price: px('70000') }))?.limit).to.equal('priceBandPercent');
    expect(core.check(newOrder({ ordType: OrdType.Market, price: 0 }))).to.equal(null);
    // No reference at all (ETHUSDT before its first trade): nothing to measure the band against.
    expect(core.check(newOrder({ symbol: 'ETHUSDT', price: px('1', ETH), qty: qty('1', ETH) }))).to.equal(null);
  });

  it('max open orders counts the open orders of the scope the limit was set at', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'firm', firm: 'F1' }, { maxOpenOrders: '3' }, 'ops');
    feed.accept(newOrder());
    feed.accept(newOrder());
    feed.accept(newOrder({ account: 'ACC2' }));
    expect(core.check(newOrder({ account: 'ACC2' }))?.text).to.equal('max open orders exceeded: 4 > 3 (firm F1)');
    // ACC1 gets its own limit: now only its own orders count for it.
    core.setLimits({ level: 'account', account: 'ACC1' }, { maxOpenOrders: '3' }, 'ops');
    expect(core.check(newOrder())).to.equal(null);
    core.setLimits({ level: 'instrument', account: 'ACC1', symbol: 'BTCUSDT' }, { maxOpenOrders: '2' }, 'ops');
    expect(core.check(newOrder())?.text).to.equal('max open orders exceeded: 3 > 2 (account ACC1, BTCUSDT)');
    expect(core.check(newOrder({ symbol: 'ETHUSDT', price: px('3000', ETH), qty: qty('1', ETH) }))).to.equal(null);
    // A replace does not add an order.
    const o = feed.accept(newOrder({ account: 'ACC2' }));
    expect(core.check(replaceOf(o, { qty: o.qty - 1 }), o)).to.equal(null);
  });

  it('max long and short position: position plus open orders plus this order', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { maxLongPosition: '2', maxShortPosition: '1' }, 'ops');
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1.5')); // ACC1 long 1.5
    feed.accept(newOrder({ qty: qty('0.4') })); // open buy 0.4
    expect(core.check(newOrder({ qty: qty('0.1') }))).to.equal(null);
    expect(core.check(newOrder({ qty: qty('0.10001') }))?.text).to.equal('max long position exceeded: 2.00001 > 2 (account ACC1)');
    // Short side: selling 2.5 from long 1.5 ends short 1 at most.
    expect(core.check(newOrder({ side: Side.Sell, qty: qty('2.5') }))).to.equal(null);
    expect(core.check(newOrder({ side: Side.Sell, qty: qty('2.50001') }))?.text).to.equal('max short position exceeded: 1.00001 > 1 (account ACC1)');
    // Firm level: ACC1 + ACC2 together.
    core.setLimits({ level: 'firm', firm: 'F1' }, { maxLongPosition: '3' }, 'ops');
    feed.cross('ACC3', Side.Sell, 'ACC2', px('60000'), qty('1')); // ACC2 long 1
    expect(core.check(newOrder({ account: 'ACC2', qty: qty('0.1') }))).to.equal(null);
    expect(core.check(newOrder({ account: 'ACC2', qty: qty('0.10001') }))?.text).to.equal('max long position exceeded: 3.00001 > 3 (firm F1)');
    // Account × instrument level wins over the account's for ACC1 in BTCUSDT.
    core.setLimits({ level: 'instrument', account: 'ACC1', symbol: 'BTCUSDT' }, { maxLongPosition: '1.9' }, 'ops');
    expect(core.check(newOrder({ qty: qty('0.00001') }))?.text).to.equal('max long position exceeded: 1.90001 > 1.9 (account ACC1, BTCUSDT)');
  });

  it('credit limit: reserved notional of open orders plus filled exposure, per scope', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { creditLimit: '100000' }, 'ops');
    feed.accept(newOrder({ qty: qty('1'), price: px('60000') })); // 60000 reserved
    const r = core.check(newOrder({ qty: qty('0.7'), price: px('60000') }));
    expect(r).to.deep.include({ reason: 'risk-limit', ordRejReason: 0, cxlRejReason: 2, limit: 'creditLimit' });
    expect(r?.text).to.equal('credit limit exceeded: 102000 > 100000 (account ACC1)');
    expect(core.check(newOrder({ side: Side.Sell, qty: qty('0.66666'), price: px('60000') }))).to.equal(null);
    // ETH orders use the same USDT credit.
    expect(core.check(newOrder({ symbol: 'ETHUSDT', qty: qty('13.3334', ETH), price: px('3000', ETH) }))?.text)
      .to.equal('credit limit exceeded: 100000.2 > 100000 (account ACC1)');
    // Filled exposure (cost of the position) counts too: ACC1 buys 0.5 at 50000 from ACC3 -> 60000 + 25000 used.
    feed.cross('ACC3', Side.Sell, 'ACC1', px('50000'), qty('0.5'));
    expect(core.check(newOrder({ qty: qty('0.25'), price: px('60000') }))).to.equal(null);
    expect(core.check(newOrder({ qty: qty('0.25001'), price: px('60000') }))?.text).to.equal('credit limit exceeded: 100000.6 > 100000 (account ACC1)');
    // Firm level adds up the accounts; account × instrument level counts that instrument only.
    core.setLimits({ level: 'firm', firm: 'F1' }, { creditLimit: '90000' }, 'ops');
    feed.accept(newOrder({ account: 'ACC2', qty: qty('0.1'), price: px('50000') })); // 5000
    expect(core.check(newOrder({ account: 'ACC2', qty: qty('0.00001'), price: px('50000') }))?.text)
      .to.equal('credit limit exceeded: 90000.5 > 90000 (firm F1)');
    core.setLimits({ level: 'instrument', account: 'ACC1', symbol: 'ETHUSDT' }, { creditLimit: '1000' }, 'ops');
    // ETHUSDT for ACC1: no ETH orders or position yet, so only this order counts.
    expect(core.check(newOrder({ symbol: 'ETHUSDT', qty: qty('0.3333', ETH), price: px('3000', ETH) }))).to.equal(null);
    expect(core.check(newOrder({ symbol: 'ETHUSDT', qty: qty('0.3334', ETH), price: px('3000', ETH) }))?.text)
      .to.equal('credit limit exceeded: 1000.2 > 1000 (account ACC1, ETHUSDT)');
  });

  it('max orders per second over a sliding second of command times', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { maxOrdersPerSecond: '3' }, 'ops');
    feed.accept(newOrder({ time: T0 }));
    feed.accept(newOrder({ time: T0 + 100 }));
    feed.accept(newOrder({ time: T0 + 999 }));
    expect(core.check(newOrder({ time: T0 + 999 }))?.text).to.equal('max orders per second exceeded: 4 > 3 (account ACC1)');
    // At T0 + 1000 the order at T0 has left the window (T0, T0 + 1000].
    expect(core.check(newOrder({ time: T0 + 1000 }))).to.equal(null);
    // Replaces count too.
    const o = feed.accept(newOrder({ time: T0 + 1000 }));
    expect(core.check(replaceOf(o, { time: T0 + 1001, qty: o.qty + 1 }), o)?.limit).to.equal('maxOrdersPerSecond');
    // Firm level counts every account of the firm (from when the limit exists); ACC2 has no own limit.
    core.setLimits({ level: 'firm', firm: 'F1' }, { maxOrdersPerSecond: '5' }, 'ops');
    for (let i = 0; i < 3; i++) feed.accept(newOrder({ account: 'ACC2', time: T0 + 1500 }));
    for (let i = 0; i < 2; i++) feed.accept(newOrder({ account: 'ACC1', time: T0 + 1600 }));
    expect(core.check(newOrder({ account: 'ACC2', time: T0 + 1600 }))?.text).to.equal('max orders per second exceeded: 6 > 5 (firm F1)');
    expect(core.check(newOrder({ account: 'ACC2', time: T0 + 2500 }))).to.equal(null);
  });

  it('a replace is checked on what it adds, against the order it replaces', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { creditLimit: '100000', maxLongPosition: '2', maxOrderQty: '1.5' }, 'ops');
    const o = feed.accept(newOrder({ qty: qty('1'), price: px('60000') }));
    feed.accept(newOrder({ qty: qty('0.5'), price: px('60000') })); // 90000 reserved in all
    expect(core.check(replaceOf(o, { qty: qty('1.16666') }), o)).to.equal(null);
    expect(core.check(replaceOf(o, { qty: qty('1.16667') }), o)?.text).to.equal('credit limit exceeded: 100000.2 > 100000 (account ACC1)');
    expect(core.check(replaceOf(o, { price: px('70000') }), o)).to.equal(null);
    expect(core.check(replaceOf(o, { price: px('70000.01') }), o)?.text).to.equal('credit limit exceeded: 100000.01 > 100000 (account ACC1)');
    expect(core.check(replaceOf(o, { qty: qty('1.6') }), o)?.text).to.equal('max order qty exceeded: 1.6 > 1.5 (account ACC1)');
    // No live order to replace (the venue found none, or risk never saw it): left to the core to reject.
    expect(core.check(replaceOf(o, { origClOrdId: 'nope', qty: qty('100') }), null)).to.equal(null);
    expect(core.check(replaceOf(o, { qty: qty('100') }), { ...o, orderId: 999 })).to.equal(null);
    // Reducing is always allowed by the aggregate limits, even when they are already exceeded.
    core.setLimits({ level: 'account', account: 'ACC1' }, { creditLimit: '1' }, 'ops');
    expect(core.check(replaceOf(o, { qty: qty('0.5') }), o)).to.equal(null);
    expect(core.check(newOrder({ qty: qty('0.00001'), side: Side.Sell }))?.limit).to.equal('creditLimit');
  });

  it('refuses a malformed limit change as a whole, naming every problem', () => {
    const { core } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { maxOrderQty: '5' }, 'ops');
    const attempt = (fn: () => unknown): string => {
      try {
        fn();
      } catch (err) {
        expect(err).to.be.instanceOf(RiskInputError);
        return (err as Error).message;
      }
      throw new Error('expected a RiskInputError');
    };
    const msg = attempt(() => core.setLimits({ level: 'account', account: 'ACC1' },
      { maxOrderQty: '7', bogus: '1', creditLimit: '-5', priceBandPercent: '101', lossLimit: '10', maxOpenOrders: '2.5' }, 'ops'));
    expect(msg).to.contain('unknown limit bogus');
    expect(msg).to.contain('creditLimit: expected a non-negative decimal string');
    expect(msg).to.contain('priceBandPercent: expected a percentage');
    expect(msg).to.contain('lossLimit can only be set for a firm');
    expect(msg).to.contain('maxOpenOrders: expected a whole number');
    expect(core.effectiveLimits('F1', 'ACC1', 'BTCUSDT').maxOrderQty?.value).to.equal('5'); // nothing applied
    expect(attempt(() => core.setLimits({ level: 'firm', firm: 'NOPE' }, { maxOrderQty: '1' }, 'ops'))).to.contain('unknown firm NOPE');
    expect(attempt(() => core.setLimits({ level: 'instrument', account: 'ACC1', symbol: 'XXX' }, { maxOrderQty: '1' }, 'ops'))).to.contain('unknown symbol XXX');
    expect(attempt(() => core.setLimits({ level: 'account', account: 'ACC1' }, { creditLimit: '1000000000' }, 'ops')))
      .to.contain("creditLimit: 1000000000 is beyond the exact range at BTCUSDT's precision (at most 900719925.4740991)");
    expect(attempt(() => core.setLimits({ level: 'account', account: 'ACC1' }, { maxOrderQty: 5 as unknown as string }, 'ops')))
      .to.contain('numbers are refused');
    expect(attempt(() => core.setLimits({ level: 'account', account: 'ACC1' }, { maxOrderQty: '1' }, ''))).to.contain('"by"');
  });

  it('lets values the core rejects anyway through, and never throws on garbage', () => {
    const { core } = coreRig();
    core.setLimits({ level: 'firm', firm: 'F1' }, { maxOrderQty: '1', creditLimit: '10', maxOrderNotional: '5' }, 'ops');
    expect(core.check(newOrder({ qty: NaN }))).to.equal(null);
    expect(core.check(newOrder({ qty: -5 }))).to.equal(null);
    expect(core.check(newOrder({ qty: Infinity }))).to.equal(null);
    expect(core.check(newOrder({ symbol: 'NOPE' }))).to.equal(null);
    expect(core.check(newOrder({ price: Number.NaN }))).to.equal(null);
    expect(core.check(newOrder({ qty: qty('0.5'), price: 2 ** 60 }))).to.equal(null);
    expect(core.check(newOrder({ qty: qty('0.5') }))?.limit).to.equal('maxOrderNotional');
  });
});
