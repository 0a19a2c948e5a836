import { expect } from 'chai';
import { FixParser } from '../../src/fix/codec/parser.js';
import { loadDictionaryShared } from '../../src/fix/dictionary/loader.js';
import { FixValidator } from '../../src/fix/validation/validator.js';
import { startTestVenue, type TestVenue } from '../support/test-venue.js';
import {
  binanceRoute, simulatorConfig, startBinanceSimulator, startRoutedVenue, type BinanceSimulator,
} from '../routing/support/routing-fixture.js';
import { connectJspurefixMember, type JsObject, type JspurefixMember } from './jspurefix-client.js';

// A strict independent engine on every role the venue has: jspurefix, with QuickFIX's FIX44.xml and its message
// integrity check on, logs on as two order-entry firms, the drop copy and the market-data feed, is sent every
// message type the venue sends (each ExecType of a local order, OrderCancelReject, BusinessMessageReject, session
// Reject, OrderMassCancelReport, market data, SecurityList, SecurityStatus, trade capture; a routed order's reports
// below), and never rejects one.
// A message failing its check would never reach the application: each `next` below would time out. jspurefix does
// not check that every field has a value, so each message received is also put through QuickFIX's rules (the
// engine's own validator, which passes QuickFIX's acceptance suite) with every check on.
const dictionary = loadDictionaryShared('fix-dictionaries/FIX44.xml');
const parser = new FixParser({ dictionary });
const quickfixRules = new FixValidator(dictionary, { checkFieldsHaveValues: true });
const checked = new Map<JspurefixMember, number>();

/** Neither jspurefix nor QuickFIX's rules found anything to reject in what the members received since last time. */
function expectNoReject(members: readonly JspurefixMember[], venueGotRejects: readonly string[]): void {
  for (const m of members) expect(m.rejectsSent, 'session Rejects sent by jspurefix').to.deep.equal([]);
  for (const m of members) {
    for (let i = checked.get(m) ?? 0; i < m.received.length; i++) {
      // jspurefix hands the text over with '|' for SOH (no value here contains a '|').
      parser.parse(Buffer.from(m.received[i]!.replace(/\|/g, '\x01'), 'latin1'));
      const failure = quickfixRules.validate(parser.view);
      const what = failure && `${failure.text} (373=${failure.reason}, 371=${failure.tag}): ${m.received[i]!}`;
      expect(what, 'a QuickFIX-rules Reject').to.equal(null);
    }
    checked.set(m, m.received.length);
  }
  expect(venueGotRejects, 'sessions whose Reject the venue received').to.deep.equal([]);
}

const er = (m: JspurefixMember, clOrdId: string, execType: string): Promise<JsObject> =>
  m.next('8', (o) => o.ClOrdID === clOrdId && o.ExecType === execType);

describe('interop: a strict jspurefix receives every message type on every role without a Reject', function () {
  this.timeout(40000);
  let venue: TestVenue;
  let b1: JspurefixMember;
  let b2: JspurefixMember;
  let dc: JspurefixMember;
  let md: JspurefixMember;
  const members: JspurefixMember[] = [];
  const stops: Array<() => Promise<void>> = [];
  const venueGotRejects: string[] = [];

  before(async () => {
    venue = await startTestVenue();
    venue.app.fixEngine.observeInbound((session, msgType) => {
      if (msgType === '3') venueGotRejects.push(session);
    });
    const connect = async (id: string, password: string): Promise<JspurefixMember> => {
      const c = await connectJspurefixMember({ port: venue.port, senderCompId: id, targetCompId: 'VENUE', password });
      stops.push(c.stop);
      members.push(c.member);
      return c.member;
    };
    b1 = await connect('BROKER1', 'broker1-secret');
    b2 = await connect('BROKER2', 'broker2-secret');
    dc = await connect('COMPLIANCE', 'compliance-secret');
    md = await connect('MDFEED', 'mdfeed-secret');
  });
  after(async () => {
    for (const stop of stops) await stop();
    await venue.dispose();
  });
  afterEach(() => expectNoReject(members, venueGotRejects));

  const instrument = { Symbol: 'ETHUSDT' };
  const order = (clOrdId: string, side: string, qty: number, price: number, extra: JsObject = {}): JsObject => ({
    ClOrdID: clOrdId,
    Side: side,
    Instrument: instrument,
    OrderQtyData: { OrderQty: qty },
    OrdType: '2',
    Price: price,
    TimeInForce: '1',
    TransactTime: new Date(),
    ...extra,
  });
  /** The member's report and the drop copy's, both read by jspurefix. */
  const reported = async (m: JspurefixMember, clOrdId: string, execType: string): Promise<JsObject> => {
    const own = await er(m, clOrdId, execType);
    const copy = await er(dc, clOrdId, execType);
    expect(copy.CopyMsgIndicator).to.equal(true);
    expect(copy.ExecID).to.equal(own.ExecID);
    return own;
  };

  it('market data: SecurityList, snapshot, incrementals and a MarketDataRequestReject', async () => {
    md.sendApp('x', { SecurityReqID: 'SL1', SecurityListRequestType: 4 });
    const list = await md.next('y', (o) => o.SecurityReqID === 'SL1');
    expect(list.SecurityReqID).to.equal('SL1');
    md.sendApp('V', {
      MDReqID: 'SMD1',
      SubscriptionRequestType: '1',
      MarketDepth: 0,
      MDUpdateType: 1,
      MDReqGrp: { NoMDEntryTypes: [{ MDEntryType: '0' }, { MDEntryType: '1' }, { MDEntryType: '2' }] },
      InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: instrument }] },
    });
    await md.next('W', (o) => o.MDReqID === 'SMD1');
    md.sendApp('V', {
      MDReqID: 'SMD2',
      SubscriptionRequestType: '0',
      MarketDepth: 0,
      MDReqGrp: { NoMDEntryTypes: [{ MDEntryType: '0' }] },
      InstrmtMDReqGrp: { NoRelatedSym: [{ Instrument: { Symbol: 'DOGEUSDT' } }] },
    });
    const refused = await md.next('Y', (o) => o.MDReqID === 'SMD2');
    expect(refused.Text).to.be.a('string');
  });

  it('order entry and drop copy: new, trade, replaced, status, cancelled, rejected, with copies', async () => {
    b1.sendApp('D', order('SB1', '1', 1, 2990));
    await reported(b1, 'SB1', '0');
    await md.next('X', (o) => o.MDReqID === 'SMD1');
    b2.sendApp('D', order('SS1', '2', 0.4, 2990));
    await reported(b2, 'SS1', 'F');
    await reported(b1, 'SB1', 'F');
    b1.sendApp('G', { ...order('SB1-R', '1', 0.8, 2989), OrigClOrdID: 'SB1' });
    await reported(b1, 'SB1-R', '5');
    b1.sendApp('H', { ClOrdID: 'SB1-R', Side: '1', Instrument: instrument });
    const status = await er(b1, 'SB1-R', 'I');
    expect(status.OrdStatus).to.equal('1');
    b1.sendApp('AF', { MassStatusReqID: 'SMS1', MassStatusReqType: 7 });
    const mass = await b1.next('8', (o) => o.MassStatusReqID === 'SMS1');
    expect(mass.ExecType).to.equal('I');
    b1.sendApp('F', { ClOrdID: 'SB1-C', OrigClOrdID: 'SB1-R', Side: '1', Instrument: instrument, TransactTime: new Date() });
    await reported(b1, 'SB1-C', '4');
    b1.sendApp('D', order('SB2', '1', 0.00001, 2990));
    const rejected = await reported(b1, 'SB2', '8');
    expect(rejected.OrdRejReason).to.be.a('number');
  });

  it('order entry and drop copy: OrderCancelReject to the owner and, copied, to a FIX44.xml drop copy', async () => {
    b1.sendApp('F', { ClOrdID: 'SB1-C2', OrigClOrdID: 'SB1-R', Side: '1', Instrument: instrument, TransactTime: new Date() });
    const own = await b1.next('9', (o) => o.ClOrdID === 'SB1-C2');
    const copy = await dc.next('9', (o) => o.ClOrdID === 'SB1-C2');
    expect([own.CxlRejResponseTo, copy.CxlRejResponseTo, copy.CopyMsgIndicator]).to.deep.equal(['1', '1', undefined]);
  });

  it('order entry: a stop restated when triggered, an order expired at its ExpireTime, a mass cancel report', async () => {
    b1.sendApp('D', order('SSTOP', '1', 0.1, 0, { OrdType: '3', Price: undefined, StopPx: 3010 }));
    await reported(b1, 'SSTOP', '0');
    b2.sendApp('D', order('SS2', '2', 0.2, 3010));
    await reported(b2, 'SS2', '0');
    b1.sendApp('D', order('SB3', '1', 0.1, 3010));
    await reported(b1, 'SB3', 'F');
    const triggered = await reported(b1, 'SSTOP', 'D');
    expect(triggered.Text).to.match(/stop triggered/);
    b2.sendApp('D', order('SGTD', '2', 0.1, 3100, { TimeInForce: '6', ExpireTime: new Date(Date.now() + 1000) }));
    await reported(b2, 'SGTD', '0');
    // The core expires GTD orders on a time command (the venue app does not issue one yet: see the report).
    venue.app.submit({ type: 'time', time: Date.now() + 2000 });
    await reported(b2, 'SGTD', 'C');
    b2.sendApp('D', order('SS3', '2', 0.1, 3120));
    await reported(b2, 'SS3', '0');
    b2.sendApp('q', { ClOrdID: 'SMC1', MassCancelRequestType: '7', TransactTime: new Date() });
    const report = await b2.next('r', (o) => o.ClOrdID === 'SMC1');
    expect(report.MassCancelResponse).to.equal('7');
    await reported(b2, 'SS3', '4');
    b2.sendApp('AF', { MassStatusReqID: 'SMS2', MassStatusReqType: 7 });
    const none = await b2.next('8', (o) => o.MassStatusReqID === 'SMS2');
    expect([none.ExecType, none.TotNumReports, none.LastRptRequested]).to.deep.equal(['I', 0, true]);
  });

  it('market data: SecurityStatus on a halt and a resume', async () => {
    venue.app.risk.haltInstrument('ETHUSDT', 'interop test', 'maintenance');
    const halted = await md.next('f', (o) => o.SecurityTradingStatus === 2);
    expect(halted.Text).to.match(/maintenance/);
    venue.app.risk.resumeInstrument('ETHUSDT', 'interop test', 'maintenance over');
    await md.next('f', (o) => o.SecurityTradingStatus !== 2);
  });

  const today = (): JsObject => {
    const start = new Date();
    start.setUTCHours(0, 0, 0, 0);
    return { NoDates: [{ TransactTime: start }, { TransactTime: new Date(start.getTime() + 86_400_000 - 1) }] };
  };

  it('trade capture: TradeCaptureReportRequestAck and TradeCaptureReports to a drop copy and to an order-entry firm', async () => {
    dc.sendApp('AD', { TradeRequestID: 'STC1', TradeRequestType: 0, TrdCapDtGrp: today() });
    const ack = await dc.next('AQ', (o) => o.TradeRequestID === 'STC1');
    expect(ack.TradeRequestStatus).to.be.a('number');
    const report = await dc.next('AE', (o) => o.TradeRequestID === 'STC1');
    expect((report.Instrument as JsObject).Symbol).to.equal('ETHUSDT');
    b1.sendApp('AD', { TradeRequestID: 'STC2', TradeRequestType: 0, TrdCapDtGrp: today() });
    await b1.next('AQ', (o) => o.TradeRequestID === 'STC2');
    await b1.next('AE', (o) => o.TradeRequestID === 'STC2');
  });

  it('BusinessMessageReject for an order from a drop copy and for an unsupported message; a session Reject for a bad value', async () => {
    dc.sendApp('D', order('SDC1', '1', 0.1, 2990));
    const notAllowed = await dc.next('j', (o) => o.RefMsgType === 'D');
    expect(notAllowed.BusinessRejectReason).to.equal(6);
    b1.sendApp('R', { QuoteReqID: 'SQR1', QuotReqGrp: { NoRelatedSym: [{ Instrument: instrument }] } });
    const unsupported = await b1.next('j', (o) => o.RefMsgType === 'R');
    expect(unsupported.BusinessRejectReason).to.equal(3);
    const before = b1.rejectsReceived.length;
    b1.sendApp('D', order('SBAD', 'Z', 0.1, 2990));
    const deadline = Date.now() + 5000;
    while (b1.rejectsReceived.length === before) {
      if (Date.now() > deadline) throw new Error('no session Reject for Side=Z');
      await new Promise((r) => setImmediate(r));
    }
    expect(b1.rejectsReceived.at(-1)).to.match(/\|373=5\|/);
  });
});

// The ExecTypes only a routed order has (PendingNew, PendingCancel, PendingReplace) and a routed-out fill, with the
// order sent on to the Binance simulator.
describe('interop: a strict jspurefix receives the reports of an order routed to another venue without a Reject', function () {
  this.timeout(40000);
  let sim: BinanceSimulator;
  let venue: TestVenue;
  let b1: JspurefixMember;
  let dc: JspurefixMember;
  const members: JspurefixMember[] = [];
  const stops: Array<() => Promise<void>> = [];
  const venueGotRejects: string[] = [];

  before(async () => {
    sim = await startBinanceSimulator(simulatorConfig());
    venue = await startRoutedVenue({ routes: [binanceRoute(sim)], instruments: { BTCUSDT: { route: 'BINANCE', fallback: null } } });
    venue.app.fixEngine.observeInbound((session, msgType) => {
      if (msgType === '3') venueGotRejects.push(session);
    });
    for (const [id, password] of [['BROKER1', 'broker1-secret'], ['COMPLIANCE', 'compliance-secret']] as const) {
      const c = await connectJspurefixMember({ port: venue.port, senderCompId: id, targetCompId: 'VENUE', password });
      stops.push(c.stop);
      members.push(c.member);
    }
    [b1, dc] = members as [JspurefixMember, JspurefixMember];
  });
  after(async () => {
    for (const stop of stops) await stop();
    await venue.dispose();
    await sim.close();
  });
  afterEach(() => expectNoReject(members, venueGotRejects));

  const order = (clOrdId: string, qty: number, price: number): JsObject => ({
    ClOrdID: clOrdId,
    Side: '1',
    Instrument: { Symbol: 'BTCUSDT' },
    OrderQtyData: { OrderQty: qty },
    OrdType: '2',
    Price: price,
    TimeInForce: '1',
    TransactTime: new Date(),
  });
  const both = async (clOrdId: string, execType: string): Promise<JsObject> => {
    const own = await er(b1, clOrdId, execType);
    expect((await er(dc, clOrdId, execType)).CopyMsgIndicator).to.equal(true);
    return own;
  };

  it('pending new, new, a routed-out fill, pending replace, replaced, pending cancel, cancelled', async () => {
    b1.sendApp('D', order('RT1', 0.01, 59000));
    await both('RT1', 'A');
    await both('RT1', '0');
    sim.placeOrder('market-maker', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: '59000.00', quantity: '0.004' });
    const fill = await both('RT1', 'F');
    expect([fill.LastMkt, fill.LastLiquidityInd]).to.deep.equal(['BINANCE', 3]);
    b1.sendApp('G', { ...order('RT1-R', 0.02, 58000), OrigClOrdID: 'RT1' });
    await both('RT1-R', 'E');
    await both('RT1-R', '5');
    b1.sendApp('F', { ClOrdID: 'RT1-C', OrigClOrdID: 'RT1-R', Side: '1', Instrument: { Symbol: 'BTCUSDT' }, TransactTime: new Date() });
    await both('RT1-C', '6');
    await both('RT1-C', '4');
  });
});
