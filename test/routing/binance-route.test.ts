// End to end over real sockets: a member's FIX orders routed by the venue to the Binance simulator (REST orders,
// WebSocket API user data stream), answered with ordinary ExecutionReports to the member and to drop copy.

import { expect } from 'chai';
import { BinanceRestClient } from '../../src/routing/binance/rest-client.js';
import { hmacSigner } from '../../src/routing/binance/signing.js';
import type { FixTestClient } from '../support/fix-test-client.js';
import type { TestVenue } from '../support/test-venue.js';
import { SOH } from '../support/fix-test-client.js';
import {
  binanceRoute, execTypes, sendCancel, sendOrder, sendReplace, simulatorConfig, startBinanceSimulator, startRoutedVenue, waitUntil,
  type BinanceSimulator,
} from './support/routing-fixture.js';

describe('routing: orders routed to Binance (simulator), end to end', function () {
  this.timeout(20000);
  let sim: BinanceSimulator;
  let venue: TestVenue;
  let member: FixTestClient;
  let dropCopy: FixTestClient;
  let trader: BinanceRestClient;

  beforeEach(async () => {
    sim = await startBinanceSimulator(simulatorConfig());
    venue = await startRoutedVenue({ routes: [binanceRoute(sim)], instruments: { BTCUSDT: { route: 'BINANCE', fallback: null } } });
    member = await venue.logon('BROKER1');
    dropCopy = await venue.logon('COMPLIANCE');
    trader = new BinanceRestClient({ endpoints: { restBaseUrl: sim.restUrl }, apiKey: 'sim-trader-key', signer: hmacSigner('sim-trader-secret') });
  });
  afterEach(async () => {
    await trader.close();
    await venue.dispose();
    await sim.close();
  });

  function offer(price: string, qty: string): void {
    sim.placeOrder('market-maker', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price, quantity: qty });
  }

  it('fills at Binance and reports PendingNew, New and the routed-out fill to the member and to drop copy', async () => {
    expect(venue.app.routing?.router.routes()).to.deep.equal([{ name: 'BINANCE', state: 'up', reason: '' }]);
    offer('60000.00', '0.5');
    sendOrder(member, 'R1', { 38: '0.010' });
    const pendingNew = await member.er('R1', 'A');
    expect(pendingNew.get(39)).to.equal('A');
    const fill = await member.er('R1', 'F');
    expect([fill.get(31), fill.get(32), fill.get(14), fill.get(151), fill.get(39), fill.get(851), fill.get(30)]).to.deep.equal(
      ['60000.00', '0.01000', '0.01000', '0.00000', '2', '3', 'BINANCE'],
    );
    expect(execTypes(member, 'R1')).to.deep.equal(['A', '0', 'F']);
    const copy = await dropCopy.next((m) => m.type === '8' && m.get(11) === 'R1' && m.get(150) === 'F');
    expect([copy.get(797), copy.get(17)]).to.deep.equal(['Y', fill.get(17)]);
    // At Binance: one order, one trade, for the venue's account.
    const trades = await trader.myTrades({ symbol: 'BTCUSDT' });
    expect(trades.ok && trades.value.map((t) => [t.price, t.qty])).to.deep.equal([['60000.00000000', '0.01000000']]);
    expect(venue.app.routing?.router.routeCounters()['BINANCE']).to.include({ ordersRouted: 1, fills: 1 });
    // Risk counts the fill in the member's positions like any trade.
    const positions = venue.app.risk.positions({ account: 'B1-MAIN' }).map((p) => [p.asset, p.net]);
    expect(positions).to.deep.include.members([['BTC', '0.01'], ['USDT', '-600']]);
    // The execution record keeps the routed steps, the fill with Binance's trade id.
    await venue.app.record.flush();
    const steps = await venue.app.record.eventsBetween({ from: 0, to: Date.now() + 1000, types: ['routed'] });
    expect(steps.map((e) => (e.type === 'routed' ? [e.kind, e.route, e.price, e.qty, e.execId === String(trades.ok && trades.value[0]!.id)] : []))).to.deep.equal([
      ['new', 'BINANCE', '', '', false],
      ['fill', 'BINANCE', '60000.00', '0.01000', true],
    ]);
  });

  it('cancels at Binance: PendingCancel first, then Cancelled answering the cancel request', async () => {
    sendOrder(member, 'C1', { 44: '59000.00' });
    await member.er('C1', '0');
    expect(sim.state().openOrders).to.equal(1);
    sendCancel(member, 'C1-X', 'C1');
    const pending = await member.er('C1-X', '6');
    expect([pending.get(41), pending.get(39)]).to.deep.equal(['C1', '6']);
    const done = await member.er('C1-X', '4');
    expect([done.get(41), done.get(39), done.get(151)]).to.deep.equal(['C1', '4', '0.00000']);
    expect(sim.state().openOrders).to.equal(0);
    expect(venue.app.journal.venue.liveOrders()).to.deep.equal([]);
  });

  it('cancel on disconnect reaches routed orders: cancelled at Binance, the drop copy sees why', async () => {
    sendOrder(member, 'D1', { 44: '59000.00' });
    await member.er('D1', '0');
    member.close(); // BROKER1's session cancels its orders on disconnect
    const pending = await dropCopy.next((m) => m.type === '8' && m.get(11) === 'D1' && m.get(150) === '6');
    expect(pending.get(39)).to.equal('6');
    const cancelled = await dropCopy.next((m) => m.type === '8' && m.get(11) === 'D1' && m.get(150) === '4');
    expect(cancelled.get(58)).to.equal('cancelled on disconnect');
    expect(sim.state().openOrders).to.equal(0);
  });

  it('refuses locally what Binance\'s filters would refuse, and passes on Binance\'s own refusals with code and msg', async () => {
    sendOrder(member, 'F1', { 38: '0.0015' }); // fine on the venue's lot, not on Binance's step of 0.001
    const local = await member.er('F1', '8');
    expect(local.get(58)).to.equal('refused locally -1013: Filter failure: LOT_SIZE');
    expect(execTypes(member, 'F1')).to.deep.equal(['A', '8']);
    sendOrder(member, 'F2', { 38: '20', 44: '60000.00' }); // 1.2M USDT; the account holds 1M
    const binance = await member.er('F2', '8');
    expect(binance.get(58)).to.match(/^Binance -2010: Account has insufficient balance/);
    expect(venue.app.journal.venue.liveOrders()).to.deep.equal([]);
  });

  it('a 5xx after the order executed: never sent twice, reconciled by client order id, the member gets the truth', async () => {
    offer('60000.00', '0.5');
    sim.faults.failNext({ status: 503, execute: true, endpoint: 'order' });
    sendOrder(member, 'U1', { 38: '0.020' });
    const fill = await member.er('U1', 'F');
    expect([fill.get(32), fill.get(39)]).to.deep.equal(['0.02000', '2']);
    const trades = await trader.myTrades({ symbol: 'BTCUSDT' });
    expect(trades.ok && trades.value.length).to.equal(1);
    expect(venue.app.routing?.router.routeCounters()['BINANCE']?.outcomeUnknown).to.equal(1);
    await waitUntil('route up again', () => venue.app.routing?.router.routes()[0]?.state === 'up');
  });

  it('a 5xx before the order executed: Binance has no such order, so the member\'s order is rejected, not re-sent', async () => {
    sim.faults.failNext({ status: 503, execute: false, endpoint: 'order' });
    sendOrder(member, 'U2', { 44: '59000.00' });
    const rejected = await member.er('U2', '8');
    expect(rejected.get(58)).to.match(/^not executed at BINANCE/);
    expect(sim.state().openOrders).to.equal(0);
  });

  it('a dropped user data stream: the fill made meanwhile is recovered on reconnection, exactly once', async () => {
    sendOrder(member, 'W1', { 38: '0.010', 44: '60000.00' });
    await member.er('W1', '0');
    sim.faults.refuseWebSocket = true;
    sim.dropUserStreams();
    await waitUntil('route down', () => venue.app.routing?.router.routes()[0]?.state === 'down');
    offer('60000.00', '0.010'); // trades with our resting order while nobody listens
    sim.faults.refuseWebSocket = false;
    const fill = await member.er('W1', 'F');
    expect([fill.get(32), fill.get(39)]).to.deep.equal(['0.01000', '2']);
    await waitUntil('route up', () => venue.app.routing?.router.routes()[0]?.state === 'up');
    expect(execTypes(member, 'W1').filter((t) => t === 'F')).to.have.length(1);
    expect(venue.app.routing?.router.routeCounters()['BINANCE']?.fills).to.equal(1);
  });

  it('replaces at Binance by cancel + new for exactly what is left, under the member\'s new ClOrdID', async () => {
    sendOrder(member, 'P1', { 38: '0.010', 44: '59000.00' });
    await member.er('P1', '0');
    offer('59000.00', '0.004');
    const partial = await member.er('P1', 'F');
    expect(partial.get(14)).to.equal('0.00400');
    sendReplace(member, 'P1-R', 'P1', { 38: '0.020', 44: '59500.00' });
    await member.er('P1-R', 'E');
    const replaced = await member.er('P1-R', '5');
    expect([replaced.get(38), replaced.get(14), replaced.get(151), replaced.get(44), replaced.get(39)]).to.deep.equal(
      ['0.02000', '0.00400', '0.01600', '59500.00', '1'],
    );
    const open = await trader.openOrders('BTCUSDT');
    expect(open.ok && open.value.map((o) => [o.price, o.origQty, o.executedQty])).to.deep.equal([['59500.00000000', '0.01600000', '0.00000000']]);
    offer('59500.00', '0.016');
    const done = await member.er('P1-R', 'F');
    expect([done.get(14), done.get(151), done.get(39)]).to.deep.equal(['0.02000', '0.00000', '2']);
  });

  it('a restart with an open routed order: reconciled at start, the fill made while the venue was down reaches the member', async () => {
    const broker2 = await venue.logon('BROKER2'); // BROKER1's session cancels its orders on disconnect
    sendOrder(broker2, 'S1', { 38: '0.010', 44: '60000.00' });
    await broker2.er('S1', '0');
    const nextSeq = broker2.seq;
    await venue.stop();
    offer('60000.00', '0.010'); // fills the routed order while the venue is down
    venue = await venue.restart();
    await waitUntil('routed order reconciled', () => venue.app.journal.venue.routedOrders().length === 0);
    const again = await venue.logon('BROKER2', { seqNum: nextSeq });
    again.send('2', `7=1${SOH}16=0${SOH}`); // resend what was reported while we were away
    const fill = await again.er('S1', 'F');
    expect([fill.get(32), fill.get(39), fill.get(851)]).to.deep.equal(['0.01000', '2', '3']);
    const trades = await trader.myTrades({ symbol: 'BTCUSDT' });
    expect(trades.ok && trades.value.length).to.equal(1);
  });
});
