import { expect } from 'chai';
import { Side } from '../../src/venue/model/enums.js';
import { ETH, EventFeed, px, qty } from './support/fixtures.js';
import { coreRig } from './support/core-setup.js';

describe('risk: positions from trades', () => {
  it('average cost, realised P&L on reductions and flips, and volume, on both sides of every trade', () => {
    const { core, feed } = coreRig();
    // ACC1 trades against ACC3 (a seller when ACC1 buys and the other way round).
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    feed.cross('ACC3', Side.Sell, 'ACC1', px('62000'), qty('1'));
    let acc1 = core.positions({ account: 'ACC1' });
    expect(acc1.find((p) => p.asset === 'BTC')).to.include({ net: '2', avgCost: '61000', cost: '122000', realisedPnl: '0', volume: '2' });

    feed.cross('ACC3', Side.Buy, 'ACC1', px('64000'), qty('0.5')); // sell 0.5: +0.5 × (64000 - 61000)
    acc1 = core.positions({ account: 'ACC1' });
    expect(acc1.find((p) => p.asset === 'BTC')).to.include({ net: '1.5', avgCost: '61000', realisedPnl: '1500', volume: '2.5' });

    feed.cross('ACC3', Side.Buy, 'ACC1', px('59000'), qty('2')); // close 1.5 at a loss of 3000, open short 0.5 at 59000
    acc1 = core.positions({ account: 'ACC1' });
    expect(acc1.find((p) => p.asset === 'BTC')).to.include({ net: '-0.5', avgCost: '59000', cost: '-29500', realisedPnl: '-1500', volume: '4.5' });

    feed.cross('ACC3', Side.Sell, 'ACC1', px('58000'), qty('0.2')); // cover 0.2 of the short: +0.2 × 1000
    acc1 = core.positions({ account: 'ACC1' });
    expect(acc1.find((p) => p.asset === 'BTC')).to.include({ net: '-0.3', avgCost: '59000', cost: '-17700', realisedPnl: '-1300', volume: '4.7' });
    // Cash: -60000 - 62000 + 32000 + 118000 - 11600.
    expect(acc1.find((p) => p.asset === 'USDT')).to.include({ net: '16400', volume: '283600', realisedPnl: '0', avgCost: '0' });

    // The other side mirrors it, and P&L sums to zero.
    const acc3 = core.positions({ account: 'ACC3' });
    expect(acc3.find((p) => p.asset === 'BTC')).to.include({ net: '0.3', avgCost: '59000', realisedPnl: '1300', volume: '4.7' });
    expect(acc3.find((p) => p.asset === 'USDT')).to.include({ net: '-16400', volume: '283600' });
    expect(acc1.find((p) => p.asset === 'BTC')!.lastSeq).to.equal(feed.seq);
  });

  it('keeps realised P&L exact when the cost does not divide evenly (the remainder stays in the basis)', () => {
    const { core, feed } = coreRig();
    feed.cross('ACC3', Side.Sell, 'ACC1', 1, 1); // 0.00001 BTC at 0.01
    feed.cross('ACC3', Side.Sell, 'ACC1', 2, 1); // 0.00001 BTC at 0.02: cost 3 units (0.0000003 USDT)
    feed.cross('ACC3', Side.Buy, 'ACC1', 2, 1); // sell one: 3 × 1/2 truncates to 1 released
    let btc = core.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!;
    expect(btc).to.include({ net: '0.00001', cost: '0.0000002', realisedPnl: '0.0000001' });
    feed.cross('ACC3', Side.Buy, 'ACC1', 2, 1);
    btc = core.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!;
    // Bought for 0.0000003, sold for 0.0000004: exactly 0.0000001 realised in total.
    expect(btc).to.include({ net: '0', cost: '0', realisedPnl: '0.0000001' });
  });

  it('adds up firm totals across accounts and keeps assets apart (ETH lots at 4 decimals in USDT at 7)', () => {
    const { core, feed } = coreRig();
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    feed.cross('ACC3', Side.Sell, 'ACC2', px('61000'), qty('2'));
    feed.cross('ACC3', Side.Sell, 'ACC2', px('3000.5', ETH), qty('1.2345', ETH), ETH);
    const f1 = core.books.firmTotal('F1', 'BTC');
    expect(f1.net).to.equal(qty('3'));
    expect(f1.cost).to.equal(182_000 * 1e7);
    const eth = core.positions({ account: 'ACC2' }).find((p) => p.asset === 'ETH')!;
    expect(eth).to.include({ net: '1.2345', avgCost: '3000.5', cost: '3704.11725' });
    const usdt = core.positions({ account: 'ACC2' }).find((p) => p.asset === 'USDT')!;
    expect(usdt.net).to.equal('-125704.11725');
    expect(core.positions({ firm: 'F1' }).map((p) => `${p.account}:${p.asset}`)).to.deep.equal(['ACC1:BTC', 'ACC1:USDT', 'ACC2:BTC', 'ACC2:ETH', 'ACC2:USDT']);
  });

  it('stays exact beyond 2^53: volumes and notionals move to BigInt and back', () => {
    const { core, feed } = coreRig();
    // 200,000 BTC at 60000.01: the notional is 120000002000 USDT = 1.2e18 units at 7 decimals, beyond 2^53.
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000.01'), qty('200000'));
    feed.cross('ACC3', Side.Sell, 'ACC1', px('60000.03'), qty('100000'));
    let btc = core.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!;
    expect(btc).to.include({ net: '300000', cost: '18000005000', avgCost: '60000.02', volume: '300000' });
    feed.cross('ACC3', Side.Buy, 'ACC1', px('60001.02'), qty('299999.99999'));
    btc = core.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!;
    // released = 18000005000 × 299999.99999 / 300000 = 18000004999.3999998 (truncated at 7 decimals):
    // 0.6000002 stays in the basis of the 0.00001 left.
    expect(btc).to.include({ net: '0.00001', cost: '0.6000002', realisedPnl: '300999.99999', volume: '599999.99999' });
    const usdt = core.positions({ account: 'ACC1' }).find((p) => p.asset === 'USDT')!;
    expect(usdt).to.include({ net: '300999.3999898', volume: '36000310999.3999898' });
    // The checks see the big values as beyond the exact range, never as a wrong small number.
    const position = core.books.position('F1', 'ACC1', 'USDT');
    expect(typeof position.volume).to.equal('bigint');
    expect(typeof position.net).to.equal('number'); // back within range
  });

  it('counts a trade of an account with itself on both sides', () => {
    const { core, feed } = coreRig();
    feed.cross('ACC1', Side.Sell, 'ACC1', px('60000'), qty('1'));
    const btc = core.positions({ account: 'ACC1' }).find((p) => p.asset === 'BTC')!;
    expect(btc).to.include({ net: '0', volume: '2', realisedPnl: '0' });
  });

  it('applies a trade only once per position: events at or before lastSeq are skipped', () => {
    const { core } = coreRig();
    const events: Parameters<typeof core.onEvent>[0][] = [];
    const record = new EventFeed((e) => {
      events.push(structuredClone(e));
      core.onEvent(e);
    });
    record.cross('ACC3', Side.Sell, 'ACC1', px('60000'), qty('1'));
    record.cross('ACC3', Side.Buy, 'ACC1', px('61000'), qty('0.4'));
    const before = core.positions();
    for (const e of events) if (e.type === 'trade') core.onEvent(e); // a replay of the same trades
    expect(core.positions()).to.deep.equal(before);
  });
});
