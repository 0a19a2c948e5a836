import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const body = FixTestClient.body;
const order = (id: string, side: '1' | '2', qty: string, price: string, symbol = 'ETHUSDT'): string =>
  body([[11, id], [38, qty], [40, '2'], [44, price], [54, side], [55, symbol], [59, '1'], [60, stamp()]]);

describe('gateway: order-entry rules', function () {
  this.timeout(30000);
  let venue: TestVenue;

  before(async () => {
    venue = await startTestVenue({
      adjust: (s) => {
        const b2 = s.sessions.find((x) => x.id === 'BROKER2')!;
        b2.throttle = { messagesPerSecond: 5, logoutAfterSeconds: 0 };
      },
    });
  });
  after(async () => {
    await venue.dispose();
  });

  it('refuses a ClOrdID that is already live on the session as a duplicate', async () => {
    const b1 = await venue.logon('BROKER1', { resetSeqNum: true });
    b1.send('D', order('DUP1', '1', '1', '2900.00'));
    await b1.er('DUP1', '0');
    b1.send('D', order('DUP1', '1', '1', '2901.00'));
    const dup = await b1.er('DUP1', '8');
    expect(dup.get(103)).to.equal('6');
    b1.send('F', body([[11, 'DUP1-C'], [41, 'DUP1'], [54, '1'], [55, 'ETHUSDT'], [60, stamp()]]));
    await b1.er('DUP1-C', '4');
    await b1.logout();
  });

  it('refuses an order type the venue does not offer, naming the ones it does (from venue/model/order-types.ts)', async () => {
    const b1 = await venue.logon('BROKER1', { resetSeqNum: true });
    b1.send('D', body([[11, 'OT1'], [38, '1'], [40, 'K'], [44, '2900.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    const refused = await b1.er('OT1', '8');
    expect(refused.get(103)).to.equal('11');
    expect(refused.get(58)).to.equal('OrdType(40) K is not supported: 1 market, 2 limit, 3 stop, 4 stop limit');
    b1.send('D', body([[11, 'OT2'], [38, '1'], [40, '4'], [44, '2900.00'], [99, '2950.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    await b1.er('OT2', '0');
    await b1.logout();
  });

  it('answers OrderStatusRequest for a live order and for an unknown one', async () => {
    const b1 = await venue.logon('BROKER1', { resetSeqNum: true });
    b1.send('D', order('ST1', '1', '2', '2900.00'));
    const ack = await b1.er('ST1', '0');
    b1.send('H', body([[11, 'ST1'], [54, '1'], [55, 'ETHUSDT']]));
    const status = await b1.er('ST1', 'I');
    expect(status.get(39)).to.equal('0');
    expect(status.get(37)).to.equal(ack.get(37));
    expect(status.get(151)).to.equal('2.0000');
    b1.send('H', body([[11, 'NOPE'], [54, '1'], [55, 'ETHUSDT']]));
    const unknown = await b1.er('NOPE', 'I');
    expect(unknown.get(39)).to.equal('8');
    expect(unknown.get(103)).to.equal('5');
    await b1.logout();
  });

  it('mass status lists the firm’s live orders; mass cancel cancels them and reports how many', async () => {
    const b2 = await venue.logon('BROKER2', { resetSeqNum: true });
    b2.send('D', order('MS1', '2', '1', '3100.00'));
    b2.send('D', order('MS2', '2', '1', '3101.00'));
    await b2.er('MS1', '0');
    await b2.er('MS2', '0');
    b2.send('AF', body([[584, 'REQ1'], [585, '7']]));
    const first = await b2.next((m) => m.type === '8' && m.get(584) === 'REQ1');
    expect(first.get(911)).to.equal('2');
    const second = await b2.next((m) => m.type === '8' && m.get(584) === 'REQ1');
    expect(second.get(912)).to.equal('Y');
    b2.send('q', body([[11, 'MC1'], [530, '1'], [55, 'ETHUSDT'], [60, stamp()]]));
    const report = await b2.next((m) => m.type === 'r');
    expect(report.get(11)).to.equal('MC1');
    expect(report.get(531)).to.equal('1');
    expect(report.get(533)).to.equal('2');
    await b2.er('MS1', '4');
    await b2.er('MS2', '4');
    b2.send('q', body([[11, 'MC2'], [530, '3'], [60, stamp()]]));
    const refused = await b2.next((m) => m.type === 'r' && m.get(11) === 'MC2');
    expect(refused.get(531)).to.equal('0');
    expect(refused.get(58)).to.contain('MassCancelRequestType(530) 3 is not supported');
    await b2.logout();
  });

  it('throttles a session above its message rate with a clear Text', async () => {
    const b2 = await venue.logon('BROKER2', { resetSeqNum: true });
    for (let i = 0; i < 12; i++) b2.send('D', order(`TH${i}`, '2', '1', '3120.00'));
    const rejected = await b2.next((m) => m.type === '8' && m.get(150) === '8' && /throttled/.test(m.get(58) ?? ''));
    expect(rejected.get(58)).to.equal('throttled: more than 5 messages per second');
    await b2.logout();
  });

  it('cancels a session’s orders on disconnect, reports them to drop copy and on the next logon', async () => {
    const dc = await venue.logon('COMPLIANCE', { resetSeqNum: true });
    const b1 = await venue.logon('BROKER1', { resetSeqNum: true });
    b1.send('D', order('COD1', '1', '1', '2950.00'));
    await b1.er('COD1', '0');
    const nextSeq = b1.seq;
    b1.close();
    const copy = await dc.er('COD1', '4');
    expect(copy.get(58)).to.equal('cancelled on disconnect');
    // Reconnect with the same sequence numbers: the venue's Logon shows a gap, the client asks for a resend
    // and gets the cancel it missed.
    const again = new FixTestClient({ port: venue.port, senderCompId: 'BROKER1', targetCompId: 'VENUE', password: 'broker1-secret', seqNum: nextSeq });
    const logon = await again.logon();
    expect(logon.type).to.equal('A');
    again.send('2', body([[7, '1'], [16, '0']]));
    const missed = await again.er('COD1', '4');
    expect(missed.get(43)).to.equal('Y');
    await again.logout();
  });
});
