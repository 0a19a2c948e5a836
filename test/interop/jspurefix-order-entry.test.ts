import { expect } from 'chai';
import { FixTestClient } from '../support/fix-test-client.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';
import { connectJspurefixMember, type JspurefixMember } from './jspurefix-client.js';

// Order entry with a FIX engine no one here wrote: jspurefix logs on as BROKER1 and BROKER2, trades, and
// reads our ExecutionReports with its own parser and dictionary; COMPLIANCE (drop copy) sees the copies.
describe('interop: jspurefix members trade on the venue', function () {
  this.timeout(30000);
  let venue: TestVenue;
  let b1: JspurefixMember;
  let b2: JspurefixMember;
  let dc: FixTestClient;
  let md: JspurefixMember;
  const stops: Array<() => Promise<void>> = [];

  before(async () => {
    venue = await startTestVenue();
    const one = await connectJspurefixMember({ port: venue.port, senderCompId: 'BROKER1', targetCompId: 'VENUE', password: 'broker1-secret' });
    const two = await connectJspurefixMember({ port: venue.port, senderCompId: 'BROKER2', targetCompId: 'VENUE', password: 'broker2-secret' });
    const feed = await connectJspurefixMember({ port: venue.port, senderCompId: 'MDFEED', targetCompId: 'VENUE', password: 'mdfeed-secret' });
    b1 = one.member;
    b2 = two.member;
    md = feed.member;
    stops.push(one.stop, two.stop, feed.stop);
    dc = await venue.logon('COMPLIANCE');
  });
  after(async () => {
    for (const stop of stops) await stop();
    await venue.dispose();
  });

  const order = (clOrdId: string, side: string, qty: number, price: number): Record<string, unknown> => ({
    ClOrdID: clOrdId,
    Side: side,
    Instrument: { Symbol: 'ETHUSDT' },
    OrderQtyData: { OrderQty: qty },
    OrdType: '2',
    Price: price,
    TimeInForce: '1',
    TransactTime: new Date(),
  });
  const er = (m: JspurefixMember, clOrdId: string, execType: string): Promise<Record<string, unknown>> =>
    m.next('8', (o) => o.ClOrdID === clOrdId && o.ExecType === execType);

  it('gives a market-data subscriber a snapshot, then the book change as an incremental', async () => {
    md.sendApp('V', {
      MDReqID: 'JMD1',
      SubscriptionRequestType: '1',
      MarketDepth: 5,
      MDUpdateType: 1,
      MDReqGrp: { NoMDEntryTypes: [{ MDEntryType: '0' }, { MDEntryType: '1' }] },
      InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: { Symbol: 'ETHUSDT' } }] },
    });
    const snapshot = await md.next('W', (o) => o.MDReqID === 'JMD1');
    expect((snapshot.Instrument as Record<string, unknown>).Symbol).to.equal('ETHUSDT');
    b2.sendApp('D', order('J-MD-S', '2', 1.25, 3100));
    await er(b2, 'J-MD-S', '0');
    const update = await md.next('X', (o) => o.MDReqID === 'JMD1');
    const entries = (update.MDIncGrp as { NoMDEntries: Array<Record<string, unknown>> }).NoMDEntries;
    const offer = entries.find((e) => e.MDEntryType === '1');
    expect(offer).to.not.equal(undefined);
    expect(offer!.MDEntryPx).to.equal(3100);
    expect(offer!.MDEntrySize).to.equal(1.25);
    b2.sendApp('F', { ClOrdID: 'J-MD-S-C', OrigClOrdID: 'J-MD-S', Side: '2', Instrument: { Symbol: 'ETHUSDT' }, TransactTime: new Date() });
    await er(b2, 'J-MD-S-C', '4');
    const removal = await md.next('X', (o) => o.MDReqID === 'JMD1');
    const gone = (removal.MDIncGrp as { NoMDEntries: Array<Record<string, unknown>> }).NoMDEntries.find((e) => e.MDEntryType === '1');
    expect(gone!.MDUpdateAction).to.equal('2');
  });

  it('rests an order, then fills it partially against a crossing order, with both sides reported', async () => {
    b1.sendApp('D', order('J-B1', '1', 2, 3000.5));
    const ack = await er(b1, 'J-B1', '0');
    expect(ack.OrdStatus).to.equal('0');
    expect(ack.LeavesQty).to.equal(2);
    b2.sendApp('D', order('J-S1', '2', 0.5, 3000));
    const takerFill = await er(b2, 'J-S1', 'F');
    expect(takerFill.OrdStatus).to.equal('2');
    expect(takerFill.LastPx).to.equal(3000.5);
    expect(takerFill.LastQty).to.equal(0.5);
    const makerFill = await er(b1, 'J-B1', 'F');
    expect(makerFill.OrdStatus).to.equal('1');
    expect(makerFill.CumQty).to.equal(0.5);
    expect(makerFill.LeavesQty).to.equal(1.5);
  });

  it('replaces the rest of the order and cancels it', async () => {
    b1.sendApp('G', { ...order('J-B1-R', '1', 1, 2999), OrigClOrdID: 'J-B1' });
    const replaced = await er(b1, 'J-B1-R', '5');
    expect(replaced.OrigClOrdID).to.equal('J-B1');
    expect(replaced.LeavesQty).to.equal(0.5);
    b1.sendApp('F', { ClOrdID: 'J-B1-C', OrigClOrdID: 'J-B1-R', Side: '1', Instrument: { Symbol: 'ETHUSDT' }, TransactTime: new Date() });
    const cancelled = await er(b1, 'J-B1-C', '4');
    expect(cancelled.OrdStatus).to.equal('4');
    expect(cancelled.LeavesQty).to.equal(0);
  });

  it('refuses a cancel of an order that is gone with OrderCancelReject', async () => {
    b1.sendApp('F', { ClOrdID: 'J-B1-C2', OrigClOrdID: 'J-B1-R', Side: '1', Instrument: { Symbol: 'ETHUSDT' }, TransactTime: new Date() });
    const reject = await b1.next('9', (o) => o.ClOrdID === 'J-B1-C2');
    expect(reject.CxlRejResponseTo).to.equal('1');
    expect(reject.CxlRejReason).to.equal(1);
  });

  it('copied every ExecutionReport of both firms to the drop-copy session', async () => {
    const expected = ['J-MD-S:0', 'J-MD-S-C:4', 'J-B1:0', 'J-S1:0', 'J-S1:F', 'J-B1:F', 'J-B1-R:5', 'J-B1-C:4'];
    for (const key of expected) {
      const [clOrdId, execType] = key.split(':');
      const copy = await dc.er(clOrdId!, execType);
      expect(copy.get(797)).to.equal('Y');
    }
  });
});
