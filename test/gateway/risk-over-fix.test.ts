import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const body = FixTestClient.body;

// Pre-trade risk as a member sees it: refusals come back as ExecutionReports naming the limit and both numbers,
// a kill switch cancels the firm's orders (to the owner and to drop copy) and refuses new ones until released.
describe('gateway: pre-trade risk over FIX', function () {
  this.timeout(20000);
  let venue: TestVenue;
  let b1: FixTestClient;
  let dc: FixTestClient;

  before(async () => {
    venue = await startTestVenue();
    b1 = await venue.logon('BROKER1');
    dc = await venue.logon('COMPLIANCE');
  });
  after(async () => {
    await venue.dispose();
  });

  const order = (id: string, qty: string, price: string, account = 'B1-ALGO'): string =>
    body([[1, account], [11, id], [38, qty], [40, '2'], [44, price], [54, '1'], [55, 'BTCUSDT'], [59, '1'], [60, stamp()]]);

  it('refuses an order above the account × instrument quantity limit, naming the limit and both numbers', async () => {
    b1.send('D', order('K1', '6', '60000.00'));
    const er = await b1.er('K1', '8');
    expect(er.get(103)).to.equal('3');
    expect(er.get(58)).to.equal('max order qty exceeded: 6 > 5 (account B1-ALGO, BTCUSDT)');
    const copy = await dc.er('K1', '8');
    expect(copy.get(58)).to.equal(er.get(58));
  });

  it('a kill switch cancels the firm’s open orders and refuses new ones until it is released', async () => {
    b1.send('D', order('K2', '1', '59000.00', 'B1-MAIN'));
    await b1.er('K2', '0');
    expect(venue.app.risk.killSwitchOn({ kind: 'firm', id: 'BROKER1' }, 'test-operator', 'fat finger drill')).to.equal(true);
    const cancelled = await b1.er('K2', '4');
    expect(cancelled.get(58)).to.equal('cancelled by kill switch');
    await dc.er('K2', '4');
    b1.send('D', order('K3', '1', '59000.00', 'B1-MAIN'));
    const refused = await b1.er('K3', '8');
    expect(refused.get(58)).to.match(/kill switch/i);
    venue.app.risk.killSwitchOff({ kind: 'firm', id: 'BROKER1' }, 'test-operator', 'drill over');
    b1.send('D', order('K4', '1', '59000.00', 'B1-MAIN'));
    expect((await b1.er('K4')).get(150)).to.equal('0');
  });
});
