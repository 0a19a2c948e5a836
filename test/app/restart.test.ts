import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const body = FixTestClient.body;

// A restarted venue is the same venue: resting orders are still in the book with their ids, trades from before
// the restart are in trade capture, sequence numbers continue, and ExecIDs are never reused.
describe('venue app: restart', function () {
  this.timeout(30000);
  let venue: TestVenue;

  before(async () => {
    venue = await startTestVenue();
  });
  after(async () => {
    await venue.dispose();
  });

  it('keeps books, ids, trades and sequence numbers across a restart', async () => {
    const b1 = await venue.logon('BROKER1');
    const b2 = await venue.logon('BROKER2');
    // BROKER2's resting order (BROKER1 cancels on disconnect, BROKER2 does not).
    b2.send('D', body([[11, 'RS1'], [38, '2'], [40, '2'], [44, '3000.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    const ack = await b2.er('RS1', '0');
    b1.send('D', body([[11, 'RS2'], [38, '0.5'], [40, '2'], [44, '3000.00'], [54, '2'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    const fill = await b1.er('RS2', 'F');
    const b1Seq = b1.seq;
    const b2Seq = b2.seq;
    await b1.logout();
    await b2.logout();

    venue = await venue.restart();

    const again = new FixTestClient({ port: venue.port, senderCompId: 'BROKER2', targetCompId: 'VENUE', password: 'broker2-secret', seqNum: b2Seq + 1 });
    const logon = await again.logon();
    expect(logon.type).to.equal('A');
    // Its sequence numbers continued: the venue's Logon is not 1.
    expect(Number(logon.get(34))).to.be.greaterThan(3);
    again.send('H', body([[11, 'RS1'], [54, '1'], [55, 'ETHUSDT']]));
    const status = await again.er('RS1', 'I');
    expect(status.get(37)).to.equal(ack.get(37));
    expect(status.get(39)).to.equal('1');
    expect(status.get(151)).to.equal('1.5000');
    // A new order gets an ExecID past every one issued before the restart.
    again.send('D', body([[11, 'RS3'], [38, '1'], [40, '2'], [44, '2990.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    const newAck = await again.er('RS3', '0');
    expect(Number(newAck.get(17))).to.be.greaterThan(Number(fill.get(17)!.replace(/\D/g, '')));
    expect(Number(newAck.get(37))).to.be.greaterThan(Number(ack.get(37)));
    // Trade capture still has the trade from before the restart.
    const dc = await venue.logon('COMPLIANCE');
    const from = stamp(new Date(Date.now() - 3600_000));
    dc.send('AD', body([[568, 'TC1'], [569, '1'], [580, '1'], [60, from]]));
    const ackTc = await dc.next((m) => m.type === 'AQ');
    expect(ackTc.get(748)).to.equal('1');
    const report = await dc.next((m) => m.type === 'AE');
    expect(report.get(32)).to.equal('0.5000');
    expect(report.get(31)).to.equal('3000.00');
    await again.logout();
    void b1Seq;
  });
});
