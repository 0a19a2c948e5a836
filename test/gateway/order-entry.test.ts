import { expect } from 'chai';
import { FixTestClient, stamp } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';

const body = FixTestClient.body;
const now = (): string => stamp();

function order(clOrdId: string, side: '1' | '2', qty: string, price: string, extra: Array<[number, string]> = []): string {
  return body([[11, clOrdId], [38, qty], [40, '2'], [44, price], [54, side], [55, 'BTCUSDT'], [59, '1'], [60, now()], ...extra]);
}

describe('gateway: order entry over FIX', function () {
  this.timeout(20000);
  let venue: TestVenue;
  let b1: FixTestClient;
  let b2: FixTestClient;
  let dc: FixTestClient;

  before(async () => {
    venue = await startTestVenue();
    b1 = await venue.logon('BROKER1');
    b2 = await venue.logon('BROKER2');
    dc = await venue.logon('COMPLIANCE');
  });
  after(async () => {
    await venue.dispose();
  });

  it('acknowledges a resting limit order with a complete ExecutionReport, and copies it to drop copy', async () => {
    b1.send('D', order('A1', '1', '0.5', '60000.00', [[1, 'B1-ALGO']]));
    const er = await b1.er('A1');
    expect(er.get(150)).to.equal('0');
    expect(er.get(39)).to.equal('0');
    expect(er.get(1)).to.equal('B1-ALGO');
    expect(er.get(54)).to.equal('1');
    expect(er.get(55)).to.equal('BTCUSDT');
    expect(er.get(38)).to.equal('0.50000');
    expect(er.get(44)).to.equal('60000.00');
    expect(er.get(151)).to.equal('0.50000');
    expect(er.get(14)).to.equal('0.00000');
    expect(er.get(6)).to.equal('0.00');
    expect(er.get(37)).to.match(/^\d+$/);
    expect(er.get(17)).to.match(/^\d+$/);
    expect(er.get(60)).to.match(/^\d{8}-\d\d:\d\d:\d\d\.\d{3}$/);
    expect(er.get(75)).to.match(/^\d{8}$/);
    const copy = await dc.er('A1');
    expect(copy.get(17)).to.equal(er.get(17));
    expect(copy.get(797)).to.equal('Y');
  });

  it('fills both sides of a cross, with LastPx/LastQty/AvgPx and liquidity indicators', async () => {
    b2.send('D', order('S1', '2', '0.2', '60000.00'));
    const takerNew = await b2.er('S1', '0');
    expect(takerNew.get(1)).to.equal('B2-MAIN');
    const taker = await b2.er('S1', 'F');
    expect(taker.get(39)).to.equal('2');
    expect(taker.get(32)).to.equal('0.20000');
    expect(taker.get(31)).to.equal('60000.00');
    expect(taker.get(6)).to.equal('60000.00');
    expect(taker.get(851)).to.equal('2');
    const maker = await b1.er('A1', 'F');
    expect(maker.get(39)).to.equal('1');
    expect(maker.get(14)).to.equal('0.20000');
    expect(maker.get(151)).to.equal('0.30000');
    expect(maker.get(851)).to.equal('1');
    expect(maker.get(527)).to.equal(taker.get(527));
    expect(maker.get(17)).to.not.equal(taker.get(17));
  });

  it('replaces and cancels, answering with the request ClOrdID and the original as OrigClOrdID', async () => {
    b1.send('G', body([[11, 'A1-R'], [38, '0.4'], [40, '2'], [41, 'A1'], [44, '59999.00'], [54, '1'], [55, 'BTCUSDT'], [60, now()]]));
    const rep = await b1.er('A1-R', '5');
    expect(rep.get(41)).to.equal('A1');
    expect(rep.get(44)).to.equal('59999.00');
    expect(rep.get(151)).to.equal('0.20000');
    b1.send('F', body([[11, 'A1-C'], [41, 'A1-R'], [54, '1'], [55, 'BTCUSDT'], [60, now()]]));
    const cxl = await b1.er('A1-C', '4');
    expect(cxl.get(41)).to.equal('A1-R');
    expect(cxl.get(39)).to.equal('4');
    expect(cxl.get(151)).to.equal('0.00000');
  });

  it('rejects a cancel for an unknown order with OrderCancelReject', async () => {
    b1.send('F', body([[11, 'X-C'], [41, 'NOPE'], [54, '1'], [55, 'BTCUSDT'], [60, now()]]));
    const rej = await b1.next((m) => m.type === '9' && m.get(11) === 'X-C');
    expect(rej.get(434)).to.equal('1');
    expect(rej.get(102)).to.equal('1');
    expect(rej.get(41)).to.equal('NOPE');
    expect(rej.get(58)).to.be.a('string').and.not.empty;
  });

  it('rejects orders it cannot take with ExecType=8, OrdRejReason and a Text naming the problem', async () => {
    b1.send('D', order('R1', '1', '0.000001', '60000.00'));
    const qty = await b1.er('R1', '8');
    expect(qty.get(103)).to.equal('13');
    expect(qty.get(58)).to.contain('OrderQty(38) 0.000001');
    b1.send('D', body([[11, 'R2'], [38, '1'], [40, '2'], [44, '1.00'], [54, '1'], [55, 'DOGEUSDT'], [60, now()]]));
    expect((await b1.er('R2', '8')).get(103)).to.equal('1');
    b1.send('D', order('R3', '1', '0.1', '60000.00', [[1, 'B2-MAIN']]));
    const acct = await b1.er('R3', '8');
    expect(acct.get(103)).to.equal('15');
    expect(acct.get(58)).to.contain('does not belong to firm BROKER1');
    b1.send('D', order('R4', '1', '0.1', '60000.001'));
    expect((await b1.er('R4', '8')).get(58)).to.contain('Price(44) 60000.001');
  });

  it('answers a business message it does not support with BusinessMessageReject', async () => {
    b1.send('R', body([[131, 'Q1'], [146, '1'], [55, 'BTCUSDT']]));
    const bmr = await b1.next((m) => m.type === 'j');
    expect(bmr.get(380)).to.equal('3');
    expect(bmr.get(372)).to.equal('R');
    dc.send('D', order('DC1', '1', '0.1', '60000.00'));
    const refused = await dc.next((m) => m.type === 'j');
    expect(refused.get(380)).to.equal('6');
    expect(refused.get(58)).to.contain('drop-copy');
  });
});
