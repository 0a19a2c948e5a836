// Our user data stream client against the simulator's WebSocket API: events, Ed25519, answering the
// server's pings, noticing a silent server, reconnecting after a drop, and recovering a fill that happened
// while the stream was down through the reconciliation hook, exactly once.

import { expect } from 'chai';
import { BinanceOrderTracker, type OrderFill } from '../../../src/routing/binance/order-tracker.js';
import { BinanceRestClient } from '../../../src/routing/binance/rest-client.js';
import { ed25519Signer, hmacSigner } from '../../../src/routing/binance/signing.js';
import { BinanceUserStream, UserStreamAuthError } from '../../../src/routing/binance/user-stream.js';
import type { AccountPositionEvent, ExecutionReportEvent } from '../../../src/routing/binance/types.js';
import type { BinanceSimulator } from '../../../src/simulators/binance/simulator.js';
import { eventually, seed, startTestSimulator, SYMBOL, type TestKeys } from '../../simulators/binance/support/sim-fixture.js';

function waitFor(stream: BinanceUserStream, event: 'disconnected' | 'reconciled' | 'subscribed'): Promise<void> {
  return new Promise((resolve) => stream.once(event, () => resolve()));
}

describe('binance client: user data stream against the simulator', function () {
  this.timeout(10000);
  let sim: BinanceSimulator;
  let keys: TestKeys;
  let rest: BinanceRestClient;
  const streams: BinanceUserStream[] = [];

  function stream(opts: Partial<ConstructorParameters<typeof BinanceUserStream>[0]> = {}): BinanceUserStream {
    const s = new BinanceUserStream({ wsApiUrl: sim.wsApiUrl, apiKey: keys.alice.apiKey, signer: hmacSigner(keys.alice.secret), reconnectInitialMs: 20, reconnectMaxMs: 200, ...opts });
    streams.push(s);
    return s;
  }

  beforeEach(async () => {
    ({ sim, keys } = await startTestSimulator({ wsPingIntervalMs: 40, wsPongTimeoutMs: 400 }));
    rest = new BinanceRestClient({ endpoints: { restBaseUrl: sim.restUrl }, apiKey: keys.alice.apiKey, signer: hmacSigner(keys.alice.secret) });
  });
  afterEach(async () => {
    for (const s of streams.splice(0)) await s.stop();
    await rest.close();
    await sim.close();
  });

  it('delivers executionReport and outboundAccountPosition for our orders', async () => {
    const s = stream();
    const reports: ExecutionReportEvent[] = [];
    const positions: AccountPositionEvent[] = [];
    s.on('executionReport', (e) => reports.push(e));
    s.on('accountPosition', (e) => positions.push(e));
    await s.start();
    expect(s.connected).to.equal(true);
    seed(sim, 'SELL', '60000', '0.1');
    const placed = await rest.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000', quantity: '0.1', newClientOrderId: 's-1' });
    expect(placed.ok).to.equal(true);
    await eventually(() => (reports.length >= 2 && positions.length >= 1 ? true : undefined), 3000, 'events');
    expect(reports.map((r) => `${r.c} ${r.x} ${r.X}`)).to.deep.equal(['s-1 NEW NEW', 's-1 TRADE FILLED']);
    expect(positions[0]!.B.find((b) => b.a === 'BTC')).to.deep.equal({ a: 'BTC', f: '10.09990000', l: '0.00000000' });
  });

  it('subscribes with an Ed25519 key too, and refuses to start on a bad signature', async () => {
    const carol = stream({ apiKey: keys.carol.apiKey, signer: ed25519Signer(keys.carol.privateKeyPem) });
    await carol.start();
    expect(carol.subscriptionId).to.equal(0);
    const forger = stream({ signer: hmacSigner('wrong') });
    const err = await forger.start().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(UserStreamAuthError);
    expect((err as UserStreamAuthError).code).to.equal(-1022);
  });

  it('answers the server\'s pings, so the server keeps the connection past its pong timeout', async () => {
    const s = stream();
    let drops = 0;
    s.on('disconnected', () => drops++);
    await s.start();
    // Absence over time is the point here: several ping intervals and two pong timeouts must pass quietly.
    const until = Date.now() + 900;
    await eventually(() => (Date.now() > until ? true : undefined), 1000, 'time to pass');
    expect(drops).to.equal(0);
    expect(s.connected).to.equal(true);
    expect(sim.state().webSocketConnections).to.equal(1);
  });

  it('notices a silent server by its own heartbeat and reconnects', async () => {
    const s = stream({ heartbeatMs: 50 });
    await s.start();
    sim.faults.hangWebSocket = true;
    await waitFor(s, 'disconnected');
    sim.faults.hangWebSocket = false;
    await waitFor(s, 'subscribed');
    expect(s.connected).to.equal(true);
  });

  it('reconnects after a drop and recovers, exactly once, a fill that happened while it was down', async () => {
    const tracker = new BinanceOrderTracker(rest);
    const fills: OrderFill[] = [];
    tracker.on('fill', (f) => fills.push(f));
    const s = stream({ reconcile: async () => void (await tracker.reconcile()) });
    s.on('executionReport', (e) => tracker.onExecutionReport(e));
    await s.start();

    tracker.track(SYMBOL, 'r-1');
    const placed = await rest.newOrder({ symbol: SYMBOL, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', price: '60000', quantity: '0.3', newClientOrderId: 'r-1' });
    expect(placed.ok).to.equal(true);

    sim.faults.refuseWebSocket = true; // keep it down while the fill happens
    const down = waitFor(s, 'disconnected');
    expect(sim.dropUserStreams()).to.equal(1);
    await down;
    sim.placeOrder('bob', { symbol: SYMBOL, side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', price: '60000', quantity: '0.1' });
    expect(fills).to.have.length(0);

    const reconciled = waitFor(s, 'reconciled');
    sim.faults.refuseWebSocket = false;
    await reconciled;
    expect(fills.map((f) => `${f.qty}@${f.price} ${f.source}`)).to.deep.equal(['0.10000000@60000.00000000 reconcile']);

    // The next fill comes over the new stream; nothing is reported twice.
    sim.placeOrder('bob', { symbol: SYMBOL, side: 'SELL', type: 'LIMIT', timeInForce: 'IOC', price: '60000', quantity: '0.2' });
    await eventually(() => (fills.length >= 2 ? true : undefined), 3000, 'the second fill');
    expect(fills.map((f) => `${f.qty} ${f.source}`)).to.deep.equal(['0.10000000 reconcile', '0.20000000 stream']);
    expect(new Set(fills.map((f) => f.tradeId)).size).to.equal(2);
    expect(tracker.size).to.equal(0); // filled: no longer tracked
  });
});
