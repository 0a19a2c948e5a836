// Our thin REST client against the Binance simulator over real sockets: orders, queries, cancels,
// cancel-replace, amend, account; local refusals (format, filters) that never reach the exchange; Binance
// errors mapped to typed results; 5xx / -1007 / no answer as 'outcome-unknown' reconciled by client order
// id; and the governor backing off after 429 and refusing during a 418 ban.

import { expect } from 'chai';
import { BinanceOrderTracker } from '../../../src/routing/binance/order-tracker.js';
import { BinanceRestClient } from '../../../src/routing/binance/rest-client.js';
import { failureText, type BinanceFailure, type BinanceResult } from '../../../src/routing/binance/result.js';
import { ed25519Signer, hmacSigner } from '../../../src/routing/binance/signing.js';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { seed, startTestSimulator, SYMBOL, type TestKeys } from '../../simulators/binance/support/sim-fixture.js';

function ok<T>(r: BinanceResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.kind} ${r.status} ${r.code} ${r.msg}`);
  return r.value;
}

function failed<T>(r: BinanceResult<T>): BinanceFailure {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r;
}

describe('binance client: REST against the simulator', () => {
  let sim: BinanceSimulator;
  let keys: TestKeys;
  let client: BinanceRestClient;

  function clientFor(apiKey: string, secret: string, extra: Partial<ConstructorParameters<typeof BinanceRestClient>[0]> = {}): BinanceRestClient {
    return new BinanceRestClient({ endpoints: { restBaseUrl: sim.restUrl }, apiKey, signer: hmacSigner(secret), ...extra });
  }

  async function start(overrides: Record<string, unknown> = {}): Promise<void> {
    ({ sim, keys } = await startTestSimulator(overrides));
    client = clientFor(keys.alice.apiKey, keys.alice.secret);
  }

  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  describe('orders and queries', () => {
    beforeEach(() => start());

    it('places, fills, queries, lists, cancels; decimals travel exactly as written; usage headers are exposed', async () => {
      ok(await client.exchangeInfo([SYMBOL]));
      seed(sim, 'SELL', '60000.10', '0.3');
      const res = await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000.30', quantity: '0.30000000', newClientOrderId: 'c-1' });
      const order = ok(res);
      expect(order).to.include({ status: 'FILLED', executedQty: '0.30000000', cummulativeQuoteQty: '18000.03000000', clientOrderId: 'c-1' });
      expect(order.fills![0]).to.include({ price: '60000.10000000', commissionAsset: 'BTC', commission: '0.00030000' });
      if (res.ok) expect(res.usage.orderCount).to.deep.equal({ '10S': 1, '1D': 1 });
      expect(client.usage.usedWeight['1M']).to.equal(20); // exchangeInfo; a successful order costs 0

      const resting = ok(await client.newOrder({ symbol: SYMBOL, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '70000', quantity: '0.1', newClientOrderId: 'c-2', newOrderRespType: 'ACK' }));
      expect(Object.keys(resting)).to.deep.equal(['symbol', 'orderId', 'orderListId', 'clientOrderId', 'transactTime']);
      expect(ok(await client.queryOrder({ symbol: SYMBOL, origClientOrderId: 'c-2' }))).to.include({ status: 'NEW', origQty: '0.10000000' });
      expect(ok(await client.openOrders(SYMBOL)).map((o) => o.clientOrderId)).to.deep.equal(['c-2']);
      expect(ok(await client.cancelOrder({ symbol: SYMBOL, origClientOrderId: 'c-2', newClientOrderId: 'cancel-c-2' }))).to.include({
        status: 'CANCELED',
        clientOrderId: 'cancel-c-2',
        origClientOrderId: 'c-2',
      });
      const trades = ok(await client.myTrades({ symbol: SYMBOL, orderId: order.orderId }));
      expect(trades.map((t) => [t.price, t.qty, t.isBuyer, t.isMaker])).to.deep.equal([['60000.10000000', '0.30000000', true, false]]);
      const account = ok(await client.account(true));
      expect(account.balances.find((b) => b.asset === 'USDT')).to.deep.equal({ asset: 'USDT', free: '81999.97000000', locked: '0.00000000' });
      expect(ok(await client.findOrder(SYMBOL, 'never'))).to.equal(null);
    });

    it('refuses locally, with Binance\'s code and message, what Binance would refuse; nothing reaches the exchange', async () => {
      ok(await client.exchangeInfo());
      const weightBefore = client.usage.usedWeight['1M'];
      const offTick = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000.001', quantity: '0.1' }));
      expect(offTick).to.include({ kind: 'invalid', code: -1013, msg: 'Filter failure: PRICE_FILTER', status: 0 });
      expect(failureText(offTick)).to.equal('refused locally -1013: Filter failure: PRICE_FILTER');
      const exponent = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '6e4', quantity: '0.1' }));
      expect(exponent).to.include({ kind: 'invalid', code: -1100 });
      const notional = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '1.00', quantity: '0.0001' }));
      expect(notional.msg).to.equal('Filter failure: NOTIONAL');
      const noTif = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', price: '60000', quantity: '0.1' }));
      expect(noTif.code).to.equal(-1102);
      ok(await client.ping());
      expect(client.usage.usedWeight['1M']).to.equal((weightBefore ?? 0) + 1); // only the ping reached the simulator
      expect(sim.state().openOrders).to.equal(0);
    });

    it('maps Binance refusals to typed results: balance, signature, timestamp, unknown order', async () => {
      const poor = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000', quantity: '5' }));
      expect(poor).to.include({ kind: 'rejected', status: 400, code: -2010, msg: 'Account has insufficient balance for requested action.' });
      expect(failureText(poor)).to.equal('Binance -2010: Account has insufficient balance for requested action.');
      const forger = clientFor(keys.alice.apiKey, 'wrong');
      expect(failed(await forger.account())).to.include({ kind: 'rejected', code: -1022 });
      await forger.close();
      sim.setClockOffset(30_000);
      expect(failed(await client.account())).to.include({ kind: 'rejected', code: -1021 });
      sim.setClockOffset(0);
      expect(failed(await client.cancelOrder({ symbol: SYMBOL, orderId: 999 }))).to.include({ kind: 'rejected', code: -2011, msg: 'Unknown order sent.' });
    });

    it('cancel-replaces (409 partial failure carries the halves) and amends keeping priority', async () => {
      ok(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.2', newClientOrderId: 'r-1' }));
      const replaced = ok(
        await client.cancelReplace({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50001', quantity: '0.2', cancelReplaceMode: 'STOP_ON_FAILURE', cancelOrigClientOrderId: 'r-1', newClientOrderId: 'r-2' }),
      );
      expect([replaced.cancelResult, replaced.newOrderResult]).to.deep.equal(['SUCCESS', 'SUCCESS']);
      const partial = failed(
        await client.cancelReplace({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50002', quantity: '0.2', cancelReplaceMode: 'ALLOW_FAILURE', cancelOrigClientOrderId: 'gone', newClientOrderId: 'r-3' }),
      );
      expect(partial).to.include({ kind: 'rejected', status: 409, code: -2021 });
      expect(partial.kind === 'rejected' && partial.data).to.deep.include({ cancelResult: 'FAILURE', newOrderResult: 'SUCCESS' });
      const amended = ok(await client.amendKeepPriority({ symbol: SYMBOL, origClientOrderId: 'r-2', newQty: '0.05', newClientOrderId: 'r-2b' }));
      expect(amended.amendedOrder).to.include({ qty: '0.05000000', clientOrderId: 'r-2b' });
      expect(ok(await client.openOrders(SYMBOL)).map((o) => o.clientOrderId).sort()).to.deep.equal(['r-2b', 'r-3']);
    });

    it('signs with Ed25519 when given an Ed25519 key', async () => {
      const carol = new BinanceRestClient({ endpoints: { restBaseUrl: sim.restUrl }, apiKey: keys.carol.apiKey, signer: ed25519Signer(keys.carol.privateKeyPem) });
      try {
        const placed = ok(await carol.newOrder({ symbol: SYMBOL, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '65000', quantity: '0.01', newClientOrderId: 'ed-1' }));
        expect(placed.status).to.equal('NEW');
        expect(ok(await carol.account()).balances.find((b) => b.asset === 'BTC')).to.deep.equal({ asset: 'BTC', free: '9.99000000', locked: '0.01000000' });
      } finally {
        await carol.close();
      }
    });

    it('test orders, market data, and cancelling all open orders', async () => {
      expect(ok(await client.testOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.1' }))).to.deep.equal({});
      expect(failed(await client.testOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000', quantity: '2' }))).to.include({ code: -2010 });
      expect(sim.state().openOrders).to.equal(0); // a test order is never placed
      seed(sim, 'SELL', '60000.50', '0.25');
      expect(ok(await client.depth(SYMBOL, 5))).to.deep.include({ asks: [['60000.50000000', '0.25000000']], bids: [] });
      ok(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'MARKET', quantity: '0.05' }));
      expect(ok(await client.avgPrice(SYMBOL))).to.include({ mins: 5, price: '60000.50000000' });
      for (const id of ['x-1', 'x-2']) ok(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.01', newClientOrderId: id }));
      const cancelled = ok(await client.cancelOpenOrders(SYMBOL));
      expect(cancelled.map((o) => [o.origClientOrderId, o.status])).to.deep.equal([['x-1', 'CANCELED'], ['x-2', 'CANCELED']]);
      expect(failed(await client.cancelOpenOrders(SYMBOL))).to.include({ code: -2011 });
    });

    it('a WAF 403 is a refusal that did not execute', async () => {
      sim.faults.failNext({ endpoint: 'any', status: 403, code: 0, msg: 'Forbidden', execute: false });
      expect(failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.1' }))).to.include({ kind: 'rejected', status: 403 });
      expect(sim.state().openOrders).to.equal(0);
    });
  });

  describe('unknown outcomes', () => {
    beforeEach(() => start());

    it('a 503 after execution is outcome-unknown, never retried; reconciling by client order id finds the order and its fill', async () => {
      seed(sim, 'SELL', '60000', '0.1');
      sim.faults.failNext({ status: 503, execute: true });
      const res = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000', quantity: '0.1', newClientOrderId: 'u-1' }));
      expect(res).to.include({ kind: 'outcome-unknown', status: 503 });
      expect(sim.exchange.ledger.orders.size).to.equal(2); // seed + ours, exactly once
      const tracker = new BinanceOrderTracker(client);
      const fills: string[] = [];
      tracker.on('fill', (f) => fills.push(`${f.clientOrderId} ${f.qty}@${f.price} ${f.source}`));
      const found = await tracker.reconcileOne(SYMBOL, 'u-1');
      expect(found).to.include({ status: 'FILLED', clientOrderId: 'u-1' });
      expect(fills).to.deep.equal(['u-1 0.10000000@60000.00000000 reconcile']);
    });

    it('-1007 before execution is outcome-unknown; reconciling finds no order', async () => {
      sim.faults.failNext({ code: -1007, execute: false });
      const res = failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.1', newClientOrderId: 'u-2' }));
      expect(res).to.include({ kind: 'outcome-unknown', status: 408, code: -1007 });
      const tracker = new BinanceOrderTracker(client);
      const missing: string[] = [];
      tracker.on('missing', (_s, id) => missing.push(id));
      expect(await tracker.reconcileOne(SYMBOL, 'u-2')).to.equal(null);
      expect(missing).to.deep.equal(['u-2']);
    });

    it('a cancel answered 5xx is outcome-unknown too; a read without an answer, or an order never sent, is unavailable', async () => {
      ok(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.1', newClientOrderId: 'u-3' }));
      sim.faults.failNext({ endpoint: 'cancel', status: 502, execute: true });
      expect(failed(await client.cancelOrder({ symbol: SYMBOL, origClientOrderId: 'u-3' }))).to.include({ kind: 'outcome-unknown', status: 502 });
      expect(ok(await client.findOrder(SYMBOL, 'u-3'))).to.include({ status: 'CANCELED' });
      await sim.close();
      expect(failed(await client.account())).to.include({ kind: 'unavailable', status: 0 }); // connection refused
      expect(failed(await client.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.1' }))).to.include({ kind: 'unavailable' }); // never sent
      ({ sim } = await startTestSimulator()); // for afterEach
    });

    it('no answer within the timeout is outcome-unknown for an order', async () => {
      const impatient = clientFor(keys.alice.apiKey, keys.alice.secret, { timeoutMs: 200 });
      try {
        sim.hangRest(true);
        const res = failed(await impatient.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '50000', quantity: '0.1', newClientOrderId: 'u-4' }));
        expect(res).to.include({ kind: 'outcome-unknown', status: 0 });
        expect(res.msg).to.match(/Timeout/i);
        sim.hangRest(false);
        expect(ok(await impatient.findOrder(SYMBOL, 'u-4'))).to.equal(null); // the simulator held it unprocessed
      } finally {
        await impatient.close();
      }
    });
  });

  describe('rate limits', () => {
    it('backs off after a 429 without sending again, and refuses locally during a 418 ban until it ends', async () => {
      await start({
        rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 60 }],
        banAfterViolations: 1,
        banBaseSeconds: 1,
      });
      sim.setClockOffset(60_000 - (Date.now() % 60_000)); // a fresh interval for the whole test
      // Our governor does not know the simulator's small limit (no exchangeInfo), so Binance answers 429.
      let remote: BinanceFailure | undefined;
      for (let i = 0; i < 10 && remote === undefined; i++) {
        const r = await client.depth(SYMBOL, 1000); // weight 50, unsigned (the simulator's clock is moved)
        if (!r.ok) remote = r;
      }
      expect(remote).to.include({ kind: 'throttled', status: 429, local: false, banned: false, code: -1003 });
      const seen = sim.limits.usedWeight('127.0.0.1', sim.now())[0]!.used;
      for (let i = 0; i < 5; i++) expect(failed(await client.ping())).to.include({ kind: 'throttled', local: true, banned: false });
      expect(sim.limits.usedWeight('127.0.0.1', sim.now())[0]!.used).to.equal(seen); // nothing was sent

      // Someone else on our IP ignores the 429: the IP gets banned; our next request meets the ban.
      for (let i = 0; i < 3; i++) await fetch(`${sim.restUrl}/api/v3/ping`);
      const other = clientFor(keys.bob.apiKey, keys.bob.secret);
      try {
        const ban = failed(await other.ping());
        expect(ban).to.include({ kind: 'throttled', status: 418, banned: true, local: false });
        expect(ban.msg).to.match(/IP banned until/);
        const local = failed(await other.ping());
        expect(local).to.include({ kind: 'throttled', banned: true, local: true });
        // Once the ban (1 s by the Retry-After it gave) is over, the governor lets requests through again.
        // (The simulator's clock jumps to the next interval so its weight limit does not refuse them.)
        sim.setClockOffset(sim.now() - Date.now() + 60_000);
        await eventuallyAsync(async () => ((await other.ping()).ok ? true : undefined), 5000, 'the ban to end');
      } finally {
        await other.close();
      }
    });
  });
});

async function eventuallyAsync<T>(check: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
