// End to end over real sockets: venue A routes ETHUSDT to venue B (a second instance of our own venue) over a FIX
// 4.4 initiator session. Members of A trade with members of B; fills, cancels and replaces come back to A's member
// as A's own ExecutionReports. Route down: fast refusal, failover to the local book, a cancel held until B is back.

import { expect } from 'chai';
import type { FixRouteSettings } from '../../src/config/routing-section.js';
import type { VenueSettings } from '../../src/config/settings.js';
import { SOH, stamp, type FixTestClient } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';
import { execTypes, sendCancel, sendOrder, sendReplace, startRoutedVenue, waitUntil } from './support/routing-fixture.js';

const ROUTE_PASSWORD = 'venue-a-route-secret';

/** Venue B knows venue A as an order-entry member session "VENUE" of firm BROKER1. */
function asVenueB(s: VenueSettings): void {
  s.compId = 'VENUE2';
  s.sessions.push({
    id: 'VENUE', role: 'order-entry', firm: 'BROKER1', entitledFirms: [], password: ROUTE_PASSWORD, resetOnLogon: false,
    cancelOnDisconnect: false, throttle: { messagesPerSecond: 0, logoutAfterSeconds: 0 }, allowedIps: [],
    dictionary: s.fix.dictionary,
  });
}

function fixRoute(port: number): FixRouteSettings {
  return {
    type: 'fix', name: 'VENUE2', host: '127.0.0.1', port, senderCompId: 'VENUE', targetCompId: 'VENUE2', password: ROUTE_PASSWORD,
    passwordEnv: '', username: '', heartbeatSeconds: 30, resetOnLogon: false, tls: null, reconnectMinMs: 50, reconnectMaxMs: 200,
    account: '', symbols: {}, clientOrderIdPrefix: 'f', reconcileIntervalMs: 100, startWaitMs: 3000,
  };
}

function eth(fields: Record<number, string>): Record<number, string> {
  return { 55: 'ETHUSDT', 38: '1.0000', 44: '3000.00', ...fields };
}

function sell(client: FixTestClient, clOrdId: string, price: string, qty: string): void {
  const f: Record<number, string> = { 11: clOrdId, 55: 'ETHUSDT', 54: '2', 38: qty, 40: '2', 44: price, 59: '1', 60: stamp() };
  client.send('D', Object.entries(f).map(([t, v]) => `${t}=${v}${SOH}`).join(''));
}

describe('routing: orders routed to another venue over a FIX initiator session', function () {
  this.timeout(30000);
  let venueB: TestVenue;
  let venueA: TestVenue;
  let memberA: FixTestClient;
  let sellerB: FixTestClient;

  async function startA(fallback: string | null = null): Promise<void> {
    venueA = await startRoutedVenue({ routes: [fixRoute(venueB.port)], instruments: { ETHUSDT: { route: 'VENUE2', fallback } } });
    memberA = await venueA.logon('BROKER1');
    await waitUntil('route up', () => venueA.app.routing?.router.routes()[0]?.state === 'up');
  }

  beforeEach(async () => {
    venueB = await startTestVenue({ adjust: asVenueB });
    sellerB = await venueB.logon('BROKER2');
  });
  afterEach(async () => {
    await venueA?.dispose();
    await venueB.dispose();
  });

  it('a member of A buys from a member of B: the fill comes back to A\'s member as routed out, A\'s drop copy sees it', async () => {
    await startA();
    const dropA = await venueA.logon('COMPLIANCE');
    sell(sellerB, 'S1', '3000.00', '2.0000');
    await sellerB.er('S1', '0');
    sendOrder(memberA, 'B1', eth({ 38: '1.5000' }));
    const fill = await memberA.er('B1', 'F');
    expect([fill.get(31), fill.get(32), fill.get(39), fill.get(851), fill.get(30), fill.get(37)]).to.deep.equal(['3000.00', '1.5000', '2', '3', 'VENUE2', '1']);
    expect(execTypes(memberA, 'B1')).to.deep.equal(['A', '0', 'F']);
    const sellerFill = await sellerB.er('S1', 'F');
    expect([sellerFill.get(32), sellerFill.get(151)]).to.deep.equal(['1.5000', '0.5000']);
    await dropA.next((m) => m.type === '8' && m.get(11) === 'B1' && m.get(150) === 'F');
    // A's order was filled in full at B; only B's seller's remainder is left there.
    expect(venueB.app.journal.venue.liveOrders().map((o) => o.clOrdId)).to.deep.equal(['S1']);
  });

  it('cancels and replaces pass through: pending first, then B\'s answer under the member\'s ClOrdIDs', async () => {
    await startA();
    sendOrder(memberA, 'O1', eth({ 44: '2990.00' }));
    await memberA.er('O1', '0');
    sendReplace(memberA, 'O1-R', 'O1', eth({ 38: '3.0000', 44: '2991.00' }));
    await memberA.er('O1-R', 'E');
    const replaced = await memberA.er('O1-R', '5');
    expect([replaced.get(41), replaced.get(38), replaced.get(44), replaced.get(39)]).to.deep.equal(['O1', '3.0000', '2991.00', '0']);
    const atB = venueB.app.journal.venue.liveOrders();
    expect(atB.map((o) => [o.qty, o.price])).to.deep.equal([[30000, 299100]]);
    sendCancel(memberA, 'O1-C', 'O1-R', { 55: 'ETHUSDT', 38: '3.0000' });
    await memberA.er('O1-C', '6');
    const cancelled = await memberA.er('O1-C', '4');
    expect([cancelled.get(41), cancelled.get(39)]).to.deep.equal(['O1-R', '4']);
    expect(venueB.app.journal.venue.liveOrders()).to.deep.equal([]);
  });

  it('route down: new orders refused at once with a Text naming the route; a cancel waits and is answered once B is back', async () => {
    await startA();
    sendOrder(memberA, 'K1', eth({ 44: '2990.00' }));
    await memberA.er('K1', '0');
    const portB = venueB.port;
    await venueB.stop();
    await waitUntil('route down', () => venueA.app.routing?.router.routes()[0]?.state === 'down');
    sendOrder(memberA, 'K2', eth({}));
    const refused = await memberA.er('K2', '8');
    expect(execTypes(memberA, 'K2')).to.deep.equal(['8']); // never pending: refused before the journal
    expect(refused.get(58)).to.match(/^route VENUE2 is down \(FIX session VENUE->VENUE2 at 127\.0\.0\.1:\d+ not logged on/);
    sendCancel(memberA, 'K1-C', 'K1', { 55: 'ETHUSDT', 38: '1.0000' });
    await memberA.er('K1-C', '6');
    expect(execTypes(memberA, 'K1-C')).to.deep.equal(['6']);
    venueB = await venueB.restart();
    expect(venueB.port).to.equal(portB);
    const cancelled = await memberA.er('K1-C', '4', 10000);
    expect(cancelled.get(39)).to.equal('4');
  });

  it('route down with a fallback: the order trades on the local book instead', async () => {
    await startA('local');
    await venueB.stop();
    await waitUntil('route down', () => venueA.app.routing?.router.routes()[0]?.state === 'down');
    const sellerA = await venueA.logon('BROKER2');
    sell(sellerA, 'LS', '3000.00', '1.0000');
    await sellerA.er('LS', '0');
    sendOrder(memberA, 'L1', eth({}));
    const fill = await memberA.er('L1', 'F');
    expect([fill.get(851), fill.get(30)]).to.deep.equal(['2', undefined]);
    expect(execTypes(memberA, 'L1')).to.deep.equal(['0', 'F']);
    expect(venueA.app.routing?.router.routeCounters()['VENUE2']?.failedOver).to.equal(2); // the seller's order too
    venueB = await venueB.restart();
  });

  it('a restart of A with an open routed order: the fill B made meanwhile arrives by resend and reaches the member', async () => {
    await startA();
    const buyer = await venueA.logon('BROKER2'); // BROKER1's session would cancel its orders on disconnect
    sendOrder(buyer, 'Z1', eth({ 44: '3000.00' }));
    await buyer.er('Z1', '0');
    const nextSeq = buyer.seq;
    await venueA.stop();
    sell(sellerB, 'ZS', '3000.00', '1.0000'); // trades with A's order at B while A is down
    await sellerB.er('ZS', 'F');
    venueA = await venueA.restart();
    await waitUntil('routed order filled', () => venueA.app.journal.venue.routedOrders().length === 0, 10000);
    const again = await venueA.logon('BROKER2', { seqNum: nextSeq });
    again.send('2', `7=1${SOH}16=0${SOH}`);
    const fill = await again.er('Z1', 'F');
    expect([fill.get(32), fill.get(39), fill.get(30)]).to.deep.equal(['1.0000', '2', 'VENUE2']);
  });

  it('resend recovery: a fill B reported while the route session was down arrives after the reconnect', async () => {
    await startA();
    sendOrder(memberA, 'G1', eth({ 44: '3000.00' }));
    await memberA.er('G1', '0');
    const key = 'FIX.4.4:VENUE2->VENUE';
    const routeSession = venueB.app.fixEngine.session(key)!;
    routeSession.disconnect('test: network cut');
    // B's member trades with A's order at once: B's ExecutionReport to A is stored, to be resent.
    venueB.app.submit({
      type: 'new', time: Date.now(), session: 'BROKER2', firm: 'BROKER2', account: 'B2-MAIN', clOrdId: 'G-SELL', symbol: 'ETHUSDT',
      side: 2, ordType: 2, timeInForce: 1, price: 300000, stopPx: 0, qty: 10000, minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0,
      exDestination: '',
    });
    const fill = await memberA.er('G1', 'F', 10000);
    expect([fill.get(32), fill.get(39)]).to.deep.equal(['1.0000', '2']);
    const info = venueB.app.fixEngine.sessions().find((s) => s.key === key)!;
    expect(info.counters.resendRequestsReceived).to.be.greaterThan(0);
  });
});

describe('routing: a FIX route over TLS with SNI', function () {
  this.timeout(20000);
  const fixture = (name: string): string => `test/fix/transport/fixtures/${name}`;
  let venueB: TestVenue;
  let venueA: TestVenue;

  beforeEach(async () => {
    venueB = await startTestVenue({
      adjust: (s) => {
        asVenueB(s);
        s.fix.tls = { certFile: fixture('venue.test.pem'), keyFile: fixture('venue.test.key'), caFile: '', requestClientCert: false };
      },
    });
  });
  afterEach(async () => {
    await venueA.dispose();
    await venueB.dispose();
  });

  const tlsRoute = (servername: string): FixRouteSettings => ({
    ...fixRoute(venueB.port),
    tls: { servername, caFile: fixture('ca.pem'), certFile: '', keyFile: '', rejectUnauthorized: true },
    startWaitMs: servername === 'venue.test' ? 3000 : 100, // the wrong name never logs on: do not wait for it
  });

  it('connects when the certificate matches the SNI name, and orders fill through it', async () => {
    venueA = await startRoutedVenue({ routes: [tlsRoute('venue.test')], instruments: { ETHUSDT: { route: 'VENUE2', fallback: null } } });
    await waitUntil('route up', () => venueA.app.routing?.router.routes()[0]?.state === 'up');
    venueB.app.submit({
      type: 'new', time: Date.now(), session: 'BROKER2', firm: 'BROKER2', account: 'B2-MAIN', clOrdId: 'T-SELL', symbol: 'ETHUSDT',
      side: 2, ordType: 2, timeInForce: 1, price: 300000, stopPx: 0, qty: 10000, minQty: 0, maxFloor: 0, postOnly: false, expireTime: 0,
      exDestination: '',
    });
    const memberA = await venueA.logon('BROKER1');
    sendOrder(memberA, 'T1', eth({}));
    const fill = await memberA.er('T1', 'F');
    expect([fill.get(30), fill.get(39)]).to.deep.equal(['VENUE2', '2']);
  });

  it('stays down when the certificate does not carry the name asked for', async () => {
    venueA = await startRoutedVenue({ routes: [tlsRoute('wrong.test')], instruments: { ETHUSDT: { route: 'VENUE2', fallback: null } } });
    const [route] = venueA.app.routing!.router.routes();
    expect(route?.state).to.equal('down');
    const memberA = await venueA.logon('BROKER1');
    sendOrder(memberA, 'T2', eth({}));
    expect((await memberA.er('T2', '8')).get(58)).to.match(/^route VENUE2 is down/);
  });
});
