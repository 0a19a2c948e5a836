// Binance order semantics as the simulator implements them on top of our matching core, checked through
// its programmatic API: balances and locks (exact to the last unit), commissions, market orders by
// quoteOrderQty, LIMIT_MAKER, IOC/FOK expiry, self-trade prevention, client order ids, stops, filters,
// amend keeping priority, and cancel-replace outcomes.

import { expect } from 'chai';
import { ApiError } from '../../../src/simulators/binance/api-error.js';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { seed, startTestSimulator, SYMBOL } from './support/sim-fixture.js';

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected the exchange to refuse');
}

describe('binance simulator: exchange semantics', () => {
  let sim: BinanceSimulator;

  const place = (account: string, params: Record<string, string>) => sim.placeOrder(account, { symbol: SYMBOL, ...params });
  const balance = (account: string, asset: string) => {
    const b = sim.exchange.accountInfo(sim.exchange.account(account), false).balances.find((x) => x.asset === asset)!;
    return `${b.free}/${b.locked}`;
  };
  const query = (account: string, orderId: number) => sim.exchange.queryOrder(sim.exchange.account(account), SYMBOL, { orderId });

  beforeEach(async () => {
    ({ sim } = await startTestSimulator());
  });
  afterEach(async () => {
    await sim.close();
  });

  it('turns quoteOrderQty into the quantity the book gives for it, on the step, and settles exactly', () => {
    seed(sim, 'SELL', '60000.00', '0.1');
    seed(sim, 'SELL', '60010.00', '0.1');
    const o = place('alice', { side: 'BUY', type: 'MARKET', quoteOrderQty: '9001' });
    // 0.1 × 60000 = 6000, then floor(3001 / 60010) on the 0.0001 step = 0.05 (3000.50).
    expect(o).to.include({ status: 'FILLED', executedQty: '0.15000000', cummulativeQuoteQty: '9000.50000000', origQuoteOrderQty: '9001.00000000' });
    expect(balance('alice', 'USDT')).to.equal('90999.50000000/0.00000000');
    expect(balance('alice', 'BTC')).to.equal('10.14985000/0.00000000'); // 0.15 less 0.1% taker commission
    expect(balance('bob', 'USDT')).to.equal('1009000.50000000/0.00000000');
    expect(balance('bob', 'BTC')).to.equal('99.80000000/0.05000000'); // sold 0.15, 0.05 still resting at 60010
  });

  it('refuses quoteOrderQty on an empty book, and a LIMIT_MAKER that would take, without touching balances', () => {
    expect(refusal(() => place('alice', { side: 'BUY', type: 'MARKET', quoteOrderQty: '100' })).message).to.equal(
      'Order book liquidity is less than symbol minimum quantity.',
    );
    seed(sim, 'SELL', '60000.00', '0.1');
    const err = refusal(() => place('alice', { side: 'BUY', type: 'LIMIT_MAKER', price: '60000.00', quantity: '0.01' }));
    expect([err.status, err.code, err.message]).to.deep.equal([400, -2010, 'Order would immediately match and take.']);
    expect(balance('alice', 'USDT')).to.equal('100000.00000000/0.00000000');
  });

  it('expires the rest of an IOC and an unfillable FOK, with the documented expiry reasons', () => {
    seed(sim, 'SELL', '60000.00', '0.1');
    const ioc = place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: '60000.00', quantity: '0.3' });
    expect(ioc).to.include({ status: 'EXPIRED', executedQty: '0.10000000', expiryReason: 'UNFILLED_IOC_QUANTITY_EXPIRED' });
    seed(sim, 'SELL', '60000.00', '0.1');
    const fok = place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'FOK', price: '60000.00', quantity: '0.3' });
    expect(fok).to.include({ status: 'EXPIRED', executedQty: '0.00000000', expiryReason: 'UNFILLED_FOK_ORDER_EXPIRED' });
    expect(fok.fills).to.deep.equal([]);
    expect(balance('alice', 'USDT')).to.equal('94000.00000000/0.00000000'); // only the IOC's 0.1 was paid for
  });

  it('applies the taker\'s self-trade prevention mode: EXPIRE_MAKER, EXPIRE_TAKER, and NONE', () => {
    const maker = place('alice', { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '0.1' });
    const taker = place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '0.1', selfTradePreventionMode: 'EXPIRE_MAKER' });
    expect(taker.status).to.equal('NEW');
    expect(query('alice', maker.orderId)).to.include({ status: 'EXPIRED_IN_MATCH', preventedQuantity: '0.10000000' });
    expect(taker.preventedMatches?.[0]).to.include({ makerOrderId: maker.orderId, makerPreventedQuantity: '0.10000000' });

    const taker2 = place('alice', { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '0.04', selfTradePreventionMode: 'EXPIRE_TAKER' });
    expect(taker2.status).to.equal('EXPIRED_IN_MATCH');
    expect(query('alice', taker.orderId).status).to.equal('NEW');

    const taker3 = place('alice', { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '0.04', selfTradePreventionMode: 'NONE' });
    expect(taker3.status).to.equal('FILLED');
    expect(query('alice', taker.orderId)).to.include({ status: 'PARTIALLY_FILLED', executedQty: '0.04000000' });
  });

  it('keeps client order ids unique among open orders only', () => {
    const first = place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.01', newClientOrderId: 'dup' });
    const err = refusal(() => place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.01', newClientOrderId: 'dup' }));
    expect([err.code, err.message]).to.deep.equal([-2010, 'Duplicate order sent.']);
    // Another account may use the same id.
    expect(place('bob', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.01', newClientOrderId: 'dup' }).status).to.equal('NEW');
    sim.exchange.cancelOrder(sim.exchange.account('alice'), SYMBOL, { orderId: first.orderId });
    const again = place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.01', newClientOrderId: 'dup' });
    expect(again.orderId).to.not.equal(first.orderId);
    // The id now names the newest order.
    expect(sim.exchange.queryOrder(sim.exchange.account('alice'), SYMBOL, { origClientOrderId: 'dup' }).orderId).to.equal(again.orderId);
  });

  it('refuses what the balance cannot cover, and locks exactly what a resting order needs', () => {
    const err = refusal(() => place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '2' }));
    expect([err.code, err.message]).to.deep.equal([-2010, 'Account has insufficient balance for requested action.']);
    place('alice', { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '70000.00', quantity: '1.2345' });
    expect(balance('alice', 'BTC')).to.equal('8.76550000/1.23450000');
    seed(sim, 'SELL', '60000.00', '1');
    // A market buy by quantity needs what the visible book would charge: 1 × 60000 + 0.8 × 70000 > 100000.
    expect(refusal(() => place('alice', { side: 'BUY', type: 'MARKET', quantity: '1.8' })).code).to.equal(-2010);
    expect(place('alice', { side: 'BUY', type: 'MARKET', quantity: '1.5' }).status).to.equal('FILLED'); // 95000 fits
  });

  it('refuses a stop that would trigger immediately, and triggers a valid one on a later trade', () => {
    seed(sim, 'SELL', '60000.00', '0.01');
    place('alice', { side: 'BUY', type: 'MARKET', quantity: '0.01' }); // last price 60000
    const now = refusal(() => place('alice', { side: 'BUY', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', price: '61000.00', stopPrice: '59000.00', quantity: '0.1' }));
    expect(now.message).to.equal('Order would trigger immediately.');
    const stop = place('alice', { side: 'BUY', type: 'STOP_LOSS_LIMIT', timeInForce: 'GTC', price: '61000.00', stopPrice: '60500.00', quantity: '0.1' });
    expect(query('alice', stop.orderId)).to.include({ status: 'NEW', isWorking: false, workingTime: -1, stopPrice: '60500.00000000' });
    expect(balance('alice', 'USDT')).to.equal('93300.00000000/6100.00000000');
    seed(sim, 'SELL', '60500.00', '0.2');
    place('bob', { side: 'BUY', type: 'MARKET', quantity: '0.05' }); // trades at 60500: the stop triggers
    const after = query('alice', stop.orderId);
    expect(after).to.include({ status: 'FILLED', executedQty: '0.10000000', isWorking: true });
    expect(balance('alice', 'USDT')).to.equal('93350.00000000/0.00000000'); // paid 0.1 × 60500, the rest of the 61000 lock back
  });

  it('evaluates the filters: NOTIONAL, PERCENT_PRICE_BY_SIDE against the average price, ICEBERG_PARTS, MAX_NUM_ORDERS', () => {
    const f = (params: Record<string, string>) => refusal(() => place('alice', params)).message;
    expect(f({ side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '100.00', quantity: '0.0001' })).to.equal('Filter failure: NOTIONAL');
    expect(f({ side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '1', icebergQty: '0.05' })).to.equal('Filter failure: ICEBERG_PARTS');
    seed(sim, 'SELL', '60000.00', '0.01');
    place('alice', { side: 'BUY', type: 'MARKET', quantity: '0.01' });
    expect(sim.exchange.avgPrice(SYMBOL).price).to.equal('60000.00000000');
    expect(f({ side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '11999.99', quantity: '0.001' })).to.equal('Filter failure: PERCENT_PRICE_BY_SIDE');
    expect(place('alice', { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '12000.00', quantity: '0.001' }).status).to.equal('NEW');
    sim.exchange.cancelOpenOrders(sim.exchange.account('alice'), SYMBOL);
    for (let i = 0; i < 20; i++) place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.0002' });
    expect(f({ side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.0002' })).to.equal('Filter failure: MAX_NUM_ORDERS');
  });

  it('refuses what the core cannot do (TAKE_PROFIT) with Binance\'s own answer', () => {
    const err = refusal(() => place('alice', { side: 'SELL', type: 'TAKE_PROFIT', stopPrice: '70000.00', quantity: '0.1' }));
    expect([err.code, err.message]).to.deep.equal([-2010, 'Take profit orders are not supported for this symbol.']);
  });

  it('shows only an iceberg\'s visible slice in the depth', () => {
    place('alice', { side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '60000.00', quantity: '1', icebergQty: '0.25' });
    expect(sim.exchange.depth(SYMBOL, 10).asks).to.deep.equal([['60000.00000000', '0.25000000']]);
  });

  it('amends a quantity down keeping the order ahead in the queue', () => {
    const first = place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.1', newClientOrderId: 'a1' });
    place('bob', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.1' });
    const amended = sim.exchange.amendKeepPriority(sim.exchange.account('alice'), SYMBOL, { origClientOrderId: 'a1' }, '0.04', 'a2');
    expect(amended.amendedOrder).to.include({ clientOrderId: 'a2', origClientOrderId: 'a1', qty: '0.04000000' });
    expect(balance('alice', 'USDT')).to.equal('98000.00000000/2000.00000000');
    const sell = place('bob', { side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', price: '50000.00', quantity: '0.04' });
    expect(sell.status).to.equal('FILLED');
    expect(query('alice', first.orderId)).to.include({ status: 'FILLED', clientOrderId: 'a2' });
    const up = refusal(() => sim.exchange.amendKeepPriority(sim.exchange.account('bob'), SYMBOL, { orderId: first.orderId + 1 }, '0.2'));
    expect([up.code, up.message]).to.deep.equal([-2038, 'Order amend (quantity increase) is not supported.']);
  });

  it('answers cancel-replace 409/-2021 when only one half succeeds (ALLOW_FAILURE)', () => {
    const err = refusal(() =>
      sim.exchange.cancelReplace(sim.exchange.account('alice'), {
        mode: 'ALLOW_FAILURE',
        cancel: { origClientOrderId: 'nothing-here' },
        order: { symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000.00', quantity: '0.01' },
      }),
    );
    expect([err.status, err.code]).to.deep.equal([409, -2021]);
    expect(err.data).to.deep.include({ cancelResult: 'FAILURE', newOrderResult: 'SUCCESS', cancelResponse: { code: -2011, msg: 'Unknown order sent.' } });
    expect(sim.exchange.openOrders(sim.exchange.account('alice'), SYMBOL)).to.have.length(1);
  });

  it('answers amounts beyond any balance with Binance errors, never a server error', async () => {
    await sim.close();
    ({ sim } = await startTestSimulator({
      symbols: [
        {
          symbol: SYMBOL,
          baseAsset: 'BTC',
          quoteAsset: 'USDT',
          filters: [
            { filterType: 'PRICE_FILTER', minPrice: '0', maxPrice: '0', tickSize: '0.01' },
            { filterType: 'LOT_SIZE', minQty: '0.0001', maxQty: '100000000', stepSize: '0.0001' },
          ],
        },
      ],
    }));
    const huge = refusal(() => place('alice', { side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '90000000000.00', quantity: '99999' }));
    expect([huge.status, huge.code, huge.message]).to.deep.equal([400, -2010, 'Account has insufficient balance for requested action.']);
    seed(sim, 'BUY', '1.00', '1');
    const overflow = refusal(() => place('alice', { side: 'SELL', type: 'MARKET', quoteOrderQty: '99999999999999999999' }));
    expect([overflow.code, overflow.message]).to.deep.equal([-1108, "Parameter 'quoteOrderQty' overflowed."]);
  });
});
