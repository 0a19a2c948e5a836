// Which route an order takes: the instrument's, or the one its ExDestination(100) names; an unknown ExDestination
// is refused; a route that cannot connect (no credentials) is down and says why, and its orders are refused at once.

import { expect } from 'chai';
import type { FixTestClient } from '../support/fix-test-client.js';
import type { TestVenue } from '../support/test-venue.js';
import { binanceRoute, execTypes, sendOrder, simulatorConfig, startBinanceSimulator, startRoutedVenue, type BinanceSimulator } from './support/routing-fixture.js';

describe('routing: choosing the route', function () {
  this.timeout(20000);
  let sim: BinanceSimulator;
  let venue: TestVenue;
  let member: FixTestClient;

  beforeEach(async () => {
    sim = await startBinanceSimulator(simulatorConfig());
  });
  afterEach(async () => {
    await venue.dispose();
    await sim.close();
  });

  it('ExDestination(100) picks the route over the instrument\'s; an unknown one is refused naming the known ones', async () => {
    venue = await startRoutedVenue({
      routes: [binanceRoute(sim)],
      instruments: { BTCUSDT: { route: 'BINANCE', fallback: null } },
      exDestinations: { BNB: { route: 'BINANCE', fallback: null }, HERE: { route: 'local', fallback: null } },
    });
    member = await venue.logon('BROKER1');
    sim.placeOrder('market-maker', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '3000.00', quantity: '1' });
    sendOrder(member, 'E1', { 55: 'ETHUSDT', 38: '0.5000', 44: '3000.00', 100: 'BNB' }); // a local instrument, sent to Binance
    const fill = await member.er('E1', 'F');
    expect([fill.get(30), fill.get(851), fill.get(32)]).to.deep.equal(['BINANCE', '3', '0.5000']);
    sendOrder(member, 'E2', { 44: '59000.00', 100: 'HERE' }); // a routed instrument, kept on the local book
    await member.er('E2', '0');
    expect(execTypes(member, 'E2')).to.deep.equal(['0']);
    expect(venue.app.journal.venue.book('BTCUSDT')?.bids).to.deep.equal([{ price: 5900000, qty: 1000, orderCount: 1 }]);
    sendOrder(member, 'E3', { 100: 'XYZ' });
    const refused = await member.er('E3', '8');
    expect(refused.get(58)).to.equal('unknown ExDestination(100) XYZ; this venue routes to BNB, HERE');
  });

  it('a route without credentials is down, says why, and its orders are refused at once', async () => {
    venue = await startRoutedVenue({
      routes: [binanceRoute(sim, { credentialsEnvPrefix: 'ROUTING_TEST_MISSING_' })],
      instruments: { BTCUSDT: { route: 'BINANCE', fallback: null } },
    });
    member = await venue.logon('BROKER1');
    const [route] = venue.app.routing!.router.routes();
    expect(route).to.deep.equal({ name: 'BINANCE', state: 'down', reason: 'no credentials: binance: ROUTING_TEST_MISSING_API_KEY is not set' });
    sendOrder(member, 'N1');
    const refused = await member.er('N1', '8');
    expect(refused.get(58)).to.equal('route BINANCE is down (no credentials: binance: ROUTING_TEST_MISSING_API_KEY is not set)');
    expect(venue.app.routing!.router.routeCounters()['BINANCE']).to.include({ refusedDown: 1, ordersRouted: 0 });
    expect(sim.state().openOrders).to.equal(0);
  });
});
