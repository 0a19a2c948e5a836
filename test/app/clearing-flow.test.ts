import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';
import { tradeDateOf } from '../../src/records/index.js';
import { formatUnits } from '../../src/clearing/index.js';
import { AssetScales } from '../../src/clearing/asset-scales.js';

const body = FixTestClient.body;

// A trade made over FIX reaches settlement through the record and BullMQ in the running venue: the day's
// obligations are netted per account and asset, with the configured fees.
describe('venue app: trades flow to settlement', function () {
  this.timeout(30000);
  let venue: TestVenue;

  before(async () => {
    venue = await startTestVenue();
  });
  after(async () => {
    await venue.dispose();
  });

  it('settles a FIX trade: base and quote obligations for both accounts, fees per firm', async () => {
    const b1 = await venue.logon('BROKER1');
    const b2 = await venue.logon('BROKER2');
    b2.send('D', body([[11, 'CL1'], [38, '2'], [40, '2'], [44, '3000.00'], [54, '2'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    await b2.er('CL1', '0');
    b1.send('D', body([[11, 'CL2'], [38, '2'], [40, '2'], [44, '3000.00'], [54, '1'], [55, 'ETHUSDT'], [59, '1'], [60, stamp()]]));
    const fill = await b1.er('CL2', 'F');
    const date = tradeDateOf(Date.now());
    const clearing = venue.app.clearing!;
    const deadline = Date.now() + 15000;
    while ((await clearing.dayStatus(date)).settled < 1) {
      if (Date.now() > deadline) throw new Error('the trade was not settled in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    const rows = await clearing.positions(date);
    const scales = new AssetScales(venue.settings.instruments, venue.settings.clearing.assetDecimals);
    const amount = (account: string, asset: string, what: 'received' | 'delivered' | 'fees'): string => {
      const r = rows.find((x) => x.account === account && x.asset === asset);
      return r === undefined ? 'none' : formatUnits(r[what], scales.of(asset));
    };
    // BROKER1 took liquidity (default taker fee 0.0005): bought 2 ETH for 6000 USDT, fee 3 USDT.
    expect(Number(amount('B1-MAIN', 'ETH', 'received'))).to.equal(2);
    expect(Number(amount('B1-MAIN', 'USDT', 'delivered'))).to.equal(6000);
    expect(Number(amount('B1-MAIN', 'USDT', 'fees'))).to.equal(3);
    // BROKER2 made it (maker rebate -0.00002): sold 2 ETH for 6000 USDT, fee -0.12 USDT.
    expect(Number(amount('B2-MAIN', 'ETH', 'delivered'))).to.equal(2);
    expect(Number(amount('B2-MAIN', 'USDT', 'received'))).to.equal(6000);
    expect(amount('B2-MAIN', 'USDT', 'fees')).to.match(/^-0\.120*$/);
    expect(fill.get(31)).to.equal('3000.00');
  });
});

