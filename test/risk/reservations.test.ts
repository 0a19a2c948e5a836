import { expect } from 'chai';
import { OrdType, Side } from '../../src/venue/model/enums.js';
import { newOrder, px, qty, replaceOf } from './support/fixtures.js';
import { coreRig } from './support/core-setup.js';

const USDT = (n: string): number => Number(n) * 1e7;

describe('risk: open-order reservations', () => {
  it('reserves on acceptance, adjusts on replace and partial fill, releases on fill, cancel and expiry', () => {
    const { core, feed } = coreRig();
    const credit = core.books.accountCredit('ACC1', 'USDT');
    const firmCredit = core.books.firmCredit('F1', 'USDT');
    const btc = core.books.position('F1', 'ACC1', 'BTC');
    const counters = core.books.accountCounters('ACC1');

    const a = feed.accept(newOrder({ qty: qty('1'), price: px('60000') }));
    const b = feed.accept(newOrder({ side: Side.Sell, qty: qty('2'), price: px('61000') }));
    expect(credit.open).to.equal(USDT('182000'));
    expect(firmCredit.open).to.equal(USDT('182000'));
    expect([btc.openBuy, btc.openSell, counters.openOrders]).to.deep.equal([qty('1'), qty('2'), 2]);

    // Replace a: 1.5 at 59000 -> 88500 reserved instead of 60000.
    feed.replace(a, replaceOf(a, { qty: qty('1.5'), price: px('59000') }));
    expect(credit.open).to.equal(USDT('210500'));
    expect(btc.openBuy).to.equal(qty('1.5'));

    // b partly fills 0.5 (ACC3 buys): its reservation drops to 1.5 × 61000, and the fill is now exposure.
    const c = feed.accept(newOrder({ account: 'ACC3', qty: qty('0.5'), price: px('61000') }));
    feed.trade(b, c, px('61000'), qty('0.5'));
    expect(credit.open).to.equal(USDT('180000')); // 88500 + 91500
    expect(credit.filled).to.equal(USDT('30500')); // short 0.5 at 61000
    expect(btc.openSell).to.equal(qty('1.5'));
    expect(core.books.accountCredit('ACC3', 'USDT').open).to.equal(0); // c is filled and gone
    expect(core.books.accountCounters('ACC3').openOrders).to.equal(0);

    feed.cancel(b);
    expect(credit.open).to.equal(USDT('88500'));
    expect([btc.openSell, counters.openOrders]).to.deep.equal([0, 1]);
    feed.expire(a);
    expect([credit.open, firmCredit.open, btc.openBuy, counters.openOrders]).to.deep.equal([0, 0, 0, 0]);
    expect(core.orders.size).to.equal(0);
    // Events about orders already gone change nothing.
    feed.cancel(a);
    expect(credit.open).to.equal(0);
  });

  it('reserves a market order at the reference price and an untriggered stop at its stop price', () => {
    const { core, feed } = coreRig();
    const credit = core.books.accountCredit('ACC1', 'USDT');
    feed.accept(newOrder({ ordType: OrdType.Market, price: 0, qty: qty('0.1'), timeInForce: 3 }));
    expect(credit.open).to.equal(USDT('6000'));
    feed.accept(newOrder({ ordType: OrdType.Stop, price: 0, stopPx: px('65000'), qty: qty('0.1') }));
    expect(credit.open).to.equal(USDT('12500'));
  });

  it('cannot be beaten by many orders in flight: each acceptance reserves before the next check', () => {
    const { core, feed } = coreRig();
    core.setLimits({ level: 'account', account: 'ACC1' }, { creditLimit: '100000' }, 'ops');
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i++) {
      const cmd = newOrder({ qty: qty('0.3'), price: px('60000') }); // 18000 each
      const refusal = core.check(cmd);
      if (refusal === null) feed.accept(cmd);
      outcomes.push(refusal === null ? 'ok' : refusal.text);
    }
    expect(outcomes.slice(0, 5)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes[5]).to.equal('credit limit exceeded: 108000 > 100000 (account ACC1)');
    expect(outcomes.slice(5).every((o) => o !== 'ok')).to.equal(true);
    expect(core.books.accountCredit('ACC1', 'USDT').open).to.equal(USDT('90000'));
  });
});
