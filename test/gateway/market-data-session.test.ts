import { expect } from 'chai';
import { FixTestClient } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

// Market data through the running venue: a market-data session subscribes, and a resend request never
// replays stale prices (the venue answers it with a gap fill over market data messages).
describe('gateway: market data sessions', function () {
  this.timeout(20000);
  let venue: TestVenue;
  let md: FixTestClient;
  let b1: FixTestClient;

  before(async () => {
    venue = await startTestVenue();
    md = await venue.logon('MDFEED');
    b1 = await venue.logon('BROKER1');
  });
  after(async () => {
    await venue.dispose();
  });

  it('streams book changes and gap-fills a resend of them instead of replaying old prices', async () => {
    md.send('V', FixTestClient.body([[262, 'M1'], [263, '1'], [264, '0'], [265, '1'], [267, '2'], [269, '0'], [269, '1'], [146, '1'], [55, 'BTCUSDT']]));
    const snapshot = await md.next((m) => m.type === 'W');
    expect(snapshot.get(55)).to.equal('BTCUSDT');
    b1.send('D', FixTestClient.body([[11, 'MD1'], [38, '0.1'], [40, '2'], [44, '59000.00'], [54, '1'], [55, 'BTCUSDT'], [59, '1'], [60, '20261125-00:00:00.000']]));
    const update = await md.next((m) => m.type === 'X');
    expect(update.list).to.deep.include([270, '59000.00']);
    const lastSeq = Number(update.get(34));
    md.send('2', FixTestClient.body([[7, '2'], [16, '0']]));
    const gapFill = await md.next((m) => m.type === '4');
    expect(gapFill.get(123)).to.equal('Y');
    expect(gapFill.get(43)).to.equal('Y');
    expect(Number(gapFill.get(36))).to.equal(lastSeq + 1);
    expect(md.pending().filter((m) => m.type === 'W' || m.type === 'X')).to.have.length(0);
  });
});
