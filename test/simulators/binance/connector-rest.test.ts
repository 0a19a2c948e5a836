// The official @binance/spot connector, unchanged, against our simulator's REST API: if Binance's own
// client works against it, the simulator speaks the API faithfully enough for the paths tested here.

import { expect } from 'chai';
import { Logger, LogLevel } from '@binance/common';
import { BadRequestError, RateLimitBanError, Spot, SpotRestAPI, TooManyRequestsError, UnauthorizedError } from '@binance/spot';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { seed, startTestSimulator, SYMBOL, type TestKeys } from './support/sim-fixture.js';

const { NewOrderSideEnum: Side, NewOrderTypeEnum: Type, NewOrderTimeInForceEnum: Tif, NewOrderNewOrderRespTypeEnum: Resp } = SpotRestAPI;

Logger.getInstance().setMinLogLevel(LogLevel.ERROR);

function restFor(sim: BinanceSimulator, apiKey: string, apiSecret: string): SpotRestAPI.RestAPI {
  const spot = new Spot({ configurationRestAPI: { apiKey, apiSecret, basePath: sim.restUrl, retries: 0, timeout: 5000 } });
  return spot.restAPI!;
}

async function rejection(p: Promise<unknown>): Promise<Error & { code?: number }> {
  try {
    await p;
  } catch (err) {
    return err as Error & { code?: number };
  }
  throw new Error('expected the request to be refused');
}

function balance(balances: { asset?: string; free?: string; locked?: string }[] | undefined, asset: string): { free: string; locked: string } {
  const b = balances?.find((x) => x.asset === asset);
  return { free: b?.free ?? '', locked: b?.locked ?? '' };
}

describe('binance simulator: @binance/spot REST connector', () => {
  let sim: BinanceSimulator;
  let keys: TestKeys;
  let alice: SpotRestAPI.RestAPI;

  beforeEach(async () => {
    ({ sim, keys } = await startTestSimulator());
    alice = restFor(sim, keys.alice.apiKey, keys.alice.secret);
  });
  afterEach(async () => {
    await sim.close();
  });

  it('serves ping, time and exchangeInfo with the symbol filters and rate limits', async () => {
    expect(await (await alice.ping()).data()).to.deep.equal({});
    const time = await (await alice.time()).data();
    expect(Math.abs(Number(time.serverTime) - Date.now())).to.be.lessThan(2000);
    const res = await alice.exchangeInfo({ symbol: SYMBOL });
    expect(res.rateLimits?.[0]).to.include({ rateLimitType: 'REQUEST_WEIGHT', count: 22 }); // ping 1 + time 1 + exchangeInfo 20
    const info = await res.data();
    const s = info.symbols![0]!;
    expect(s.symbol).to.equal(SYMBOL);
    expect(s.filters!.map((f) => f.filterType)).to.include.members([
      'PRICE_FILTER', 'LOT_SIZE', 'MARKET_LOT_SIZE', 'NOTIONAL', 'PERCENT_PRICE_BY_SIDE', 'ICEBERG_PARTS', 'MAX_NUM_ORDERS',
    ]);
    expect(info.rateLimits!.map((l) => l.rateLimitType)).to.include.members(['REQUEST_WEIGHT', 'ORDERS']);
    const bad = await rejection(alice.exchangeInfo({ symbol: 'NOPE' }));
    expect(bad).to.be.instanceOf(BadRequestError);
    expect(bad.code).to.equal(-1121);
  });

  it('fills a LIMIT order against seeded liquidity with a FULL response, and balances move by exactly the fill', async () => {
    seed(sim, 'SELL', '60000.00', '0.5');
    const res = await alice.newOrder({ symbol: SYMBOL, side: Side.BUY, type: Type.LIMIT, timeInForce: Tif.GTC, price: 60100, quantity: 0.2 });
    expect(res.rateLimits!.find((l) => l.rateLimitType === 'ORDERS' && l.interval === 'SECOND')?.count).to.equal(1);
    const order = await res.data();
    expect(order.status).to.equal('FILLED');
    expect(order.executedQty).to.equal('0.20000000');
    expect(order.cummulativeQuoteQty).to.equal('12000.00000000');
    expect(order.fills).to.have.length(1);
    expect(order.fills![0]).to.include({ price: '60000.00000000', qty: '0.20000000', commission: '0.00020000', commissionAsset: 'BTC' });
    const acct = await (await alice.getAccount()).data();
    // 100000 - 0.2 × 60000 (the better price releases the rest of the 60100 lock); 10 + 0.2 - 0.0002 commission.
    expect(balance(acct.balances, 'USDT')).to.deep.equal({ free: '88000.00000000', locked: '0.00000000' });
    expect(balance(acct.balances, 'BTC')).to.deep.equal({ free: '10.19980000', locked: '0.00000000' });
  });

  it('fills a MARKET order across two levels and expires the rest for lack of liquidity', async () => {
    seed(sim, 'SELL', '60000.00', '0.1');
    seed(sim, 'SELL', '60010.00', '0.1');
    const order = await (await alice.newOrder({ symbol: SYMBOL, side: Side.BUY, type: Type.MARKET, quantity: 0.3 })).data();
    expect(order.status).to.equal('EXPIRED');
    expect(order.executedQty).to.equal('0.20000000');
    expect(order.fills!.map((f) => f.price)).to.deep.equal(['60000.00000000', '60010.00000000']);
    expect(order.cummulativeQuoteQty).to.equal('12001.00000000');
  });

  it('rests, queries, lists and cancels an order; the lock is released on cancel', async () => {
    const placed = await (
      await alice.newOrder({ symbol: SYMBOL, side: Side.BUY, type: Type.LIMIT, timeInForce: Tif.GTC, price: 50000, quantity: 0.1, newClientOrderId: 'rest-1', newOrderRespType: Resp.RESULT })
    ).data();
    expect(placed.status).to.equal('NEW');
    expect(placed.fills).to.equal(undefined);
    let acct = await (await alice.getAccount()).data();
    expect(balance(acct.balances, 'USDT')).to.deep.equal({ free: '95000.00000000', locked: '5000.00000000' });
    const queried = await (await alice.getOrder({ symbol: SYMBOL, origClientOrderId: 'rest-1' })).data();
    expect(queried).to.include({ orderId: placed.orderId, status: 'NEW', price: '50000.00000000', isWorking: true });
    const open = await (await alice.getOpenOrders({ symbol: SYMBOL })).data();
    expect(open.map((o) => o.clientOrderId)).to.deep.equal(['rest-1']);
    const cancelled = await (await alice.deleteOrder({ symbol: SYMBOL, orderId: Number(placed.orderId) })).data();
    expect(cancelled).to.include({ status: 'CANCELED', origClientOrderId: 'rest-1' });
    acct = await (await alice.getAccount()).data();
    expect(balance(acct.balances, 'USDT')).to.deep.equal({ free: '100000.00000000', locked: '0.00000000' });
    const again = await rejection(alice.deleteOrder({ symbol: SYMBOL, orderId: Number(placed.orderId) }));
    expect(again.code).to.equal(-2011);
    expect(again.message).to.equal('Unknown order sent.');
    const missing = await rejection(alice.getOrder({ symbol: SYMBOL, origClientOrderId: 'never-sent' }));
    expect(missing.code).to.equal(-2013);
  });

  it('refuses a price off the tick with -1013 Filter failure: PRICE_FILTER', async () => {
    const err = await rejection(alice.newOrder({ symbol: SYMBOL, side: Side.BUY, type: Type.LIMIT, timeInForce: Tif.GTC, price: 50000.005, quantity: 0.1 }));
    expect(err).to.be.instanceOf(BadRequestError);
    expect(err.code).to.equal(-1013);
    expect(err.message).to.equal('Filter failure: PRICE_FILTER');
  });

  it('refuses a decimal outside the format rule with -1100 (a number the connector prints with 21 decimals)', async () => {
    const err = await rejection(alice.newOrder({ symbol: SYMBOL, side: Side.BUY, type: Type.LIMIT, timeInForce: Tif.GTC, price: 1e-21, quantity: 0.1 }));
    expect(err.code).to.equal(-1100);
    expect(err.message).to.equal("Illegal characters found in parameter 'price'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.");
  });

  it('refuses a wrong signature with -1022 and an unknown key with -2015 (HTTP 401)', async () => {
    const wrongSecret = restFor(sim, keys.alice.apiKey, 'not-the-secret');
    const err = await rejection(wrongSecret.getAccount());
    expect(err).to.be.instanceOf(BadRequestError);
    expect(err.code).to.equal(-1022);
    const unknown = restFor(sim, 'nobody', 'x');
    const denied = await rejection(unknown.getAccount());
    expect(denied).to.be.instanceOf(UnauthorizedError);
    expect(denied.code).to.equal(-2015);
  });

  it('refuses a timestamp outside recvWindow, and one 1000 ms ahead of the server, with -1021', async () => {
    sim.setClockOffset(10_000); // the server is 10 s ahead: the connector's timestamp is too old
    const old = await rejection(alice.getAccount());
    expect(old.code).to.equal(-1021);
    expect(old.message).to.equal('Timestamp for this request is outside of the recvWindow.');
    expect(await (await alice.getAccount({ recvWindow: 20000 })).data()).to.have.property('balances');
    sim.setClockOffset(-5_000); // the server is behind: the timestamp is ahead of it
    const ahead = await rejection(alice.getAccount());
    expect(ahead.code).to.equal(-1021);
    expect(ahead.message).to.equal("Timestamp for this request was 1000ms ahead of the server's time.");
  });

  it('cancel-replaces and amends keeping priority', async () => {
    const first = await (await alice.newOrder({ symbol: SYMBOL, side: Side.BUY, type: Type.LIMIT, timeInForce: Tif.GTC, price: 50000, quantity: 0.2, newClientOrderId: 'cr-1' })).data();
    const replaced = await (
      await alice.orderCancelReplace({
        symbol: SYMBOL,
        side: SpotRestAPI.OrderCancelReplaceSideEnum.BUY,
        type: SpotRestAPI.OrderCancelReplaceTypeEnum.LIMIT,
        cancelReplaceMode: SpotRestAPI.OrderCancelReplaceCancelReplaceModeEnum.STOP_ON_FAILURE,
        timeInForce: SpotRestAPI.OrderCancelReplaceTimeInForceEnum.GTC,
        price: 50100,
        quantity: 0.2,
        cancelOrigClientOrderId: 'cr-1',
        newClientOrderId: 'cr-2',
      })
    ).data();
    expect(replaced.cancelResult).to.equal('SUCCESS');
    expect(replaced.newOrderResult).to.equal('SUCCESS');
    expect(replaced.cancelResponse).to.include({ orderId: first.orderId, status: 'CANCELED' });
    const amended = await (await alice.orderAmendKeepPriority({ symbol: SYMBOL, origClientOrderId: 'cr-2', newQty: 0.05, newClientOrderId: 'cr-3' })).data();
    expect(amended.amendedOrder).to.include({ clientOrderId: 'cr-3', origClientOrderId: 'cr-2', qty: '0.05000000', status: 'NEW' });
    const acct = await (await alice.getAccount()).data();
    expect(balance(acct.balances, 'USDT').locked).to.equal('2505.00000000'); // 0.05 × 50100
    const failed = await rejection(
      alice.orderCancelReplace({
        symbol: SYMBOL,
        side: SpotRestAPI.OrderCancelReplaceSideEnum.BUY,
        type: SpotRestAPI.OrderCancelReplaceTypeEnum.LIMIT,
        cancelReplaceMode: SpotRestAPI.OrderCancelReplaceCancelReplaceModeEnum.STOP_ON_FAILURE,
        timeInForce: SpotRestAPI.OrderCancelReplaceTimeInForceEnum.GTC,
        price: 50100,
        quantity: 0.2,
        cancelOrigClientOrderId: 'no-such-order',
      }),
    );
    expect(failed.code).to.equal(-2022);
  });

  it('answers 429 with Retry-After past the weight limit, then bans the IP with 418 when it keeps going', async () => {
    await sim.close();
    ({ sim, keys } = await startTestSimulator({
      rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 40 }],
      banAfterViolations: 2,
    }));
    alice = restFor(sim, keys.alice.apiKey, keys.alice.secret);
    sim.setClockOffset(60_000 - (Date.now() % 60_000)); // start of a fresh 1-minute interval: no rollover mid-test
    const statuses: string[] = [];
    for (let i = 0; i < 30 && !statuses.includes('418'); i++) {
      try {
        await alice.exchangeInfo(); // weight 20
        statuses.push('200');
      } catch (err) {
        if (err instanceof TooManyRequestsError) statuses.push('429');
        else if (err instanceof RateLimitBanError) statuses.push('418');
        else throw err;
      }
    }
    // Two requests fit (weight 40), then 429 until the tolerated violations run out, then the ban.
    expect(statuses.slice(0, 2)).to.deep.equal(['200', '200']);
    expect(statuses.slice(2)).to.deep.equal(['429', '429', '429', '418']);
    const stillBanned = await rejection(alice.ping());
    expect(stillBanned).to.be.instanceOf(RateLimitBanError);
    expect(stillBanned.message).to.match(/^Way too much request weight used; IP banned until \d+\./);
  });
});
